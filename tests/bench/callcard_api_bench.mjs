// Benchmark of the call card's data endpoints: the latency of GET /api/callcard/context (who the
// caller is: the operator's role, buttons and scripts, the CRM records with the number) and GET
// /api/callcard/client (the Client tab's sections), against the real opdesk and the Bitrix24
// portal emulator from build/ci, set up by settings-ui/e2e/world.mjs (operator role with client
// fields of every entity, the seeded contact with an open deal).
//   node tests/bench/callcard_api_bench.mjs [requests]      (or: cd settings-ui && npm run bench)
// Requests go one after another from one keep-alive connection, as one card does, then from 4
// operators at once. The portal's REST budget is lifted — the emulator's (--rate/--burst) and
// opdesk's row for the portal, written in its database as tests/bench/mango_calls_bench.cpp does
// (beyond what the admin API allows a real portal) — so the figures are opdesk's and the
// emulator's time, not Bitrix24's 2 requests/s. Budget: p95 ≤ 150 ms. A last pass holds every
// REST answer back 50 ms (an emulator fault with a delay), as a portal that far away would.
import { spawnSync } from 'node:child_process'
import { startStack } from '../../settings-ui/e2e/harness.mjs'
import { phones, world } from '../../settings-ui/e2e/world.mjs'

const runs = Number(process.argv[2] ?? 300)
const budgetMs = 150

const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const ms = (n) => n.toFixed(1).padStart(6)

const stack = await startStack({ rate: 100000, burst: 100000 })
try {
  const lifted = spawnSync(
    'sqlite3',
    ['-cmd', '.timeout 5000', stack.database, 'UPDATE b24_portals SET rate_per_s = 100000, burst = 100000'],
    { encoding: 'utf8' }
  )
  if (lifted.status !== 0) throw new Error(`lifting the portal's budget failed: ${lifted.stderr}`)
  const w = await world(stack)
  const session = await stack.sessionOf(2)
  const headers = { authorization: `Bearer ${session}`, 'accept-language': 'ru' }
  let callSeq = 0
  const endpoints = {
    'GET /api/callcard/context': () =>
      `/api/callcard/context?${new URLSearchParams({
        call_id: `externalCall.bench.${++callSeq}`,
        phone: phones.client,
        entity: '',
        entity_id: '',
        direction: 'incoming',
        line: '+74950000000'
      })}`,
    'GET /api/callcard/client': () => '/api/callcard/client?entity=contact&id=1'
  }

  const timed = async (path) => {
    const t0 = performance.now()
    const r = await fetch(stack.opdeskUrl + path, { headers })
    const body = await r.text()
    const t = performance.now() - t0
    if (r.status !== 200) throw new Error(`${path} → ${r.status} ${body}`)
    return { t, body: JSON.parse(body) }
  }
  // HTTP requests the emulator received (a batch counts once).
  const restRequests = async () =>
    (await stack.control('GET', '/_emu/requests')).requests.filter((r) => r.http_method !== 'BATCH').length

  // The first card after the start (opdesk reads the portal's field descriptions and statuses
  // once, then keeps them for 10 minutes), and a check that the operator's card has its data.
  const first = [await timed(endpoints['GET /api/callcard/context']()), await timed(endpoints['GET /api/callcard/client']())]
  const [ctx, client] = first.map((r) => r.body)
  if (ctx.access.state !== 'ok' || ctx.matches[0]?.id !== '1' || client.sections.length !== 2) {
    throw new Error(`unexpected card data: ${JSON.stringify(ctx)} ${JSON.stringify(client)}`)
  }

  console.log(`== call card data endpoints against opdesk + the portal emulator (${runs} requests each) ==`)
  console.log('  portal REST budget lifted (emulator and opdesk\'s portal row at 100000/s): not Bitrix24\'s limit')
  console.log(`  operator: user 2, role with ${w.clientFields.length} client fields; caller: contact 1 with an open deal`)
  console.log(`  first card after the start: context ${first[0].t.toFixed(1)} ms, client ${first[1].t.toFixed(1)} ms`)
  const results = {}
  for (const [name, path] of Object.entries(endpoints)) {
    for (let i = 0; i < 20; i++) await timed(path()) // warm up
    const before = await restRequests()
    const times = []
    for (let i = 0; i < runs; i++) times.push((await timed(path())).t)
    const rest = ((await restRequests()) - before) / runs
    results[name] = times
    console.log(
      `  ${name.padEnd(26)} p50 ${ms(pct(times, 50))} ms  p95 ${ms(pct(times, 95))} ms  p99 ${ms(pct(times, 99))} ms  max ${ms(Math.max(...times))} ms` +
        `   REST requests per call ${rest.toFixed(2)}   budget p95 ${budgetMs}${pct(times, 95) > budgetMs ? ': OVER' : ''}`
    )
  }
  // One card's data, as the page asks for it: the context, then the client.
  const both = results['GET /api/callcard/context'].map((t, i) => t + results['GET /api/callcard/client'][i])
  console.log(`  context + client (one card)  p50 ${ms(pct(both, 50))} ms  p95 ${ms(pct(both, 95))} ms`)

  const operators = 4
  const parallel = []
  await Promise.all(
    Array.from({ length: operators }, async () => {
      for (let i = 0; i < runs / operators; i++) {
        parallel.push((await timed(endpoints['GET /api/callcard/context']())).t)
        parallel.push((await timed(endpoints['GET /api/callcard/client']())).t)
      }
    })
  )
  console.log(
    `  ${operators} operators at once, both endpoints: p50 ${ms(pct(parallel, 50))} ms  p95 ${ms(pct(parallel, 95))} ms  p99 ${ms(pct(parallel, 99))} ms  (${parallel.length} requests)`
  )

  // The emulator answers on loopback at once; a real portal is tens of milliseconds away. With
  // every REST answer held back by `rtt` ms, the figures show what the REST round trips cost.
  const rtt = 50
  const delayed = Math.min(runs, 100)
  await stack.control('POST', '/_emu/faults', { method: '*', delay_ms: rtt, count: 0 })
  try {
    for (const [name, path] of Object.entries(endpoints)) {
      const times = []
      for (let i = 0; i < delayed; i++) times.push((await timed(path())).t)
      console.log(
        `  portal ${rtt} ms away: ${name.padEnd(26)} p50 ${ms(pct(times, 50))} ms  p95 ${ms(pct(times, 95))} ms  (${delayed} requests)`
      )
    }
  } finally {
    await stack.control('DELETE', '/_emu/faults')
  }
} finally {
  await stack.stop()
}
