// The script designer's model (FEATURES D2, D3, H3, H7): a script draft (docs/API.md «Script»)
// as the graph the canvas shows and back, the checks shown on the canvas, the auto-layout, the
// summary of what changed since the published version, and the undo history. Pure functions
// over plain data; the canvas (ScriptDesigner.vue) owns none of these rules.
//
// The graph: one node per step (type 'step', the step's data without id, position and links)
// and one edge per link, `<from>-><to>`, in the order of the step's `next` (the order of the
// operator's buttons). Steps marked «общий ответ» (`common`) are reachable from any step in the
// call card and lead back to where the operator was; the canvas shows them in a lane of their
// own (a 'lane' node behind them), which is not a step.
import { getTransformForBounds } from '@vue-flow/core'
import type { FieldRef } from '../../common/types'
import type { Draft, Step } from '../scriptModel'

export interface StepData {
  title: string
  hint: string
  fields: FieldRef[]
  common: boolean
  // F1: «закрепить вверху».
  pinned: boolean
}
export interface FlowNode {
  id: string
  type: 'step' | 'lane'
  position: { x: number; y: number }
  data: StepData | LaneData
  // Lane nodes are scenery.
  draggable?: boolean
  selectable?: boolean
  focusable?: boolean
  connectable?: boolean
  deletable?: boolean
  zIndex?: number
  style?: Record<string, string>
  // Given only when a script opens (seedMeasures): the canvas then shows the node at once,
  // without a hidden first pass to measure it; its own measuring corrects a wrong guess.
  dimensions?: { width: number; height: number }
  handleBounds?: { source: HandleBound[] | null; target: HandleBound[] | null }
}
export interface HandleBound {
  id: string
  type: 'source' | 'target'
  nodeId: string
  position: 'top' | 'bottom'
  x: number
  y: number
  width: number
  height: number
}
export interface LaneData {
  width: number
  height: number
}
export interface FlowEdge {
  id: string
  source: string
  target: string
  sourceHandle?: string
  targetHandle?: string
}

// The size the canvas gives a step card (the layout and the lane use it; the card may grow
// with its hint, which the layout's spacing absorbs).
export const stepWidth = 240
export const stepHeight = 120
export const laneId = '__common_lane'
const lanePad = 32
const laneHeader = 52
const laneMinWidth = 440

export const edgeId = (from: string, to: string) => `${from}->${to}`

// ---- draft → graph → draft ----

export function stepNode(s: Step): FlowNode {
  return {
    id: s.id,
    type: 'step',
    position: { x: s.x ?? 0, y: s.y ?? 0 },
    data: { title: s.title, hint: s.hint, fields: s.fields.map((f) => ({ ...f })), common: !!s.common, pinned: !!s.pinned }
  }
}

// `node` makes the node of a step (a cache may hand back the node made for the same step object).
export function toFlow(draft: Draft, node: (s: Step) => FlowNode = stepNode): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes: FlowNode[] = draft.steps.map(node)
  const edges: FlowEdge[] = []
  for (const s of draft.steps) {
    for (const n of s.next) edges.push({ id: edgeId(s.id, n), source: s.id, target: n, sourceHandle: 'out', targetHandle: 'in' })
  }
  const lane = laneNode(draft.steps)
  return { nodes: lane ? [lane, ...nodes] : nodes, edges }
}

// The draft the graph stands for: steps in node order, links in edge order, positions rounded
// to whole pixels. Edges to or from a node that is not a step are dropped.
export function fromFlow(
  nodes: Pick<FlowNode, 'id' | 'type' | 'position' | 'data'>[],
  edges: Pick<FlowEdge, 'source' | 'target'>[],
  startStep: string
): Draft {
  const steps: Step[] = []
  const byId = new Map<string, Step>()
  for (const n of nodes) {
    if (n.type !== 'step') continue
    const d = n.data as StepData
    const step: Step = {
      id: n.id,
      title: d.title,
      hint: d.hint,
      x: Math.round(n.position.x),
      y: Math.round(n.position.y),
      fields: d.fields.map((f) => ({ ...f })),
      next: []
    }
    if (d.common) step.common = true
    if (d.pinned) step.pinned = true
    steps.push(step)
    byId.set(n.id, step)
  }
  for (const e of edges) {
    const from = byId.get(e.source)
    if (from && byId.has(e.target) && e.source !== e.target && !from.next.includes(e.target)) from.next.push(e.target)
  }
  const start = byId.has(startStep) ? startStep : (steps[0]?.id ?? '')
  return { start_step: start, steps }
}

