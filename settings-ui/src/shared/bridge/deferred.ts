// Stands for the bridge while it connects (the portal's BX24.js loads and starts at run time), so
// the page can render and subscribe at once; calls wait for the real bridge and then go to it.
import type { B24Bridge, EntityChange, FrameAuth, PlacementInfo } from './types'

export class DeferredBridge implements B24Bridge {
  private real: B24Bridge | null = null

  constructor(private readonly ready: Promise<B24Bridge>) {
    void ready.then((b) => {
      this.real = b
    })
  }

  get kind(): B24Bridge['kind'] {
    return this.real?.kind ?? 'none'
  }
  async placementInfo(): Promise<PlacementInfo> {
    return (await this.ready).placementInfo()
  }
  async disableAutoClose(): Promise<void> {
    return (await this.ready).disableAutoClose()
  }
  async enableAutoClose(): Promise<void> {
    return (await this.ready).enableAutoClose()
  }
  onEntityChanged(handler: (change: EntityChange) => void): () => void {
    let unsubscribe: (() => void) | null = null
    let cancelled = false
    void this.ready.then((b) => {
      if (!cancelled) unsubscribe = b.onEntityChanged(handler)
    })
    return () => {
      cancelled = true
      unsubscribe?.()
    }
  }
  async freshAuth(): Promise<FrameAuth> {
    return (await this.ready).freshAuth()
  }
  resize(height: number): void {
    void this.ready.then((b) => b.resize(height))
  }
}
