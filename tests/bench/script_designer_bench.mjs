// Benchmark of the script designer (settings-ui/src/settings/scripts/designer) with a 200-step
// script, in headless Chromium (Debian's, through playwright-core) framed by the portal harness
// against the real opdesk and portal emulator from build/ci, as the Supervisor:
//   node tests/bench/script_designer_bench.mjs [runs]      (or: cd settings-ui && npm run bench)
// - the designer's own JS + CSS (the lazy chunks only the designer loads), gzipped;
// - time to interactive: from the start of the frame's navigation (the portal's form POST, so
//   the frame sign-in, GET /api/settings/me, the designer's chunk and the script's read are all
//   included) until the canvas has every step's measures, shows them fitted into view
//   (data-ready) and the browser has painted that frame;
//   cold (empty browser cache) and warm; budget 1 s;
// - pan and zoom frame times: the real mouse drags the canvas and turns the wheel while the page
//   records every animation frame; fps = frames per second over the gesture, with the p95 and
//   the longest frame; budget ≥ 50 fps.
import { loadavg, cpus } from 'node:os'
import { join } from 'node:path'
import { closure, kb, pageFiles, sumGz } from './bundle_sizes.mjs'
import { launchBrowser, openSettings, startStack, uiDir } from '../../settings-ui/e2e/harness.mjs'
import { settings, world } from '../../settings-ui/e2e/world.mjs'

const runs = Number(process.argv[2] ?? 5)
const stepsWanted = 200
const dist = join(uiDir, 'dist')

// ---- sizes ----
const files = pageFiles(dist, 'settings.html')
const designer = [...files.all].find((f) => /^assets\/ScriptDesigner-[\w-]+\.js$/.test(f))
if (!designer) throw new Error('no ScriptDesigner chunk in settings-ui/dist (npm run build)')
const extra = [...closure(dist, [designer], files.initial)]
const scriptsPage = [...files.all].find((f) => /^assets\/ScriptsPage-[\w-]+\.js$/.test(f))
const beforeDesigner = new Set([...files.initial, ...closure(dist, [scriptsPage], files.initial)])
const own = [...closure(dist, [designer], beforeDesigner)]
console.log('== script designer bundle (settings-ui/dist) ==')
console.log(`  the designer's chunks beyond settings.html: ${kb(sumGz(dist, extra))} KB gz (${extra.length} files)`)
console.log(`  beyond the «Скрипты» list it opens from:    ${kb(sumGz(dist, own))} KB gz (${own.length} files: ${own.map((f) => f.replace(/^assets\//, '').replace(/-[\w-]+\./, '.')).join(', ')})`)
const initialHasFlow = [...files.initial].some((f) => /ScriptDesigner|vue-flow|dagre|layout/.test(f))
console.log(`  settings.html itself loads designer code: ${initialHasFlow ? 'YES (wrong)' : 'no'}`)

// ---- a 200-step script: a tree three wide, some links back, five common answers ----
function bigScript() {
  const steps = []
  const common = 5
  const main = stepsWanted - common
  for (let i = 0; i < main; i++) {
    const next = []
    for (let k = 1; k <= 3; k++) if (3 * i + k < main) next.push(`s${3 * i + k}`)
    if (next.length === 0 && i % 7 === 0 && i > 10) next.push(`s${Math.floor(i / 9)}`)
    steps.push({ id: `s${i}`, title: `Шаг ${i}: ответ клиента`, hint: `Подсказка оператору для шага ${i}. Уточните детали и предложите следующий шаг.`, x: 0, y: 0, fields: i % 10 === 0 ? [{ entity: 'contact', code: 'NAME', editable: i % 20 === 0 }] : [], next })
  }
  // Positions of a tree laid out level by level.
  const level = (i) => Math.floor(Math.log(2 * i + 1) / Math.log(3))
  const perLevel = new Map()
  for (const s of steps) {
    const i = Number(s.id.slice(1))
    const l = level(i)
    const n = perLevel.get(l) ?? 0
    perLevel.set(l, n + 1)
    s.x = n * 280
    s.y = l * 220
  }
  for (let c = 0; c < common; c++) steps.push({ id: `c${c}`, title: `Возражение ${c}`, hint: 'Ответ на возражение.', x: c * 280, y: 1600, fields: [], next: [], common: true })
  return { start_step: 's0', steps }
}

const stack = await startStack({ rate: 100000, burst: 100000 })
await world(stack)
const made = await settings(stack, 'POST', '/api/settings/scripts', { name: 'Большой скрипт (бенчмарк)', draft: bigScript() })
const browser = await launchBrowser()
await browser.context.addInitScript(() => {
  if (window === window.top) return
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="canvas"][data-ready]')) {
      observer.disconnect()
      // Opened = the frame that shows the fitted canvas has been painted: the next animation
      // frame's callbacks run before its paint, a task queued from them runs after it.
      requestAnimationFrame(() => setTimeout(() => (window.__interactiveAt = performance.now())))
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-ready'] })
})
const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