// The lane behind the common answers: their bounding box with room for its header; none when
// no step is common.
export function laneNode(steps: Step[]): FlowNode | null {
  const common = steps.filter((s) => s.common)
  if (common.length === 0) return null
  const xs = common.map((s) => s.x ?? 0)
  const ys = common.map((s) => s.y ?? 0)
  const x = Math.min(...xs) - lanePad
  const y = Math.min(...ys) - lanePad - laneHeader
  const width = Math.max(laneMinWidth, Math.max(...xs) + stepWidth + lanePad - x)
  const height = Math.max(...ys) + stepHeight + lanePad - y
  return {
    id: laneId,
    type: 'lane',
    position: { x, y },
    data: { width, height },
    draggable: false,
    selectable: false,
    focusable: false,
    connectable: false,
    deletable: false,
    zIndex: -1
  }
}

// ---- the sizes the canvas will measure, guessed before it does ----

// A step card's size as StepNode.vue lays it out: 240 wide; its height from the lines of its
// title (14px, 20px lines, about 24 letters a line beside «⋯»), marks, hint (13px, 4 lines at
// most, about 32 letters a line), fields and problems. A guess: the canvas measures the card
// after its first layout and corrects it before the first paint.
export function estimatedSize(s: Step, issues = 0): { width: number; height: number } {
  const lines = (text: string, perLine: number, most: number) =>
    Math.min(most, text.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil(part.length / perLine)), 0))
  let height = 10 + 18 // padding
  height += 20 * lines(s.title.trim() || ' ', 24, 5)
  if (s.common) height += 4 + 16
  height += 4 + (s.hint ? 16 * lines(s.hint, 32, 4) : 18)
  if (s.fields.length > 0) height += 4 + 5 + s.fields.length * 18
  if (issues > 0) height += 4 + issues * 17
  return { width: stepWidth, height: Math.max(96, Math.round(height)) }
}

// Gives a node the size and handle places the canvas would measure for a card of `size`
// (StepNode.vue: «in» 10×10 centred on the top edge; «+» 24×24 centred on the bottom edge,
// 8×8 when read-only). The lane's size is its own.
export function seedMeasures(node: FlowNode, size: { width: number; height: number }, readOnly: boolean): FlowNode {
  if (node.type === 'lane') {
    const d = node.data as LaneData
    return { ...node, dimensions: { width: d.width, height: d.height }, handleBounds: { source: null, target: null } }
  }
  const { width, height } = size
  const plus = readOnly ? 8 : 24
  return {
    ...node,
    dimensions: { width, height },
    handleBounds: {
      source: [{ id: 'out', type: 'source', nodeId: node.id, position: 'bottom', x: width / 2 - plus / 2, y: height - plus / 2, width: plus, height: plus }],
      target: [{ id: 'in', type: 'target', nodeId: node.id, position: 'top', x: width / 2 - 5, y: -5, width: 10, height: 10 }]
    }
  }
}

