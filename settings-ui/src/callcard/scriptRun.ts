// One walk through a script during a call: where the operator is, how they got there, what they
// answered and how long each step took. `path` lists every visit in order (going back is a new
// visit of the earlier step), which is what the server stores with the call and the version.
// Common answers (H7) can be opened from any step; the run remembers the step the operator came
// from and `returnBack` leads there again (following a common answer's own next steps keeps the
// way back until the operator goes on into the script proper). A pinned step (F1) is offered by
// `pinned` for the runner to show above every step.
import type { FieldValue, PathEntry, Script, Step } from './types'

export class ScriptRun {
  readonly path: PathEntry[] = []
  // Steps the operator can go back through; the last one is the current step.
  private readonly stack: string[] = []
  private readonly steps: Map<string, Step>
  // The index in `stack` of the step the operator left for a common answer; null outside one.
  private returnIndex: number | null = null

  constructor(
    readonly script: Script,
    now: number
  ) {
    this.steps = new Map(script.steps.map((s) => [s.id, s]))
    this.enter(script.start_step, now)
  }

  get current(): Step | undefined {
    return this.steps.get(this.stack[this.stack.length - 1] ?? '')
  }

  // F1: the step pinned at the top: its text stays above the current step at every step.
  get pinned(): Step | undefined {
    return this.script.steps.find((s) => s.pinned)
  }

  get canGoBack(): boolean {
    return this.stack.length > 1
  }

  // The next-step buttons: one per next step, titled exactly like that step.
  get nextSteps(): { id: string; title: string }[] {
    return (this.current?.next ?? [])
      .map((id) => this.steps.get(id))
      .filter((s): s is Step => s !== undefined)
      .map((s) => ({ id: s.id, title: s.title }))
  }

  // The common answers offered here: all but the one shown.
  get commonSteps(): { id: string; title: string }[] {
    return this.script.steps.filter((s) => s.common && s.id !== this.current?.id).map((s) => ({ id: s.id, title: s.title }))
  }

  // The step a common answer leads back to; undefined outside common answers.
  get returnStep(): Step | undefined {
    return this.returnIndex === null ? undefined : this.steps.get(this.stack[this.returnIndex] ?? '')
  }

  openCommon(stepId: string, now: number): void {
    const step = this.steps.get(stepId)
    if (!step?.common || stepId === this.current?.id) throw new Error(`step ${stepId} is not a common answer to open`)
    if (this.returnIndex === null) this.returnIndex = this.stack.length - 1
    this.leave(now)
    this.enter(stepId, now)
  }

  returnBack(now: number): void {
    if (this.returnIndex === null) return
    const target = this.stack[this.returnIndex]!
    this.leave(now)
    this.stack.length = this.returnIndex
    this.returnIndex = null
    this.enter(target, now)
  }

  get answers(): Record<string, FieldValue> {
    return this.path[this.path.length - 1]?.answers ?? {}
  }

  answer(code: string, value: FieldValue): void {
    const visit = this.path[this.path.length - 1]
    if (visit) visit.answers[code] = value
  }

  next(stepId: string, now: number): void {
    if (!this.current?.next.includes(stepId) || !this.steps.has(stepId)) {
      throw new Error(`step ${stepId} does not follow ${this.current?.id ?? 'nothing'}`)
    }
    this.leave(now)
    this.enter(stepId, now)
    // Going on from a common answer into the script proper: this is the operator's place now.
    if (!this.steps.get(stepId)?.common) this.returnIndex = null
  }

  back(now: number): void {
    if (!this.canGoBack) return
    this.leave(now)
    this.stack.pop()
    const previous = this.stack.pop()
    if (previous !== undefined) this.enter(previous, now)
    // Back at the step the common answer was opened from: nothing left to return to.
    if (this.returnIndex !== null && this.stack.length - 1 <= this.returnIndex) this.returnIndex = null
  }

  private enter(stepId: string, now: number): void {
    this.stack.push(stepId)
    this.path.push({ step_id: stepId, entered_at_ms: now, left_at_ms: null, answers: {} })
  }

  private leave(now: number): void {
    const visit = this.path[this.path.length - 1]
    if (visit && visit.left_at_ms === null) visit.left_at_ms = now
  }
}
