import { describe, expect, it } from 'vitest'
import type { Draft, Step } from '../scriptModel'
import {
  History,
  addChild,
  addStep,
  autoLayout,
  changesSince,
  estimatedSize,
  fittedViewport,
  fromFlow,
  laneId,
  link,
  openingViewport,
  pinStep,
  removeSteps,
  seedMeasures,
  toFlow,
  unlink,
  updateStep,
  validate,
  type LayoutEngine
} from './graphModel'
import { dagreEngine } from './layout'

const s = (id: string, title: string, next: string[] = [], extra: Partial<Step> = {}): Step => ({
  id,
  title,
  hint: '',
  x: 0,
  y: 0,
  fields: [],
  next,
  ...extra
})

// Приветствие → Потребность | Занят; Потребность → Встреча; Занят → Приветствие; Дорого is a
// common answer leading to Скидка.
const sample = (): Draft => ({
  start_step: 'hello',
  steps: [
    s('hello', 'Приветствие', ['need', 'busy'], { hint: 'Назовите компанию.', x: 10, y: 20 }),
    s('need', 'Потребность', ['meet'], { x: 10, y: 200, fields: [{ entity: 'contact', code: 'NAME', editable: true }, { entity: 'deal', code: 'OPPORTUNITY', editable: false }] }),
    s('busy', 'Занят', ['hello'], { x: 300, y: 200 }),
    s('meet', 'Встреча', [], { x: 10, y: 400 }),
    s('price', 'Дорого', ['discount'], { x: 0, y: 700, common: true }),
    s('discount', 'Скидка', [], { x: 280, y: 700, common: true })
  ]
})

describe('draft ↔ graph', () => {
  it('round-trips a draft through the canvas graph unchanged', () => {
    const d = sample()
    const { nodes, edges } = toFlow(d)
    expect(nodes.filter((n) => n.type === 'step').map((n) => n.id)).toEqual(['hello', 'need', 'busy', 'meet', 'price', 'discount'])
    expect(edges.map((e) => e.id)).toEqual(['hello->need', 'hello->busy', 'need->meet', 'busy->hello', 'price->discount'])
    expect(fromFlow(nodes, edges, d.start_step)).toEqual(d)
  })

  it('puts the common answers in a lane of their own that is not a step', () => {
    const { nodes } = toFlow(sample())
    const lane = nodes.find((n) => n.id === laneId)!
    expect(lane.type).toBe('lane')
    expect(lane.draggable).toBe(false)
    expect(lane.deletable).toBe(false)
    // It holds both common answers and nothing else.
    expect(lane.position.x).toBeLessThanOrEqual(0)
    expect(lane.position.y).toBeLessThan(700)
    expect(lane.position.y).toBeGreaterThan(400)
    expect(toFlow({ start_step: 'a', steps: [s('a', 'A')] }).nodes.some((n) => n.type === 'lane')).toBe(false)
  })

  it('reads moved nodes and new edges back, rounding positions and dropping bad links', () => {
    const d = sample()
    const { nodes, edges } = toFlow(d)
    nodes.find((n) => n.id === 'meet')!.position = { x: 55.4, y: 410.6 }
    const back = fromFlow(nodes, [...edges, { source: 'meet', target: 'hello' }, { source: 'meet', target: 'meet' }, { source: 'meet', target: 'ghost' }, { source: laneId, target: 'meet' }], 'hello')
    const meet = back.steps.find((x) => x.id === 'meet')!
    expect([meet.x, meet.y]).toEqual([55, 411])
    expect(meet.next).toEqual(['hello'])
    expect(fromFlow(nodes, edges, 'gone').start_step).toBe('hello')
  })
})