// The view a script opens in: all of it fitted into a pane of width × height (as the canvas's
// fitView would, `nodes` with their seeded dimensions) when that keeps the cards readable
// (zoom ≥ readable); otherwise its top at the readable zoom, centred on the start step, which
// is where the operator's conversation begins («Вписать» shows the whole script).
export function openingViewport(
  nodes: FlowNode[],
  startStep: string,
  pane: { width: number; height: number },
  { padding = 0.15, minZoom = 0.1, maxZoom = 1.2, readable = 0.75 } = {}
): { x: number; y: number; zoom: number } {
  const all = fittedViewport(nodes, pane, { padding, minZoom, maxZoom })
  if (all.zoom >= readable || nodes.length === 0) return all
  const start = nodes.find((n) => n.id === startStep) ?? nodes.find((n) => n.type === 'step')!
  const top = Math.min(...nodes.filter((n) => n.type === 'step').map((n) => n.position.y))
  const width = start.dimensions?.width ?? stepWidth
  return { x: pane.width / 2 - (start.position.x + width / 2) * readable, y: pane.height * (padding / 2) - top * readable, zoom: readable }
}

// The viewport that fits `nodes` (with their seeded dimensions) into a pane of width × height,
// as the canvas's fitView would.
export function fittedViewport(
  nodes: FlowNode[],
  pane: { width: number; height: number },
  { padding = 0.15, minZoom = 0.1, maxZoom = 1.2 } = {}
): { x: number; y: number; zoom: number } {
  if (nodes.length === 0) return { x: 0, y: 0, zoom: 1 }
  let left = Infinity
  let top = Infinity
  let right = -Infinity
  let bottom = -Infinity
  for (const n of nodes) {
    const w = n.dimensions?.width ?? stepWidth
    const h = n.dimensions?.height ?? stepHeight
    left = Math.min(left, n.position.x)
    top = Math.min(top, n.position.y)
    right = Math.max(right, n.position.x + w)
    bottom = Math.max(bottom, n.position.y + h)
  }
  return getTransformForBounds({ x: left, y: top, width: right - left, height: bottom - top }, pane.width, pane.height, minZoom, maxZoom, padding)
}

// ---- checks shown on the canvas ----

export type IssueKind = 'unreachable' | 'no_way_out' | 'duplicate_next' | 'empty_title' | 'common_start'
export interface Issue {
  kind: IssueKind
  // duplicate_next: the repeated title
  title?: string
}

// What is wrong with each step, by step id (steps without problems are absent):
//   unreachable    — not a common answer, and no walk from the start (or from a common answer,
//                    which the operator can open anywhere) leads to it;
//   no_way_out     — every walk from it goes round in circles: no end of the conversation (a
//                    step without next steps) can be reached from it (common answers always have
//                    the way back, so they are never flagged);
//   duplicate_next — two of its next steps have the same title: the operator's buttons would
//                    read alike;
//   empty_title    — its title, the text of the button leading to it, is empty;
//   common_start   — the start step is marked as a common answer.
export function validate(draft: Pick<Draft, 'start_step' | 'steps'>): Map<string, Issue[]> {
  const out = new Map<string, Issue[]>()
  const add = (id: string, issue: Issue) => {
    const list = out.get(id) ?? []
    list.push(issue)
    out.set(id, list)
  }
  const byId = new Map(draft.steps.map((s) => [s.id, s]))
  const nextOf = (s: Step) => s.next.filter((n) => byId.has(n))

  // Reachability: from the start and from every common answer.
  const reached = new Set<string>()
  const queue = [draft.start_step, ...draft.steps.filter((s) => s.common).map((s) => s.id)].filter((id) => byId.has(id))
  for (const id of queue) reached.add(id)
  while (queue.length > 0) {
    const s = byId.get(queue.shift()!)!
    for (const n of nextOf(s)) {
      if (!reached.has(n)) {
        reached.add(n)
        queue.push(n)
      }
    }
  }

  // Steps that can reach an end: walk the links backwards from every end.
  const previous = new Map<string, string[]>()
  for (const s of draft.steps) for (const n of nextOf(s)) previous.set(n, [...(previous.get(n) ?? []), s.id])
  const canEnd = new Set<string>()
  const back = draft.steps.filter((s) => nextOf(s).length === 0 || s.common).map((s) => s.id)
  for (const id of back) canEnd.add(id)
  while (back.length > 0) {
    for (const p of previous.get(back.shift()!) ?? []) {
      if (!canEnd.has(p)) {
        canEnd.add(p)
        back.push(p)
      }
    }
  }

  for (const s of draft.steps) {
    if (!s.title.trim()) add(s.id, { kind: 'empty_title' })
    if (!reached.has(s.id)) add(s.id, { kind: 'unreachable' })
    if (!canEnd.has(s.id)) add(s.id, { kind: 'no_way_out' })
    const seen = new Set<string>()
    const reported = new Set<string>()
    for (const n of nextOf(s)) {
      const title = byId.get(n)!.title.trim()
      if (seen.has(title) && !reported.has(title)) {
        add(s.id, { kind: 'duplicate_next', title })
        reported.add(title)
      }
      seen.add(title)
    }
    if (s.id === draft.start_step && s.common) add(s.id, { kind: 'common_start' })
  }
  return out
}

