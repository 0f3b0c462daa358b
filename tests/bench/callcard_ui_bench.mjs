// Benchmark of the call card's front end: the gzipped size of its JS and CSS, and the time until
// the card is interactive in headless Chromium (Debian's, through playwright-core), framed by the
// portal harness against the real opdesk and portal emulator from build/ci.
//   node tests/bench/callcard_ui_bench.mjs [runs]        (or: cd settings-ui && npm run bench)
// "Interactive" is the moment the card shows the client's editable fields with its handlers
// attached (Vue has mounted and rendered the data), measured inside the frame from the start of
// its navigation — the portal's form POST, so opdesk's frame sign-in is included — until the
// Client tab shows the caller's fields: the whole open of a card, with opdesk's answers
// (context, then client) from the portal emulator (settings-ui/e2e/world.mjs sets up the
// operator, user 2, and the caller, contact 1). Cold runs start with an empty browser cache. The
// portal's REST budget is lifted as in callcard_api_bench.mjs. Budget: 1 s.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gz, kb, pageFiles } from './bundle_sizes.mjs'
import { launchBrowser, openCallCard, startStack, uiDir } from '../../settings-ui/e2e/harness.mjs'
import { phones, world } from '../../settings-ui/e2e/world.mjs'

const runs = Number(process.argv[2] ?? 15)
const dist = join(uiDir, 'dist')

// Initial: what callcard.html loads (entry script, its CSS, modulepreloads). Lazy: chunks the
// card imports later. Only what callcard.html reaches counts: the settings pages (settings.html)
// are another page of the same build. The portal's frame SDK (BX24.js) is not part of the build:
// the portal serves it, and the card loads it only inside a real portal's frame.
const files = pageFiles(dist, 'callcard.html')
const rows = [...files.all].sort().map((file) => {
  const path = join(dist, file)
  return { file, raw: readFileSync(path).length, gz: gz(path), initial: files.initial.has(file) }
})

const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

console.log('== call card bundle (settings-ui/dist, what callcard.html loads) ==')
for (const r of rows) console.log(`  ${r.initial ? 'initial' : 'lazy   '}  ${r.file.padEnd(36)} ${kb(r.raw).padStart(7)} KB raw  ${kb(r.gz).padStart(6)} KB gz`)
const sum = (f) => rows.filter(f).reduce((a, r) => a + r.gz, 0)
const initialJs = sum((r) => r.initial && r.file.endsWith('.js'))
const initialCss = sum((r) => r.initial && r.file.endsWith('.css'))
const lazy = sum((r) => !r.initial)
console.log(`  initial JS ${kb(initialJs)} KB gz + CSS ${kb(initialCss)} KB gz = ${kb(initialJs + initialCss)} KB gz`)
const total = initialJs + initialCss + lazy
console.log(`  lazy chunks ${kb(lazy)} KB gz; all JS + CSS ${kb(total)} KB gz (budget 200 KB${total > 200 * 1024 ? ': OVER' : ''})`)

const stack = await startStack({ rate: 100000, burst: 100000 })
const lifted = spawnSync(
  'sqlite3',
  ['-cmd', '.timeout 5000', stack.database, 'UPDATE b24_portals SET rate_per_s = 100000, burst = 100000'],
  { encoding: 'utf8' }
)
if (lifted.status !== 0) throw new Error(`lifting the portal's budget failed: ${lifted.stderr}`)
await world(stack)
const browser = await launchBrowser()
let opened = 0
// Marks, inside the card's frame, the first moment an editable client field exists.
await browser.context.addInitScript(() => {
  if (window === window.top) return
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-field] input')) {
      window.__interactiveAt = performance.now()
      observer.disconnect()
    }
  }).observe(document, { childList: true, subtree: true })
})
const measure = async (cold) => {
  const cdp = await browser.context.newCDPSession(browser.context.pages()[0] ?? (await browser.context.newPage()))
  if (cold) await cdp.send('Network.clearBrowserCache')
  await cdp.detach()
  const { page, frame } = await openCallCard(browser.context, stack, {
    userId: 2,
    placementOptions: { CALL_ID: `externalCall.uibench.${++opened}`, PHONE_NUMBER: phones.client },
    waitFor: '[data-section="contact:1"] [data-field] input'
  })
  await frame.waitForFunction(() => window.__interactiveAt !== undefined)
  const t = await frame.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0]
    return { interactive: window.__interactiveAt, response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd }
  })
  await page.close()
  return t
}
try {
  await measure(true) // warm up the processes and the JIT
  const cold = []
  const warm = []
  for (let i = 0; i < runs; i++) cold.push(await measure(true))
  for (let i = 0; i < runs; i++) warm.push(await measure(false))
  console.log(`== time to interactive in headless Chromium: the whole open of a card against opdesk + the portal emulator (${runs} runs each; ms from the frame's POST) ==`)
  for (const [name, list] of [['cold cache', cold], ['warm cache', warm]]) {
    const f = (k) => list.map((x) => x[k])
    console.log(
      `  ${name}: interactive p50 ${pct(f('interactive'), 50).toFixed(0)} / p90 ${pct(f('interactive'), 90).toFixed(0)} / max ${Math.max(...f('interactive')).toFixed(0)}` +
        `   (shell answered p50 ${pct(f('response'), 50).toFixed(0)}, DOMContentLoaded p50 ${pct(f('dcl'), 50).toFixed(0)}) budget 1000`
    )
  }
} finally {
  await browser.close()
  await stack.stop()
}
