// The call card in a frame named the way Bitrix24 names it, so the page runs its real-portal
// bridge: it loads the portal's frame SDK (BX24.js) from bitrix24.frame_sdk_url — here the
// emulator's URL, answered by Playwright with e2e/bx24_standin.js — which the shell's CSP must
// let through while keeping every other script origin out. Without the SDK the card still works.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openCallCard, uiDir, until } from './harness.mjs'
import { contact, context, script, stubCallCardApi } from './fixtures.mjs'

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

function api(over = {}) {
  return {
    'GET /api/callcard/context': context({ role: { id: 'r1', name: 'Оператор', keep_card_open: true } }),
    'GET /api/callcard/client': { sections: [contact()] },
    'GET /api/callcard/scripts/s1': script,
    ...over
  }
}

export const tests = [
  {
    name: 'the card loads BX24.js from the configured origin and drives the portal through it',
    async run({ stack, context: browser, use }) {
      let asked
      let seen
      const { page, frame, response } = await openCallCard(browser, stack, {
        bridge: 'portal',
        beforeOpen: async (p) => {
          asked = await serveFrameSdk(p, stack)
          seen = await stubCallCardApi(p, api())
        },
        waitFor: '[data-field="NAME"] input'
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

      await page.evaluate(() => window.__emitEntityChanged({ PHONE_NUMBER: '+79001234567', CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 9 }))
      const contexts = () => seen.filter((s) => s.key === 'GET /api/callcard/context')
      await until('the card reloading for the new record', () => contexts().length === 2)
      assert.equal(contexts()[1].url.searchParams.get('entity_id'), '9')

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
      const seen = []
      let renewed = null
      const { page } = await openCallCard(browser, stack, {
        bridge: 'portal',
        beforeOpen: async (p) => {
          await serveFrameSdk(p, stack)
          p.on('response', async (r) => {
            if (r.url().endsWith('/api/session/renew')) renewed = { status: r.status(), body: await r.json().catch(() => null) }
          })
          await p.route('**/api/callcard/context**', (r) => {
            seen.push(r.request().headers().authorization)
            return seen.length === 1
              ? r.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'session expired' } }) })
              : r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(context()) })
          })
          await p.route('**/api/callcard/client**', (r) =>
            r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ sections: [contact()] }) })
          )
        },
        waitFor: '[data-field="NAME"] input'
      })
      use(page)
      await until('the renewal answer', () => renewed !== null)
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body))
      assert.equal(seen.length, 2)
      assert.equal(seen[1], `Bearer ${renewed.body.session}`)
      assert.equal(await page.evaluate(() => window.__portal.auths), 1, 'one refreshAuth through BX24')
    }
  },
  {
    name: 'without the frame SDK the card still works and says why in the console',
    async run({ stack, context: browser, use }) {
      const warnings = []
      let asked
      const { page, frame } = await openCallCard(browser, stack, {
        bridge: 'portal',
        beforeOpen: async (p) => {
          p.on('console', (m) => {
            if (m.type() === 'warning') warnings.push(m.text())
          })
          asked = await serveFrameSdk(p, stack, { fail: true })
          await stubCallCardApi(p, api())
        },
        waitFor: '[data-field="NAME"] input'
      })
      use(page)
      await until('the warning', () => warnings.some((w) => w.includes('opdesk: the Bitrix24 frame SDK did not start')))
      assert.equal(asked.length, 1)
      assert.equal(await frame.inputValue('[data-field="NAME"] input'), 'Иван')
      assert.deepEqual(await page.evaluate(() => window.__portal.calls), [], 'nothing reached the portal')
    }
  }
]