// ---- ids and new steps ----

// The smallest `s<N>` no step uses.
export function newStepId(steps: Pick<Step, 'id'>[]): string {
  const taken = new Set(steps.map((s) => s.id))
  for (let n = 1; ; n++) if (!taken.has(`s${n}`)) return `s${n}`
}

// A child of `parentId`: below it, right of the siblings it already has; linked from it.
export function addChild(draft: Draft, parentId: string, title: string): { draft: Draft; id: string } {
  const parent = draft.steps.find((s) => s.id === parentId)
  if (!parent) throw new Error(`no step ${parentId}`)
  const id = newStepId(draft.steps)
  const siblings = parent.next.map((n) => draft.steps.find((s) => s.id === n)).filter((s): s is Step => !!s)
  const x = siblings.length === 0 ? (parent.x ?? 0) : Math.max(...siblings.map((s) => s.x ?? 0)) + stepWidth + 40
  const y = (parent.y ?? 0) + stepHeight + 80
  const step: Step = { id, title, hint: '', x, y, fields: [], next: [] }
  if (parent.common) step.common = true
  const steps = draft.steps.map((s) => (s.id === parentId ? { ...s, next: [...s.next, id] } : s))
  steps.push(step)
  return { draft: { ...draft, steps }, id }
}

// A step on its own (the first of a script, or a new common answer at the end of the lane).
export function addStep(draft: Draft, title: string, common: boolean): { draft: Draft; id: string } {
  const id = newStepId(draft.steps)
  let x = 0
  let y = 0
  if (common) {
    const lane = draft.steps.filter((s) => s.common)
    if (lane.length > 0) {
      x = Math.max(...lane.map((s) => s.x ?? 0)) + stepWidth + 40
      y = Math.min(...lane.map((s) => s.y ?? 0))
    } else {
      x = Math.min(0, ...draft.steps.map((s) => s.x ?? 0))
      y = Math.max(0, ...draft.steps.map((s) => (s.y ?? 0) + stepHeight)) + 160
    }
  } else if (draft.steps.length > 0) {
    x = Math.max(...draft.steps.map((s) => s.x ?? 0)) + stepWidth + 60
    y = Math.min(...draft.steps.map((s) => s.y ?? 0))
  }
  const step: Step = { id, title, hint: '', x, y, fields: [], next: [] }
  if (common) step.common = true
  return { draft: { start_step: draft.start_step || id, steps: [...draft.steps, step] }, id }
}

// Links `from` to `to` (at the end of its buttons); unchanged when the link exists, is a
// self-link or names a missing step.
export function link(draft: Draft, from: string, to: string): Draft {
  const source = draft.steps.find((s) => s.id === from)
  if (!source || from === to || source.next.includes(to) || !draft.steps.some((s) => s.id === to)) return draft
  return { ...draft, steps: draft.steps.map((s) => (s.id === from ? { ...s, next: [...s.next, to] } : s)) }
}

export function unlink(draft: Draft, from: string, to: string): Draft {
  return { ...draft, steps: draft.steps.map((s) => (s.id === from ? { ...s, next: s.next.filter((n) => n !== to) } : s)) }
}

