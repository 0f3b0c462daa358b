// One walk through a script during a call: where the operator is, how they got there, what they
// answered and how long each step took. `path` lists every visit in order (going back is a new
// visit of the earlier step), which is what the server stores with the call and the version.
import type { FieldValue, PathEntry, Script, Step } from './types'

export class ScriptRun {
  readonly path: PathEntry[] = []
  // Steps the operator can go back through; the last one is the current step.
  private readonly stack: string[] = []
  private readonly steps: Map<string, Step>

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
  }

  back(now: number): void {
    if (!this.canGoBack) return
    this.leave(now)
    this.stack.pop()
    const previous = this.stack.pop()
    if (previous !== undefined) this.enter(previous, now)
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
