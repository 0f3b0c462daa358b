// The call card in a frame named the way Bitrix24 names it, so the page runs its real-portal
// bridge: it loads the portal's frame SDK (BX24.js) from bitrix24.frame_sdk_url — here the
// emulator's URL, answered by Playwright with e2e/bx24_standin.js — which the shell's CSP must
// let through while keeping every other script origin out. Without the SDK the card still works.
// The card talks to the real opdesk and portal emulator (user 2 holds the keep-open role of
// e2e/world.mjs); only the SDK file is answered by the test.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openCallCard, uiDir, until } from './harness.mjs'
import { crmState, phones, world } from './world.mjs'

const standin = readFileSync(join(uiDir, 'e2e', 'bx24_standin.js'), 'utf8')

// Answers the frame SDK URL (with the stand-in, or by failing) and records who asked.
async function serveFrameSdk(page, stack, { fail = false } = {}) {
  const asked = []
  await page.route(`${stack.emuUrl}/_emu/bx24.js`, (route) => {
    asked.push({ url: route.request().url(), fromCard: route.request().frame() !== page.mainFrame() })
    if (fail) return route.abort('connectionrefused')
    return route.fulfill({ status: 200, contentType: 'application/javascript; charset=utf-8', body: standin })
  })
  return asked
}

// Records the card's context requests (observed, not answered).
function contextRequests(page) {
  const seen = []
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.pathname === '/api/callcard/context') seen.push({ url, authorization: r.headers().authorization })
  })
  return seen
}

const operatorCall = { CALL_ID: 'externalCall.sdk.1', PHONE_NUMBER: phones.client }

export const tests = [
  {
    name: 'the card loads BX24.js from the configured origin and drives the portal through it',
    async run({ stack, context: browser, use }) {
      await world(stack)
      let asked
      let seen
      const { page, frame, response } = await openCallCard(browser, stack, {
        userId: 2,
        placementOptions: operatorCall,
        bridge: 'portal',
        beforeOpen: async (p) => {
          asked = await serveFrameSdk(p, stack)
          seen = contextRequests(p)
        },
        waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
      })
      use(page)
      const csp = (await response.allHeaders())['content-security-policy']
      assert.match(csp, new RegExp(`; script-src 'self' http://127\\.0\\.0\\.1:${stack.emuPort}; `))
      const boot = await frame.evaluate(() => JSON.parse(document.getElementById('opdesk-bootstrap').textContent))
      assert.equal(boot.frame_sdk_url, `${stack.emuUrl}/_emu/bx24.js`)
      // Resizes arrive once the bridge is up (and after it subscribed to EntityChanged).
      await page.waitForFunction(() => window.__portal.disableAutoClose >= 1 && window.__portal.resizes.length >= 1)
      assert.deepEqual(asked, [{ url: `${stack.emuUrl}/_emu/bx24.js`, fromCard: true }])
      const calls = await page.evaluate(() => window.__portal.calls)
      assert.equal(calls[0], 'placementInfo', 'BX24.init waited for the portal')
      assert.equal(await frame.evaluate(() => document.querySelectorAll('script[src*="/_emu/bx24.js"]').length), 1)

      await page.evaluate(() => window.__emitEntityChanged({ PHONE_NUMBER: '+79001234567', CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 1 }))
      await frame.waitForSelector('[data-section="company:1"]')
      assert.equal(seen.length, 2)
      assert.equal(seen[1].url.searchParams.get('entity_id'), '1')

      // Any other origin stays out, even the same emulator under another host name.
      const blocked = await frame.evaluate(
        (src) =>
          new Promise((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) => resolve({ uri: e.blockedURI, directive: e.effectiveDirective }))
            const s = document.createElement('script')
            s.src = src
            document.head.appendChild(s)
          }),
        `http://localhost:${stack.emuPort}/_emu/bx24.js`
      )
      assert.deepEqual(blocked, { uri: `http://localhost:${stack.emuPort}/_emu/bx24.js`, directive: 'script-src-elem' })
    }
  },
  {
    name: 'an expired session is renewed with a token from BX24.refreshAuth',
    async run({ stack, context: browser, use }) {
      await world(stack)
      const seen = []
      let renewed = null
      let first = null
      const { page } = await openCallCard(browser, stack, {
        userId: 2,
        placementOptions: operatorCall,
        bridge: 'portal',
        beforeOpen: async (p) => {
          await serveFrameSdk(p, stack)
          p.on('response', async (r) => {
            if (r.url().endsWith('/api/session/renew')) renewed = { status: r.status(), body: await r.json().catch(() => null) }
            if (new URL(r.url()).pathname === '/api/callcard/context' && first === null) first = r.status()
          })
          // The first context request goes to opdesk with a session that is no longer valid
          // (a stale one from another sign-in): opdesk itself answers 401.
          await p.route('**/api/callcard/context**', (r) => {
            seen.push(r.request().headers().authorization)
            return seen.length === 1
              ? r.continue({ headers: { ...r.request().headers(), authorization: 'Bearer v1.stale.session' } })
              : r.continue()
          })
        },
        waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
      })
      use(page)
      await until('the renewal answer', () => renewed !== null)
      assert.equal(first, 401, "opdesk refused the stale session")
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body))
      assert.equal(seen.length, 2)
      assert.equal(seen[1], `Bearer ${renewed.body.session}`)
      assert.equal(await page.evaluate(() => window.__portal.auths), 1, 'one refreshAuth through BX24')
    }
  },
  {
    name: 'without the frame SDK the card still works and says why in the console',
    async run({ stack, context: browser, use }) {
      await world(stack)
      const warnings = []
      let asked
      const { page, frame } = await openCallCard(browser, stack, {
        userId: 2,
        placementOptions: operatorCall,
        bridge: 'portal',
        beforeOpen: async (p) => {
          p.on('console', (m) => {
            if (m.type() === 'warning') warnings.push(m.text())
          })
          asked = await serveFrameSdk(p, stack, { fail: true })
        },
        waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
      })
      use(page)
      await until('the warning', () => warnings.some((w) => w.includes('opdesk: the Bitrix24 frame SDK did not start')))
      assert.equal(asked.length, 1)
      const contact = (await crmState(stack)).contacts.find((c) => c.ID === '1')
      assert.equal(await frame.inputValue('[data-section="contact:1"] [data-field="NAME"] input'), contact.NAME)
      assert.deepEqual(await page.evaluate(() => window.__portal.calls), [], 'nothing reached the portal')
    }
  }
]