// Removes steps and every link to them; the start moves to the first step left when it goes.
export function removeSteps(draft: Draft, ids: string[]): Draft {
  const gone = new Set(ids)
  const steps = draft.steps.filter((s) => !gone.has(s.id)).map((s) => ({ ...s, next: s.next.filter((n) => !gone.has(n)) }))
  const start = gone.has(draft.start_step) ? (steps.find((s) => !s.common)?.id ?? steps[0]?.id ?? '') : draft.start_step
  return { start_step: start, steps }
}

export function updateStep(draft: Draft, id: string, change: Partial<Omit<Step, 'id' | 'next'>>): Draft {
  return {
    ...draft,
    steps: draft.steps.map((s) => {
      if (s.id !== id) return s
      const out = { ...s, ...change }
      if (!out.common) delete out.common
      if (!out.pinned) delete out.pinned
      return out
    })
  }
}

// F1: pins `id` at the top (or unpins it); a script has at most one pinned step, so pinning one
// unpins the others.
export function pinStep(draft: Draft, id: string, pinned: boolean): Draft {
  return {
    ...draft,
    steps: draft.steps.map((s) => {
      const want = s.id === id ? pinned : pinned ? false : !!s.pinned
      if (want === !!s.pinned) return s
      const out = { ...s }
      if (want) out.pinned = true
      else delete out.pinned
      return out
    })
  }
}

// ---- auto-layout ----

export interface LayoutEngine {
  // Positions (top-left corners) for the nodes, laid out top to bottom along the links.
  (nodes: { id: string; width: number; height: number }[], links: { from: string; to: string }[]): Map<string, { x: number; y: number }>
}

// The main steps laid out by `engine` from the start downwards; the common answers in a row
// below them, in their current left-to-right order. `sizes` are the measured card sizes.
export function autoLayout(draft: Draft, engine: LayoutEngine, sizes: Map<string, { width: number; height: number }> = new Map()): Draft {
  const size = (id: string) => sizes.get(id) ?? { width: stepWidth, height: stepHeight }
  const main = draft.steps.filter((s) => !s.common)
  const mainIds = new Set(main.map((s) => s.id))
  const placed = engine(
    main.map((s) => ({ id: s.id, ...size(s.id) })),
    main.flatMap((s) => s.next.filter((n) => mainIds.has(n)).map((n) => ({ from: s.id, to: n })))
  )
  let bottom = 0
  let left = Infinity
  for (const s of main) {
    const p = placed.get(s.id) ?? { x: 0, y: 0 }
    bottom = Math.max(bottom, p.y + size(s.id).height)
    left = Math.min(left, p.x)
  }
  if (!Number.isFinite(left)) left = 0
  const common = draft.steps.filter((s) => s.common).sort((a, b) => (a.x ?? 0) - (b.x ?? 0))
  const laneTop = (main.length > 0 ? bottom + 120 : 0) + lanePad + laneHeader
  let x = left
  const lanePlaces = new Map<string, { x: number; y: number }>()
  for (const s of common) {
    lanePlaces.set(s.id, { x, y: laneTop })
    x += size(s.id).width + 40
  }
  return {
    ...draft,
    steps: draft.steps.map((s) => {
      const p = placed.get(s.id) ?? lanePlaces.get(s.id) ?? { x: s.x ?? 0, y: s.y ?? 0 }
      return { ...s, x: Math.round(p.x), y: Math.round(p.y) }
    })
  }
}

// ---- what changed since the published version ----

export type Change =
  | { kind: 'added'; title: string }
  | { kind: 'removed'; title: string }
  | { kind: 'renamed'; from: string; to: string }
  | { kind: 'hint'; title: string }
  | { kind: 'fields'; title: string }
  | { kind: 'common_on' | 'common_off'; title: string }
  | { kind: 'linked' | 'unlinked'; from: string; to: string }
  | { kind: 'reordered'; title: string }
  | { kind: 'start'; title: string }