describe('validate', () => {
  it('accepts a sound script: cycles with a way out and common answers are fine', () => {
    expect(validate(sample()).size).toBe(0)
  })

  it('marks unreachable steps, steps with no way out and duplicate next-step names', () => {
    const d = sample()
    d.steps.push(s('orphan', 'Сирота'))
    d.steps.push(s('loop1', 'Круг', ['loop2']), s('loop2', 'Круг 2', ['loop1']))
    d.steps[3] = { ...d.steps[3]!, next: ['loop1'] } // Встреча → the loop: no end any more from it
    d.steps.push(s('meet2', 'Встреча'))
    d.steps[1] = { ...d.steps[1]!, next: ['meet', 'meet2'] }
    d.steps.push(s('blank', ' ', [], { common: true }))
    const issues = validate(d)
    const kinds = (id: string) => (issues.get(id) ?? []).map((i) => i.kind)
    expect(kinds('orphan')).toEqual(['unreachable'])
    expect(kinds('loop1')).toEqual(['no_way_out'])
    expect(kinds('loop2')).toEqual(['no_way_out'])
    expect(kinds('meet')).toEqual(['no_way_out'])
    expect(issues.get('need')).toEqual([{ kind: 'duplicate_next', title: 'Встреча' }])
    expect(kinds('blank')).toEqual(['empty_title'])
    expect(kinds('hello')).toEqual([])
    expect(kinds('price')).toEqual([]) // common: reachable from anywhere, and leads back
  })

  it('refuses a common answer as the start', () => {
    const d = sample()
    d.start_step = 'price'
    expect(validate(d).get('price')?.map((i) => i.kind)).toContain('common_start')
  })
})

describe('edits', () => {
  it('adds a child below its parent, right of its siblings, linked from it', () => {
    const { draft, id } = addChild(sample(), 'hello', 'Новый шаг')
    expect(id).toBe('s1')
    const parent = draft.steps.find((x) => x.id === 'hello')!
    expect(parent.next).toEqual(['need', 'busy', 's1'])
    const child = draft.steps.find((x) => x.id === 's1')!
    expect(child.y).toBeGreaterThan(parent.y!)
    expect(child.x).toBeGreaterThan(300)
    expect(addChild(draft, 'price', 'X').draft.steps.at(-1)!.common).toBe(true)
  })

  it('links, unlinks, removes and updates without touching the original', () => {
    const d = sample()
    const before = JSON.stringify(d)
    expect(link(d, 'meet', 'hello').steps[3]!.next).toEqual(['hello'])
    expect(link(d, 'meet', 'meet')).toBe(d)
    expect(link(d, 'hello', 'need')).toBe(d)
    expect(link(d, 'meet', 'ghost')).toBe(d)
    expect(unlink(d, 'hello', 'need').steps[0]!.next).toEqual(['busy'])
    const removed = removeSteps(d, ['hello'])
    expect(removed.start_step).toBe('need')
    expect(removed.steps.find((x) => x.id === 'busy')!.next).toEqual([])
    const updated = updateStep(d, 'price', { common: false, title: 'Дорого!' })
    expect(updated.steps[4]).not.toHaveProperty('common')
    expect(updated.steps[4]!.title).toBe('Дорого!')
    expect(JSON.stringify(d)).toBe(before)
  })

  it('places a first step as the start and a new common answer in the lane', () => {
    const first = addStep({ start_step: '', steps: [] }, 'Привет', false)
    expect(first.draft.start_step).toBe(first.id)
    const common = addStep(sample(), 'Нет денег', true)
    const added = common.draft.steps.at(-1)!
    expect(added.common).toBe(true)
    expect(added.y).toBe(700)
    expect(added.x).toBeGreaterThan(280)
  })
})

describe('pinned step (F1)', () => {
  it('pins one step at a time and keeps it through the graph and back, settings included', () => {
    const settings = { call_type: 'incoming' as const, activity_type: '2', deal_type: 'SALE', number_field: null }
    let d: Draft = { ...sample(), settings }
    d = pinStep(d, 'need', true)
    expect(d.steps.filter((x) => x.pinned).map((x) => x.id)).toEqual(['need'])
    d = pinStep(d, 'price', true)
    expect(d.steps.filter((x) => x.pinned).map((x) => x.id)).toEqual(['price'])
    const { nodes, edges } = toFlow(d)
    const back = fromFlow(nodes, edges, d.start_step)
    expect(back.steps.find((x) => x.id === 'price')?.pinned).toBe(true)
    expect(updateStep(d, 'hello', { title: 'Здравствуйте' }).settings).toEqual(settings)
    d = pinStep(d, 'price', false)
    expect(d.steps.some((x) => 'pinned' in x)).toBe(false)
  })
})

