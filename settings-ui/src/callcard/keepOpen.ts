// Keeps the call card open for roles with the keep-open flag (FEATURES C6). The portal closes the
// card when the call ends; `disableAutoClose` holds it for about 65 s (60 s in older docs), and
// every repeat restarts that countdown, so the hold is re-armed well before it lapses.
import type { B24Bridge } from '../shared/bridge'

export const rearmEveryMs = 45_000

export class KeepOpen {
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly bridge: Pick<B24Bridge, 'disableAutoClose' | 'enableAutoClose'>,
    private readonly everyMs = rearmEveryMs
  ) {}

  get active(): boolean {
    return this.timer !== null
  }

  start(): void {
    if (this.timer !== null) return
    this.arm()
    this.timer = setInterval(() => this.arm(), this.everyMs)
  }

  // The operator is done: the card may close as usual again.
  stop(): void {
    if (this.timer === null) return
    clearInterval(this.timer)
    this.timer = null
    void this.bridge.enableAutoClose().catch(() => {})
  }

  private arm(): void {
    void this.bridge.disableAutoClose().catch(() => {})
  }
}