async function openDesigner(cold) {
  const warmup = browser.context.pages()[0] ?? (await browser.context.newPage())
  const cdp = await browser.context.newCDPSession(warmup)
  if (cold) await cdp.send('Network.clearBrowserCache')
  await cdp.detach()
  const opened = await openSettings(browser.context, stack, { route: `/scripts/${made.id}`, waitFor: '[data-testid="canvas"][data-ready]' })
  await opened.frame.waitForFunction(() => window.__interactiveAt !== undefined)
  const t = await opened.frame.evaluate(() => ({
    interactive: window.__interactiveAt,
    steps: document.querySelectorAll('.vue-flow__node-step').length,
    marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('designer:')).map((m) => [m.name.slice(9), m.startTime]))
  }))
  return { ...opened, ...t }
}

// Frame times while `gesture` runs: every requestAnimationFrame is recorded in the page.
async function frames(frame, gesture) {
  await frame.evaluate(() => {
    window.__frames = []
    const tick = (t) => {
      window.__frames.push(t)
      if (window.__recording) requestAnimationFrame(tick)
    }
    window.__recording = true
    requestAnimationFrame(tick)
  })
  await gesture()
  const stamps = await frame.evaluate(() => {
    window.__recording = false
    return window.__frames
  })
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i])
  const span = stamps[stamps.length - 1] - stamps[0]
  return { fps: ((stamps.length - 1) * 1000) / span, p95: pct(gaps, 95), max: Math.max(...gaps), count: gaps.length }
}

let failed = 0
// Timings depend on what else the machine runs; say so next to them.
const load = () => `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`
try {
  await openDesigner(true).then((o) => o.page.close()) // warm up the processes and the JIT
  console.log(`== time to interactive, ${stepsWanted} steps (${runs} runs each; ms from the frame's POST to the painted opening view; ${load()}) ==`)
  const cold = []
  const warm = []
  let shown = 0
  const phases = []
  for (let i = 0; i < runs; i++) {
    const o = await openDesigner(true)
    cold.push(o.interactive)
    shown = o.steps
    await o.page.close()
  }
  for (let i = 0; i < runs; i++) {
    const o = await openDesigner(false)
    warm.push(o.interactive)
    phases.push({ ...o.marks, painted: o.interactive })
    await o.page.close()
  }
  // Where a warm opening's time goes (p50 of each phase's end, from the designer's marks).
  const at = (name) => pct(phases.map((p) => p[name] ?? NaN), 50)
  console.log(
    `  warm phases (p50, ms from the POST): app up, designer mounted ${at('mounted').toFixed(0)}; script read ${at('fetched').toFixed(0)};` +
      ` model ready ${at('model').toFixed(0)}; canvas drawn and measured ${at('measured').toFixed(0)}; painted ${at('painted').toFixed(0)}`
  )
  const p90 = Math.max(pct(cold, 90), pct(warm, 90))
  if (p90 > 1000) failed++
  console.log(
    `  cold p50 ${pct(cold, 50).toFixed(0)} / p90 ${pct(cold, 90).toFixed(0)} / p95 ${pct(cold, 95).toFixed(0)}   warm p50 ${pct(warm, 50).toFixed(0)} / p90 ${pct(warm, 90).toFixed(0)} / p95 ${pct(warm, 95).toFixed(0)}` +
      `   (${shown} step cards drawn, those in view) budget 1000${p90 > 1000 ? ': OVER' : ''}`
  )

  console.log(`== pan and zoom with the real mouse (frames recorded with requestAnimationFrame; ${load()}) ==`)
  const o = await openDesigner(false)
  const { page, frame } = o
  const pane = await (await frame.$('[data-testid="canvas"]')).boundingBox()
  const cx = pane.x + pane.width / 2
  const cy = pane.y + pane.height / 2
  const report = (name, r) => {
    if (r.fps < 50) failed++
    console.log(`  ${name.padEnd(28)} ${r.fps.toFixed(1).padStart(5)} fps   p95 frame ${r.p95.toFixed(1)} ms   longest ${r.max.toFixed(1)} ms   (${r.count} frames) budget ≥ 50 fps${r.fps < 50 ? ': BELOW' : ''}`)
  }
  // Zoomed in to reading size first, so a pan moves full-size cards.
  await page.mouse.move(cx, cy)
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel(0, -120)
    await frame.waitForTimeout(30)
  }
  report(
    'pan (drag the canvas)',
    await frames(frame, async () => {
      for (let round = 0; round < 3; round++) {
        await page.mouse.move(cx - 200, cy - 100)
        await page.mouse.down()
        for (let i = 1; i <= 60; i++) {
          await page.mouse.move(cx - 200 + i * 7, cy - 100 + i * 3)
          await frame.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
        }
        await page.mouse.up()
      }
    })
  )
  report(
    'zoom (mouse wheel)',
    await frames(frame, async () => {
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(0, i < 30 ? 60 : -60)
        await frame.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
      }
    })
  )
  report(
    'fitted, pan (zoomed out)',
    await frames(frame, async () => {
      await frame.click('[data-testid="fit"]')
      await frame.waitForTimeout(300)
      await page.mouse.move(cx, cy + 150)
      await page.mouse.down()
      for (let i = 1; i <= 60; i++) {
        await page.mouse.move(cx + i * 4, cy + 150 - i * 2)
        await frame.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
      }
      await page.mouse.up()
    })
  )
  await page.close()
} finally {
  await browser.close()
  await stack.stop()
}
process.exit(failed === 0 && !initialHasFlow ? 0 : 1)