describe('autoLayout', () => {
  it('lays out the script top down with dagre and the common answers in a row below it', () => {
    const d = sample()
    for (const x of d.steps) Object.assign(x, { x: 0, y: 0 })
    const laid = autoLayout(d, dagreEngine)
    const at = (id: string) => laid.steps.find((x) => x.id === id)!
    expect(at('need').y).toBeGreaterThan(at('hello').y!)
    expect(at('meet').y).toBeGreaterThan(at('need').y!)
    expect(at('need').x).not.toBe(at('busy').x)
    expect(at('price').y).toBeGreaterThan(at('meet').y!)
    expect(at('price').y).toBe(at('discount').y)
    expect(at('discount').x).toBeGreaterThan(at('price').x!)
    // No two steps on top of each other.
    expect(new Set(laid.steps.map((x) => `${x.x},${x.y}`)).size).toBe(laid.steps.length)
  })

  it('hands the engine only the main steps and their links among themselves', () => {
    const seen: { nodes: string[]; links: string[] } = { nodes: [], links: [] }
    const engine: LayoutEngine = (nodes, links) => {
      seen.nodes = nodes.map((n) => n.id)
      seen.links = links.map((l) => `${l.from}->${l.to}`)
      return new Map(nodes.map((n, i) => [n.id, { x: i * 300, y: 0 }]))
    }
    autoLayout(sample(), engine)
    expect(seen.nodes).toEqual(['hello', 'need', 'busy', 'meet'])
    expect(seen.links).toEqual(['hello->need', 'hello->busy', 'need->meet', 'busy->hello'])
  })
})

describe('changesSince', () => {
  it('lists what an operator would notice, not moves on the canvas', () => {
    const published = sample()
    let d = updateStep(published, 'need', { title: 'Интерес', x: 999 })
    d = updateStep(d, 'hello', { hint: 'Новая подсказка' })
    d = updateStep(d, 'need', { fields: [{ entity: 'contact', code: 'NAME', editable: false }] })
    d = updateStep(d, 'busy', { common: true })
    d = removeSteps(d, ['discount'])
    d = addChild(d, 'meet', 'Прощание').draft
    d = link(d, 'busy', 'meet')
    d = unlink(d, 'hello', 'busy')
    d = { ...d, start_step: 'need' }
    // Step by step in the draft's order, then the links, then the start.
    expect(changesSince(published, d)).toEqual([
      { kind: 'hint', title: 'Приветствие' },
      { kind: 'renamed', from: 'Потребность', to: 'Интерес' },
      { kind: 'fields', title: 'Интерес' },
      { kind: 'common_on', title: 'Занят' },
      { kind: 'added', title: 'Прощание' },
      { kind: 'removed', title: 'Скидка' },
      { kind: 'unlinked', from: 'Приветствие', to: 'Занят' },
      { kind: 'linked', from: 'Занят', to: 'Встреча' },
      { kind: 'linked', from: 'Встреча', to: 'Прощание' },
      { kind: 'unlinked', from: 'Дорого', to: 'Скидка' },
      { kind: 'start', title: 'Интерес' }
    ])
  })

  it('notices reordered buttons and says everything is new before the first publication', () => {
    const published = sample()
    const d = { ...published, steps: published.steps.map((x) => (x.id === 'hello' ? { ...x, next: ['busy', 'need'] } : x)) }
    expect(changesSince(published, d)).toEqual([{ kind: 'reordered', title: 'Приветствие' }])
    expect(changesSince(published, { ...published, steps: published.steps.map((x) => ({ ...x, x: 5 })) })).toEqual([])
    expect(changesSince(null, sample()).filter((c) => c.kind === 'added')).toHaveLength(6)
  })
})

