// Benchmark of the settings pages (the app page, settings-ui/settings.html): the gzipped size of
// their JS and CSS — what settings.html loads, what each section's lazy chunk adds, and all of it
// — and, per section, the time until it is interactive in headless Chromium (Debian's, through
// playwright-core), framed by the portal harness against the real opdesk and portal emulator from
// build/ci, as the Supervisor (user 1) of the world settings-ui/e2e/world.mjs sets up.
//   node tests/bench/settings_ui_bench.mjs [runs]      (or: cd settings-ui && npm run bench)
// "Interactive" is the moment the section shows its data with its controls (a list row, the
// editor's first field…) — Vue has mounted and rendered what the API answered — measured inside
// the frame from the start of its navigation: the portal's form POST, so opdesk's frame sign-in,
// GET /api/settings/me and the section's own reads are all included. Cold runs start with an
// empty browser cache. Budgets: 1 s per section, 250 KB gz for all the settings JS + CSS but the
// script designer's own chunks, which have 120 KB gz of their own.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { closure, gz, kb, pageFiles, sumGz } from './bundle_sizes.mjs'
import { launchBrowser, openSettings, startStack, uiDir } from '../../settings-ui/e2e/harness.mjs'
import { world } from '../../settings-ui/e2e/world.mjs'

const runs = Number(process.argv[2] ?? 7)
const dist = join(uiDir, 'dist')

// ---- sizes ----
const files = pageFiles(dist, 'settings.html')
const initialSize = sumGz(dist, files.initial)
const allSize = sumGz(dist, files.all)
console.log('== settings pages bundle (settings-ui/dist, what settings.html loads and may load) ==')
for (const f of [...files.all].sort()) {
  console.log(`  ${files.initial.has(f) ? 'initial' : 'lazy   '}  ${f.padEnd(44)} ${kb(readFileSync(join(dist, f)).length).padStart(7)} KB raw  ${kb(gz(join(dist, f))).padStart(6)} KB gz`)
}
const chunkOf = (name) => [...files.all].find((f) => new RegExp(`^assets/${name}-[\\w-]+\\.js$`).test(f))
const sections = [
  ['Начало работы', '/start', 'StartPage', '[data-testid="step"]'],
  ['Кнопки', '/buttons', 'ButtonsPage', '[data-testid="row"] [data-testid="edit"]'],
  ['Кнопка (редактор)', '/buttons/{button}', 'ButtonEditor', '[data-testid="action"] [data-testid="kind"]'],
  ['Скрипты', '/scripts', 'ScriptsPage', '[data-testid="row"] [data-testid="publish"]'],
  ['Скрипт (дизайнер)', '/scripts/{script}', 'ScriptDesigner', '[data-testid="canvas"][data-ready]'],
  ['Роли', '/roles', 'RolesPage', '[data-testid="row"] [data-testid="edit"]'],
  ['Роль (редактор)', '/roles/{role}', 'RoleEditor', '[data-entity="contact"] input[type="checkbox"]'],
  ['Пользователи', '/users', 'UsersPage', '[data-testid="row"] [data-testid="role"]'],
  ['Интеграция', '/integration', 'IntegrationPage', '[data-testid="flag"] [data-testid="flag-input"]'],
  ['Журнал', '/audit', 'AuditPage', '[data-testid="entry"] [data-testid="diff"]']
]
console.log(`  initial (settings.html): ${kb(initialSize)} KB gz; each section adds its lazy chunks:`)
for (const [title, , chunk] of sections) {
  const c = chunkOf(chunk)
  if (!c) continue
  const extra = [...closure(dist, [c], files.initial)]
  console.log(`  + ${title.padEnd(20)} ${kb(sumGz(dist, extra)).padStart(6)} KB gz (${extra.length} files)`)
}
// The script designer's own chunks (Vue Flow, dagre: ScriptDesigner and the layout chunk it loads
// on demand) load on its page only; they have their own budget here and their own benchmark
// (script_designer_bench.mjs). Everything else shares the 250 KB budget.
const designerOwn = new Set([...files.all].filter((f) => /^assets\/(ScriptDesigner|layout)-[\w-]+\.(js|css)$/.test(f)))
const designerSize = sumGz(dist, designerOwn)
const restSize = allSize - designerSize
console.log(`  all settings JS + CSS ${kb(allSize)} KB gz: the designer's own chunks ${kb(designerSize)} KB gz (budget 120 KB${designerSize > 120 * 1024 ? ': OVER' : ''}), the rest ${kb(restSize)} KB gz (budget 250 KB${restSize > 250 * 1024 ? ': OVER' : ''})`)

// ---- time to interactive ----
const stack = await startStack({ rate: 100000, burst: 100000 })
const w = await world(stack)
const ids = { button: w.buttons.result, script: w.scripts.incoming.id, role: w.role }
const browser = await launchBrowser()
await browser.context.addInitScript((table) => {
  if (window === window.top) return
  const wanted = table[location.hash.replace(/^#/, '').replace(/\/\d+$/, '/:id')]
  if (!wanted) return
  new MutationObserver((_, observer) => {
    if (document.querySelector(wanted)) {
      window.__interactiveAt = performance.now()
      observer.disconnect()
    }
  }).observe(document, { childList: true, subtree: true })
}, Object.fromEntries(sections.map(([, path, , sel]) => [path.replace(/\{\w+\}/, ':id'), sel])))
const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const measure = async (path, selector, cold) => {
  const warmup = browser.context.pages()[0] ?? (await browser.context.newPage())
  const cdp = await browser.context.newCDPSession(warmup)
  if (cold) await cdp.send('Network.clearBrowserCache')
  await cdp.detach()
  const route = path.replace(/\{(\w+)\}/, (_, k) => ids[k])
  const { page, frame } = await openSettings(browser.context, stack, { route, waitFor: selector })
  await frame.waitForFunction(() => window.__interactiveAt !== undefined)
  const t = await frame.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0]
    return { interactive: window.__interactiveAt, response: nav.responseEnd }
  })
  await page.close()
  return t
}
let over = 0
try {
  await measure('/buttons', sections[1][3], true) // warm up the processes and the JIT
  console.log(`== time to interactive per section in headless Chromium, against opdesk + the portal emulator (${runs} runs each; ms from the frame's POST) ==`)
  for (const [title, path, , selector] of sections) {
    const cold = []
    const warm = []
    for (let i = 0; i < runs; i++) cold.push(await measure(path, selector, true))
    for (let i = 0; i < runs; i++) warm.push(await measure(path, selector, false))
    const f = (list, k) => list.map((x) => x[k])
    const p90 = Math.max(pct(f(cold, 'interactive'), 90), pct(f(warm, 'interactive'), 90))
    if (p90 > 1000) over++
    console.log(
      `  ${title.padEnd(20)} cold p50 ${pct(f(cold, 'interactive'), 50).toFixed(0).padStart(4)} / p90 ${pct(f(cold, 'interactive'), 90).toFixed(0).padStart(4)}` +
        `   warm p50 ${pct(f(warm, 'interactive'), 50).toFixed(0).padStart(4)} / p90 ${pct(f(warm, 'interactive'), 90).toFixed(0).padStart(4)}` +
        `   (shell answered p50 ${pct(f(cold, 'response'), 50).toFixed(0)}) budget 1000${p90 > 1000 ? ': OVER' : ''}`
    )
  }
} finally {
  await browser.close()
  await stack.stop()
}
process.exit(over === 0 && restSize <= 250 * 1024 && designerSize <= 120 * 1024 ? 0 : 1)