const titleOf = (s: Step | undefined, id: string) => (s?.title.trim() ? s.title : id)

// What an operator would notice: steps added, removed, renamed, with another hint, other
// fields, marked or unmarked as a common answer; links added or removed, buttons reordered; the
// start moved. Positions on the canvas are not changes. `published` null: everything is new.
export function changesSince(published: Pick<Draft, 'start_step' | 'steps'> | null, draft: Pick<Draft, 'start_step' | 'steps'>): Change[] {
  const before = new Map((published?.steps ?? []).map((s) => [s.id, s]))
  const after = new Map(draft.steps.map((s) => [s.id, s]))
  const out: Change[] = []
  for (const s of draft.steps) {
    const old = before.get(s.id)
    if (!old) {
      out.push({ kind: 'added', title: titleOf(s, s.id) })
      continue
    }
    if (old.title !== s.title) out.push({ kind: 'renamed', from: titleOf(old, old.id), to: titleOf(s, s.id) })
    if (old.hint !== s.hint) out.push({ kind: 'hint', title: titleOf(s, s.id) })
    if (JSON.stringify(old.fields) !== JSON.stringify(s.fields)) out.push({ kind: 'fields', title: titleOf(s, s.id) })
    if (!!old.common !== !!s.common) out.push({ kind: s.common ? 'common_on' : 'common_off', title: titleOf(s, s.id) })
  }
  for (const s of published?.steps ?? []) if (!after.has(s.id)) out.push({ kind: 'removed', title: titleOf(s, s.id) })
  for (const s of draft.steps) {
    const old = before.get(s.id)
    const oldNext = old?.next ?? []
    for (const n of s.next) if (!oldNext.includes(n)) out.push({ kind: 'linked', from: titleOf(s, s.id), to: titleOf(after.get(n), n) })
    if (old) {
      for (const n of oldNext) if (!s.next.includes(n)) out.push({ kind: 'unlinked', from: titleOf(s, s.id), to: titleOf(after.get(n) ?? before.get(n), n) })
      const kept = oldNext.filter((n) => s.next.includes(n))
      const keptNow = s.next.filter((n) => oldNext.includes(n))
      if (kept.join('\n') !== keptNow.join('\n')) out.push({ kind: 'reordered', title: titleOf(s, s.id) })
    }
  }
  if (published && published.start_step !== draft.start_step) {
    out.push({ kind: 'start', title: titleOf(after.get(draft.start_step), draft.start_step) })
  }
  return out
}

// ---- undo / redo ----

// Snapshots of the draft (as JSON text); `record` after each edit, `undo` / `redo` return the
// draft to show. At most `limit` steps back.
export class History {
  private readonly past: string[] = []
  private readonly future: string[] = []
  private current: string

  constructor(
    initial: Draft,
    private readonly limit = 200
  ) {
    this.current = JSON.stringify(initial)
  }

  get canUndo(): boolean {
    return this.past.length > 0
  }
  get canRedo(): boolean {
    return this.future.length > 0
  }

  // Records `draft` as the newest state; nothing when it equals the current one.
  record(draft: Draft): boolean {
    const text = JSON.stringify(draft)
    if (text === this.current) return false
    this.past.push(this.current)
    if (this.past.length > this.limit) this.past.shift()
    this.current = text
    this.future.length = 0
    return true
  }

  undo(): Draft | null {
    const previous = this.past.pop()
    if (previous === undefined) return null
    this.future.push(this.current)
    this.current = previous
    return JSON.parse(previous) as Draft
  }

  redo(): Draft | null {
    const next = this.future.pop()
    if (next === undefined) return null
    this.past.push(this.current)
    this.current = next
    return JSON.parse(next) as Draft
  }

  // Starts over from `draft` (after a reload).
  reset(draft: Draft): void {
    this.past.length = 0
    this.future.length = 0
    this.current = JSON.stringify(draft)
  }
}
