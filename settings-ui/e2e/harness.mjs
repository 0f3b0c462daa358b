// The browser-test harness: starts the Bitrix24 portal emulator (b24emu) and opdesk from
// build/ci, installs the app into the emulated portal, talks to opdesk's settings and vendor
// admin APIs and to the emulator's control API the way the C++ end-to-end tests do (setup and
// checks of real effects: the CRM records, the REST requests, opdesk's SQLite database), and
// plays the portal page in headless
// Chromium (Debian's, driven by playwright-core): it POSTs the CALL_CARD frame into an iframe the
// way Bitrix24 does (query DOMAIN/PROTOCOL/LANG/APP_SID, form AUTH_ID, member_id,
// APPLICATION_TOKEN, PLACEMENT, PLACEMENT_OPTIONS …) and answers the page's local frame bridge
// (settings-ui/src/shared/bridge/local.ts). Used by e2e/run.mjs and tests/bench.
//
// The harness page is served by this process through Playwright's request routing at the
// portal's own origin (https://127.0.0.1:<emulator port>), because opdesk lets only the portal
// frame the card (CSP frame-ancestors https://<portal>). Nothing leaves the machine.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, existsSync, openSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
export const uiDir = resolve(here, '..')
export const repoDir = resolve(uiDir, '..')
const buildDir = process.env.OPDESK_BUILD_DIR ?? join(repoDir, 'build', 'ci')
export const opdeskBinary = join(buildDir, 'connector', 'opdesk')
export const emulatorBinary = join(buildDir, 'tests', 'emulators', 'bitrix24', 'b24emu')
// The Mango VPBX emulator: the Integration page's connection check and directory talk to it.
export const mangoEmulatorBinary = join(buildDir, 'tests', 'emulators', 'mango', 'mangoemu')
// The Megaplan account emulator: the «Мегаплан» page's account (connected as its integration
// employee `bot` before opdesk starts).
export const megaplanEmulatorBinary = join(buildDir, 'tests', 'emulators', 'megaplan', 'mpemu')
const mangoKeys = { key: 'vpbx-test-key', salt: 'vpbx-test-salt' }
// The vendor's way to order the paid plan (config tariff.*), shown on the Users page.
const tariffConfig = {
  orderUrl: 'https://opdesk.example/order?plan=standard',
  contacts: 'Telegram @opdesk_sales, sales@opdesk.example'
}
export const chromiumPath = process.env.OPDESK_CHROMIUM ?? '/usr/bin/chromium'

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => ok(port))
    })
  })
}

// Polls `check` until it holds (tests wait on events seen by this process this way).
export async function until(what, check, timeoutMs = 10_000) {
  return waitFor(what, check, timeoutMs)
}

async function waitFor(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await check()) return
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