describe('History', () => {
  it('undoes and redoes edits, and a new edit drops what was undone', () => {
    const a = sample()
    const h = new History(a)
    expect(h.canUndo).toBe(false)
    const b = addChild(a, 'hello', 'B').draft
    const c = removeSteps(b, ['meet'])
    expect(h.record(b)).toBe(true)
    expect(h.record(b)).toBe(false)
    h.record(c)
    expect(h.undo()).toEqual(b)
    expect(h.undo()).toEqual(a)
    expect(h.undo()).toBeNull()
    expect(h.redo()).toEqual(b)
    h.record(unlink(b, 'hello', 'need'))
    expect(h.canRedo).toBe(false)
    expect(h.undo()).toEqual(b)
  })

  it('keeps at most its limit of steps back', () => {
    const h = new History(sample(), 3)
    let d = sample()
    for (let i = 0; i < 5; i++) {
      d = addChild(d, 'meet', `S${i}`).draft
      h.record(d)
    }
    let n = 0
    while (h.undo()) n++
    expect(n).toBe(3)
  })
})

describe('the measures guessed before the canvas measures', () => {
  it('grows a card with its title, hint, fields and problems, and places its handles on its edges', () => {
    const plain = estimatedSize(s('a', 'Да'))
    expect(plain).toEqual({ width: 240, height: 96 })
    const long = estimatedSize(s('b', 'Очень длинное название шага, которое не помещается в строку', [], { hint: 'Строка\n'.repeat(10), fields: [{ entity: 'contact', code: 'NAME', editable: true }] }), 2)
    expect(long.width).toBe(240)
    expect(long.height).toBeGreaterThan(plain.height + 100)

    const node = seedMeasures(toFlow(sample()).nodes.find((n) => n.id === 'hello')!, { width: 240, height: 120 }, false)
    expect(node.dimensions).toEqual({ width: 240, height: 120 })
    expect(node.handleBounds?.target).toEqual([{ id: 'in', type: 'target', nodeId: 'hello', position: 'top', x: 115, y: -5, width: 10, height: 10 }])
    expect(node.handleBounds?.source).toEqual([{ id: 'out', type: 'source', nodeId: 'hello', position: 'bottom', x: 108, y: 108, width: 24, height: 24 }])
    expect(seedMeasures(toFlow(sample()).nodes.find((n) => n.id === 'hello')!, { width: 240, height: 120 }, true).handleBounds?.source?.[0]).toMatchObject({ x: 116, y: 116, width: 8 })
    const lane = seedMeasures(toFlow(sample()).nodes.find((n) => n.id === laneId)!, { width: 0, height: 0 }, false)
    expect(lane.dimensions).toEqual({ width: (lane.data as { width: number }).width, height: (lane.data as { height: number }).height })
    expect(lane.handleBounds).toEqual({ source: null, target: null })
  })

  it('opens a script fitted when it reads at that size, else at the start step, readable', () => {
    const pane = { width: 1000, height: 600 }
    const seeded = (d: Draft) => toFlow(d).nodes.map((n) => seedMeasures(n, { width: 240, height: 120 }, false))
    const small = seeded({ start_step: 'a', steps: [s('a', 'Приветствие', ['b'], { x: 0, y: 0 }), s('b', 'Потребность', [], { x: 300, y: 200 })] })
    const fitted = fittedViewport(small, pane)
    expect(openingViewport(small, 'a', pane)).toEqual(fitted)
    expect(fitted.zoom).toBeGreaterThanOrEqual(0.75)

    // Forty steps side by side: fitted they would be unreadably small.
    const wide: Draft = { start_step: 's20', steps: Array.from({ length: 40 }, (_, i) => s(`s${i}`, `Шаг ${i}`, [], { x: i * 280, y: i === 20 ? 0 : 300 })) }
    const nodes = seeded(wide)
    expect(fittedViewport(nodes, pane).zoom).toBeLessThan(0.2)
    const v = openingViewport(nodes, 's20', pane)
    expect(v.zoom).toBe(0.75)
    // The start step's centre is the pane's centre across; the script's top is near the top.
    expect(v.x + (20 * 280 + 120) * v.zoom).toBeCloseTo(500)
    expect(v.y).toBeGreaterThan(0)
    expect(v.y).toBeLessThan(100)
  })
})
