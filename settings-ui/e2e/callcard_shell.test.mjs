// The call card's frame against the real opdesk and portal emulator, with nothing stubbed: the
// frame sign-in answers the built shell with its bootstrap block, the assets are served
// fingerprinted, compressed and cached, placement data stays data, and the session is renewed
// through the local bridge with a fresh frame token. Every answer comes from opdesk; two tests
// disturb one request on its way (Playwright's routing): one never reaches opdesk (a network
// failure), one reaches it with a stale session so that opdesk itself answers 401.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { openCallCard, until } from './harness.mjs'
import { phones, world } from './world.mjs'

async function bootstrapOf(frame) {
  return frame.evaluate(() => JSON.parse(document.getElementById('opdesk-bootstrap').textContent))
}

function rawGet(url, path) {
  const { hostname, port } = new URL(url)
  return new Promise((ok, fail) => {
    const r = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume()
      res.on('end', () => ok(res.statusCode))
    })
    r.on('error', fail)
    r.end()
  })
}


export const tests = [
  {
    name: 'frame sign-in answers the shell with the session, language and placement',
    async run({ stack, context, use }) {
      const { page, frame, response } = await openCallCard(context, stack, {
        userId: 2,
        placementOptions: { CRM_BINDINGS: [{ ENTITY_TYPE: 'DEAL', ENTITY_ID: '25' }] },
        waitFor: 'main.callcard[data-state="ready"]'
      })
      use(page)
      assert.equal(response.status(), 200)
      const headers = await response.allHeaders()
      assert.match(headers['content-security-policy'], new RegExp(`^frame-ancestors https://127\\.0\\.0\\.1:${stack.emuPort};`))
      assert.equal(headers['cache-control'], 'no-store')
      assert.equal(headers['x-frame-options'], undefined)
      const boot = await bootstrapOf(frame)
      assert.ok(boot.session.length > 20)
      assert.ok(boot.session_expires_at_ms > Date.now())
      assert.equal(boot.lang, 'ru')
      assert.equal(boot.placement, 'CALL_CARD')
      assert.equal(boot.member_id, stack.memberId)
      assert.equal(boot.user.id, '2')
      assert.equal(boot.user.name, 'Борис Операторов')
      assert.equal(boot.placement_options.CALL_ID, 'externalCall.browser.1')
      assert.equal(boot.placement_options.CRM_ACTIVITY_ID, 'undefined')
      assert.deepEqual(boot.placement_options.CRM_BINDINGS, [{ ENTITY_TYPE: 'DEAL', ENTITY_ID: '25' }])
      assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ru')
    }
  },
  {
    name: 'assets are fingerprinted, gzipped and cached for a year; paths outside the build are refused',
    async run({ stack, context, use }) {
      const assets = []
      const { page } = await openCallCard(context, stack, {
        beforeOpen: (p) => {
          p.on('response', (r) => {
            if (r.url().includes('/ui/assets/')) assets.push(r)
          })
        },
        waitFor: 'main.callcard'
      })
      use(page)
      const kinds = new Set(assets.map((r) => new URL(r.url()).pathname.split('.').pop()))
      assert.ok(kinds.has('js') && kinds.has('css'), `loaded: ${assets.map((r) => r.url()).join(', ')}`)
      for (const r of assets) {
        const h = await r.allHeaders()
        assert.equal(r.status(), 200, r.url())
        assert.match(new URL(r.url()).pathname, /^\/ui\/assets\/[\w.-]+-[\w-]{8,}\.(js|css)$/)
        assert.equal(h['cache-control'], 'public, max-age=31536000, immutable', r.url())
        assert.equal(h['content-encoding'], 'gzip', r.url())
        assert.ok(h['etag'], r.url())
      }
      assert.equal(await rawGet(stack.opdeskUrl, '/ui/callcard.html'), 200)
      for (const path of ['/ui/../../etc/passwd', '/ui/%2e%2e/%2e%2e/etc/passwd', '/ui/assets/..%2f..%2fcallcard.html', '/ui/nope.js']) {
        assert.equal(await rawGet(stack.opdeskUrl, path), 404, path)
      }
    }
  },
  {
    name: 'placement data with </script> and HTML stays data',
    async run({ stack, context, use }) {
      const payload = '</script><img src=x onerror="top.__pwned=1"><script>top.__pwned=2</script>'
      const { page, frame } = await openCallCard(context, stack, {
        placementOptions: { CALL_ID: payload, PHONE_NUMBER: '<b>+7900</b>' },
        waitFor: 'main.callcard[data-state="ready"]'
      })
      use(page)
      const boot = await bootstrapOf(frame)
      assert.equal(boot.placement_options.CALL_ID, payload)
      assert.equal((await frame.textContent('[data-testid="phone"]')).trim(), '<b>+7900</b>')
      assert.equal(await frame.evaluate(() => document.querySelectorAll('img').length), 0)
      assert.equal(await frame.evaluate(() => document.querySelectorAll('script').length), 2) // bootstrap + entry
      assert.equal(await page.evaluate(() => window.__pwned), undefined)
    }
  },
  {
    name: 'English portals get the English page',
    async run({ stack, context, use }) {
      // User 3 holds no role (e2e/world.mjs).
      const { page, frame } = await openCallCard(context, stack, {
        userId: 3,
        lang: 'en',
        waitFor: '[data-testid="no-seat"]'
      })
      use(page)
      assert.equal(await frame.evaluate(() => document.documentElement.lang), 'en')
      assert.equal((await bootstrapOf(frame)).lang, 'en')
      assert.match(await frame.textContent('[data-testid="no-seat"]'), /You have no opdesk role, so the call card is not available to you\./)
      assert.match(await frame.textContent('[data-testid="settings-link"]'), /Open opdesk settings/)
    }
  },
  {
    name: 'an unreachable API shows a clear Russian message and a retry that loads the card',
    async run({ stack, context, use }) {
      await world(stack)
      let asked = 0
      const { page, frame } = await openCallCard(context, stack, {
        userId: 2,
        placementOptions: { CALL_ID: 'externalCall.retry.1', PHONE_NUMBER: phones.client },
        // The first request never reaches opdesk (connection refused); the retry does.
        beforeOpen: (p) => p.route('**/api/callcard/context**', (r) => (++asked === 1 ? r.abort('connectionrefused') : r.continue())),
        waitFor: '[data-testid="load-error"]'
      })
      use(page)
      const text = await frame.textContent('[data-testid="load-error"]')
      assert.match(text, /Не удалось загрузить данные карточки\./)
      await frame.click('[data-testid="load-error"] button')
      await frame.waitForSelector('[data-section="contact:1"] [data-field="NAME"] input')
      assert.equal(asked, 2)
      assert.equal(await frame.locator('[data-testid="load-error"]').count(), 0)
    }
  },
  {
    name: 'an expired session is renewed through the bridge with a fresh frame token',
    async run({ stack, context, use }) {
      const seen = []
      const statuses = []
      let renewed = null
      const { page, frame } = await openCallCard(context, stack, {
        beforeOpen: (p) => {
          p.on('response', async (r) => {
            if (r.url().endsWith('/api/session/renew')) renewed = { status: r.status(), body: await r.json().catch(() => null), sent: r.request().postDataJSON() }
            if (new URL(r.url()).pathname === '/api/callcard/context') statuses.push(r.status())
          })
          // The first request reaches opdesk with a session it no longer accepts.
          return p.route('**/api/callcard/context**', (r) => {
            seen.push(r.request().headers().authorization)
            return seen.length === 1
              ? r.continue({ headers: { ...r.request().headers(), authorization: 'Bearer v1.stale.session' } })
              : r.continue()
          })
        },
        waitFor: 'main.callcard[data-state="ready"]'
      })
      use(page)
      const boot = await bootstrapOf(frame)
      await until('the renewal answer', () => renewed !== null)
      assert.deepEqual(statuses, [401, 200])
      assert.equal(seen.length, 2)
      assert.equal(seen[0], `Bearer ${boot.session}`)
      assert.ok(renewed, 'POST /api/session/renew was sent')
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body))
      assert.equal(renewed.sent.member_id, stack.memberId)
      assert.notEqual(renewed.sent.auth_id, '')
      assert.equal(seen[1], `Bearer ${renewed.body.session}`)
      assert.equal(await page.evaluate(() => window.__portal.auths), 1, 'one fresh token from the portal')
    }
  }
]