// The emulated portal and opdesk with the app installed. stop() ends both (by pid).
// `rate`/`burst` are the emulated portal's REST budget, and opdesk's budget for the portal is
// raised to the same (through the admin API): Bitrix24's 2 requests/s are not what these tests
// and benchmarks look at.
export async function startStack({
  uiDist = join(uiDir, 'dist'),
  memberId = 'browser-portal',
  rate = 100,
  burst = 1000
} = {}) {
  for (const [name, path] of [
    ['opdesk', opdeskBinary],
    ['b24emu', emulatorBinary],
    ['mangoemu', mangoEmulatorBinary],
    ['mpemu', megaplanEmulatorBinary]
  ]) {
    if (!existsSync(path)) throw new Error(`${name} is not built: ${path} (cmake --build --preset ci)`)
  }
  if (!existsSync(join(uiDist, 'callcard.html'))) {
    throw new Error(`the front end is not built: ${uiDist} (npm run build)`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-browser-'))
  const emuPort = await freePort()
  const mangoPort = await freePort()
  const mangoUrl = `http://127.0.0.1:${mangoPort}`
  const opdeskPort = await freePort()
  const megaplanPort = await freePort()
  const megaplanUrl = `http://127.0.0.1:${megaplanPort}`
  const emuUrl = `http://127.0.0.1:${emuPort}`
  const opdeskUrl = `http://127.0.0.1:${opdeskPort}`
  const children = []
  const log = (name) => openSync(join(dir, `${name}.log`), 'a')

  const adminToken = randomBytes(16).toString('hex')
  const emu = spawn(emulatorBinary, ['--port', String(emuPort), '--member-id', memberId, '--rate', String(rate), '--burst', String(burst)], {
    stdio: ['ignore', log('b24emu'), log('b24emu')]
  })
  children.push(emu)
  const mango = spawn(
    mangoEmulatorBinary,
    ['--port', String(mangoPort), '--api-key', mangoKeys.key, '--api-salt', mangoKeys.salt, '--webhook-base', `http://127.0.0.1:${opdeskPort}/mango/`],
    { stdio: ['ignore', log('mangoemu'), log('mangoemu')] }
  )
  children.push(mango)
  const megaplan = spawn(megaplanEmulatorBinary, ['--port', String(megaplanPort)], { stdio: ['ignore', log('mpemu'), log('mpemu')] })
  children.push(megaplan)
  const env = {
    PATH: process.env.PATH,
    OPDESK_DATA_DIR: join(dir, 'var'),
    OPDESK_LISTEN: `127.0.0.1:${opdeskPort}`,
    OPDESK_PUBLIC_URL: opdeskUrl,
    OPDESK_BITRIX24_CLIENT_ID: 'app.test',
    OPDESK_BITRIX24_CLIENT_SECRET: 'secret.test',
    OPDESK_BITRIX24_OAUTH_URL: `${emuUrl}/`,
    OPDESK_ALLOW_INSECURE_ENDPOINTS: 'true',
    OPDESK_BITRIX24_FRAME_SDK_URL: `${emuUrl}/_emu/bx24.js`,
    OPDESK_UI_DIST_DIR: uiDist,
    OPDESK_JOBS_POLL_INTERVAL_MS: '20',
    OPDESK_DATABASE_POOL_SIZE: '4',
    OPDESK_HTTP_THREADS: '2',
    OPDESK_ADMIN_TOKEN: adminToken,
    OPDESK_PLANS_CHECK_INTERVAL_SECONDS: '1',
    OPDESK_MANGO_API_URL: `${mangoUrl}/vpbx/`,
    // The periodic directory refresh runs on wall-clock slots (5 min by default); one falling
    // inside a test takes the VPBX's directory slot (1 request per 2 s) that the test's own
    // connect or check waits for. The C++ e2e suite covers the periodic refresh.
    OPDESK_MANGO_DIRECTORY_REFRESH_SECONDS: '86400',
    OPDESK_TARIFF_ORDER_URL: tariffConfig.orderUrl,
    OPDESK_TARIFF_CONTACTS: tariffConfig.contacts
  }
  const migrated = spawnSync(opdeskBinary, ['migrate'], { env, cwd: dir, encoding: 'utf8' })
  if (migrated.status !== 0) throw new Error(`opdesk migrate failed: ${migrated.stderr}${migrated.stdout}`)
  await waitFor('mpemu', async () => (await fetch(`${megaplanUrl}/_emu/state`)).ok)
  const connected = spawnSync(opdeskBinary, ['tenant', 'megaplan', '--url', megaplanUrl, '--login', 'bot', '--password', 'bot-pass'], { env, cwd: dir, encoding: 'utf8' })
  if (connected.status !== 0) throw new Error(`opdesk tenant megaplan failed: ${connected.stderr}${connected.stdout}`)
  const opdesk = spawn(opdeskBinary, ['serve'], { env, cwd: dir, stdio: ['ignore', log('opdesk'), log('opdesk')] })
  children.push(opdesk)

  const stop = async () => {
    for (const child of children) {
      if (child.exitCode === null) child.kill('SIGTERM')
    }
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))
    )
    if (process.env.KEEP_STACK) console.log('stack kept in', dir)
    else rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor('b24emu', async () => (await fetch(`${emuUrl}/_emu/stats`)).ok)
    await waitFor('mangoemu', async () => (await fetch(`${mangoUrl}/_emu/stats`)).ok)
    await waitFor('opdesk', async () => (await fetch(`${opdeskUrl}/healthz`)).ok)
    // The portal installs the app (install callback → setup in the background), as the sandbox does.
    const installed = await fetch(`${emuUrl}/_emu/portal/install-callback`, {
      method: 'POST',
      body: JSON.stringify({ url: `${opdeskUrl}/b24/events` })
    })
    if (!installed.ok) throw new Error(`install callback failed: ${await installed.text()}`)
    await waitFor('the install', async () =>
      (await (await fetch(`${opdeskUrl}/metrics`)).text()).includes('opdesk_b24_portals{state="installed"} 1')
    )
    const limits = await fetch(`${opdeskUrl}/api/admin/bitrix24/portals/${memberId}/limits`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rate_per_s: Math.min(rate, 100), burst: Math.min(burst, 1000) })
    })
    if (!limits.ok) throw new Error(`raising the portal's limits failed: ${await limits.text()}`)
  } catch (e) {
    await stop()
    throw e
  }
  const sessions = new Map()
  const stack = {
    dir,
    emuUrl,
    emuPort,
    opdeskUrl,
    memberId,
    database: join(dir, 'var', 'opdesk.db'),
    // The origin the portal's pages have (the emulator's host, over https as Bitrix24 serves it).
    portalOrigin: `https://127.0.0.1:${emuPort}`,
    tariff: tariffConfig,
    // The Mango emulator: its VPBX's key and salt, and its control API (/_emu/...).
    mango: {
      ...mangoKeys,
      url: mangoUrl,
      async control(method, path, body) {
        const r = await fetch(mangoUrl + path, { method, body: body === undefined ? undefined : JSON.stringify(body) })
        if (!r.ok) throw new Error(`mango ${method} ${path} → ${r.status} ${await r.text()}`)
        return r.json()
      }
    },
    // The Megaplan account (mpemu): its address, host (the page is /megaplan/<host>), tenant id
    // and control API (/_emu/...).
    megaplan: {
      url: megaplanUrl,
      host: `127.0.0.1:${megaplanPort}`,
      tenant: `megaplan:127.0.0.1:${megaplanPort}`,
      async control(method, path, body) {
        const r = await fetch(megaplanUrl + path, { method, body: body === undefined ? undefined : JSON.stringify(body) })
        if (!r.ok) throw new Error(`mpemu ${method} ${path} → ${r.status} ${await r.text()}`)
        return r.json()
      }
    },
    // The emulator's control API (/_emu/...): seed, state, requests, faults, tokens.
    async control(method, path, body) {
      const r = await fetch(emuUrl + path, { method, body: body === undefined ? undefined : JSON.stringify(body) })
      if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${await r.text()}`)
      return r.json()
    },
    // The UI session a user of the portal gets by opening the app's page (/b24/app) there: what
    // the settings pages use. Kept per user; `fresh` opens the page again.
    async sessionOf(userId, { fresh = false } = {}) {
      if (!fresh && sessions.has(userId)) return sessions.get(userId)
      const frame = await stack.control('POST', '/_emu/portal/frame', { url: `${opdeskUrl}/b24/app`, user_id: userId })
      const m = /"session":"([^"]+)"/.exec(frame.body ?? '')
      if (frame.status !== 200 || !m) throw new Error(`no session in the app page for user ${userId}: ${frame.status} ${String(frame.body).slice(0, 300)}`)
      sessions.set(userId, m[1])
      return m[1]
    },
    // One call of opdesk's JSON API as `user` (a portal user id; the session of their app page):
    // { status, body }. Never throws on an HTTP status.
    async api(method, path, body, { user = 1 } = {}) {
      const send = async (session) => {
        const r = await fetch(opdeskUrl + path, {
          method,
          headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body)
        })
        const text = await r.text()
        return { status: r.status, body: text ? JSON.parse(text) : null }
      }
      let r = await send(await stack.sessionOf(user))
      if (r.status === 401) r = await send(await stack.sessionOf(user, { fresh: true }))
      return r
    },
    // The vendor admin API (/api/admin/...): { status, body }.
    async admin(method, path, body) {
      const r = await fetch(opdeskUrl + path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const text = await r.text()
      return { status: r.status, body: text ? JSON.parse(text) : null }
    },
    // Rows of a query on opdesk's own SQLite database, through the sqlite3 CLI (read only).
    sql(query) {
      const r = spawnSync('sqlite3', ['-readonly', '-json', stack.database, query], { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`)
      return r.stdout.trim() ? JSON.parse(r.stdout) : []
    },
    stop
  }
  return stack
}

// A browser with a fresh profile. close() removes the profile.
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'opdesk-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 420, height: 760 },
    ignoreHTTPSErrors: true
  })
  // The harness page stands at the portal's https origin while opdesk answers on loopback;
  // Chromium's local-network-access check would stop that frame, as a user's prompt would.
  await context.grantPermissions(['local-network-access'])
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
}

// The portal page that frames the card. The bridge answers come from window.__portal, which the
// tests read (disableAutoClose counts, resizes) and drive (EntityChanged).
function portalPage({ action, fields, placementOptions, frameName, frameStyle = 'width:400px;height:740px' }) {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>portal</title>
<style>body{margin:0;font:13px sans-serif;background:#eef2f4}iframe{border:0;background:#fff;display:block}</style>
</head><body>
<iframe name="${escapeHtml(frameName)}" id="card" style="${escapeHtml(frameStyle)}"></iframe>
<form id="open" method="post" target="${escapeHtml(frameName)}" action="${escapeHtml(action)}">${inputs}</form>
<script>
window.__portal = { calls: [], disableAutoClose: 0, enableAutoClose: 0, resizes: [], auths: 0 };
const options = ${JSON.stringify(placementOptions).replace(/</g, '\\u003c')};
window.addEventListener('message', async (event) => {
  const frame = document.getElementById('card').contentWindow;
  if (event.source !== frame) return;
  const m = event.data;
  if (!m || m.opdesk !== 'bridge') return;
  window.__portal.calls.push(m.method);
  let result = null, error = null;
  try {
    switch (m.method) {
      case 'placementInfo': result = { placement: 'CALL_CARD', options }; break;
      case 'disableAutoClose': window.__portal.disableAutoClose++; result = true; break;
      case 'enableAutoClose': window.__portal.enableAutoClose++; result = true; break;
      case 'resize': window.__portal.resizes.push(m.params.height); result = true; break;
      case 'getAuth': window.__portal.auths++; result = await window.__issueFrameToken(); break;
      default: error = 'unknown command ' + m.method;
    }
  } catch (e) { error = String(e); }
  frame.postMessage({ opdesk: 'bridge', id: m.id, result, error }, '*');
});
window.__emitEntityChanged = (data) =>
  document.getElementById('card').contentWindow.postMessage({ opdesk: 'bridge', event: 'CallCard::EntityChanged', data }, '*');
document.getElementById('open').submit();
</script></body></html>`
}

// Opens the call card for `userId` as the portal would and returns { page, frame, response }:
// `response` is opdesk's answer to the frame POST. `bridge: 'portal'` names the iframe the way
// Bitrix24 does ("DOMAIN|PROTOCOL|APP_SID"), so the page starts its real-portal bridge and loads
// the frame SDK from bitrix24.frame_sdk_url (the emulator's URL; tests route it to a stand-in);
// the default names it for the local postMessage bridge.
export async function openCallCard(
  context,
  stack,
  { userId = 1, placementOptions = {}, lang = 'ru', waitFor = 'main.callcard', beforeOpen, bridge = 'local' } = {}
) {
  const page = await context.newPage()
  const issue = async () => {
    const t = await stack.control('POST', '/_emu/tokens/issue', { user_id: userId })
    return t
  }
  await page.exposeFunction('__issueFrameToken', async () => ({ access_token: (await issue()).access_token }))
  const tokens = await issue()
  const appSid = Math.random().toString(16).slice(2)
  const domain = `127.0.0.1:${stack.emuPort}`
  const query = new URLSearchParams({ DOMAIN: domain, PROTOCOL: '1', LANG: lang, APP_SID: appSid })
  const options = {
    CALL_ID: 'externalCall.browser.1',
    PHONE_NUMBER: '+79001234567',
    LINE_NUMBER: '+74950000000',
    CRM_ENTITY_TYPE: '',
    CRM_ENTITY_ID: '0',
    CRM_ACTIVITY_ID: 'undefined',
    CALL_DIRECTION: 'incoming',
    CALL_STATE: 'connected',
    CALL_LIST_MODE: 'false',
    ...placementOptions
  }
  const html = portalPage({
    action: `${stack.opdeskUrl}/b24/callcard?${query}`,
    frameName: bridge === 'portal' ? `${domain}|1|${appSid}` : 'opdesk-local-bridge',
    placementOptions: options,
    fields: {
      AUTH_ID: tokens.access_token,
      AUTH_EXPIRES: '3600',
      REFRESH_ID: tokens.refresh_token,
      SERVER_ENDPOINT: `${stack.emuUrl}/rest/`,
      APPLICATION_TOKEN: await applicationToken(),
      APPLICATION_SCOPE: 'crm,telephony,placement,user_basic,task',
      member_id: stack.memberId,
      status: 'L',
      PLACEMENT: 'CALL_CARD',
      PLACEMENT_OPTIONS: JSON.stringify(options)
    }
  })
  const portalUrl = `${stack.portalOrigin}/crm/call-card/harness`
  await page.route(portalUrl, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
  )
  if (beforeOpen) await beforeOpen(page)
  const answer = page.waitForResponse((r) => r.url().startsWith(`${stack.opdeskUrl}/b24/callcard`))
  await page.goto(portalUrl)
  const response = await answer
  const frame = await (await page.waitForSelector('iframe#card')).contentFrame()
  if (waitFor) await frame.waitForSelector(waitFor, { timeout: 15_000 })
  return { page, frame, response }
}

// Opens the app's page (the settings pages) for `userId` as the portal does — POST /b24/app with
// PLACEMENT=DEFAULT into a frame named for the local bridge — at `route` (a hash route such as
// '/buttons'). Returns { page, frame, response }. The frame is as wide as the portal's work area;
// its height follows the page's resize requests, as BX24.fitWindow does in the portal.
export async function openSettings(
  context,
  stack,
  { userId = 1, route = '/', lang = 'ru', waitFor = 'main.settings-main [data-testid="page-title"]', width = 1200 } = {}
) {
  const page = await context.newPage()
  await page.setViewportSize({ width: width + 20, height: 900 })
  const issue = () => stack.control('POST', '/_emu/tokens/issue', { user_id: userId })
  await page.exposeFunction('__issueFrameToken', async () => ({ access_token: (await issue()).access_token }))
  const tokens = await issue()
  const appSid = Math.random().toString(16).slice(2)
  const domain = `127.0.0.1:${stack.emuPort}`
  const query = new URLSearchParams({ DOMAIN: domain, PROTOCOL: '1', LANG: lang, APP_SID: appSid })
  const html = portalPage({
    action: `${stack.opdeskUrl}/b24/app?${query}#${route}`,
    frameName: 'opdesk-local-bridge',
    frameStyle: `width:${width}px;height:860px`,
    placementOptions: {},
    fields: {
      AUTH_ID: tokens.access_token,
      AUTH_EXPIRES: '3600',
      REFRESH_ID: tokens.refresh_token,
      SERVER_ENDPOINT: `${stack.emuUrl}/rest/`,
      APPLICATION_TOKEN: await applicationToken(),
      member_id: stack.memberId,
      status: 'L',
      PLACEMENT: 'DEFAULT',
      PLACEMENT_OPTIONS: '{}'
    }
  })
  const portalUrl = `${stack.portalOrigin}/marketplace/app/opdesk/`
  await page.route(portalUrl, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
  )
  const answer = page.waitForResponse((r) => r.url().startsWith(`${stack.opdeskUrl}/b24/app`))
  await page.goto(portalUrl)
  const response = await answer
  const frame = await (await page.waitForSelector('iframe#card')).contentFrame()
  if (waitFor) await frame.waitForSelector(waitFor, { timeout: 15_000 })
  return { page, frame, response }
}

// Follows the frame's resize requests so a full-page screenshot shows the whole settings page
// (the window grows with it: Chromium paints a frame only within the window).
export async function fitFrame(page) {
  const height = await page.evaluate(() => {
    const sizes = window.__portal.resizes
    const last = sizes[sizes.length - 1]
    if (last) document.getElementById('card').style.height = `${last + 20}px`
    return last ? last + 40 : 0
  })
  const size = page.viewportSize()
  if (height > 0 && size) await page.setViewportSize({ width: size.width, height: Math.max(height, 600) })
}

// The application token the emulated portal sends with frames (b24emu's --application-token,
// left at its default).
async function applicationToken() {
  return 'apptoken-1'
}
