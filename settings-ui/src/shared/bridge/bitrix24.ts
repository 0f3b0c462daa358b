// The bridge inside a real Bitrix24 portal, over the official frame SDK (@bitrix24/b24jssdk). The
// SDK is loaded as a separate chunk after the card is on screen: the first paint needs nothing
// from the portal (the bootstrap block carries the session and the placement options).
// NOTE: the portal silently ignores commands and events it does not know (the callback never
// fires); the SDK's `isSafely` resolves such calls after a short wait instead of hanging.
import type { B24Bridge, EntityChange, FrameAuth, PlacementInfo } from './types'

// The part of the SDK's B24Frame this bridge uses, so tests can stand in for it.
export interface FrameSdk {
  placement: {
    placement: string
    options: unknown
    call(command: string, params?: Record<string, unknown>): Promise<unknown>
    bindEvent(event: string, callback: (...args: unknown[]) => void): Promise<unknown>
  }
  auth: {
    refreshAuth(): Promise<{ access_token?: string } | false | null>
    getAuthData(): { access_token?: string } | false
  }
  parent: { resizeWindow(width: number, height: number): Promise<unknown> }
}

export class Bitrix24Bridge implements B24Bridge {
  readonly kind = 'bitrix24' as const
  private readonly handlers = new Set<(change: EntityChange) => void>()
  private bound = false

  constructor(
    private readonly sdk: FrameSdk,
    private readonly win: Window = window
  ) {}

  placementInfo(): Promise<PlacementInfo> {
    const options = this.sdk.placement.options
    return Promise.resolve({
      placement: this.sdk.placement.placement,
      options:
        typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {}
    })
  }
  async disableAutoClose(): Promise<void> {
    await this.sdk.placement.call('disableAutoClose')
  }
  async enableAutoClose(): Promise<void> {
    await this.sdk.placement.call('enableAutoClose')
  }
  onEntityChanged(handler: (change: EntityChange) => void): () => void {
    this.handlers.add(handler)
    if (!this.bound) {
      this.bound = true
      void this.sdk.placement
        .bindEvent('CallCard::EntityChanged', (data: unknown) => {
          const change = (typeof data === 'object' && data !== null ? data : {}) as EntityChange
          for (const h of this.handlers) h(change)
        })
        .catch(() => {})
    }
    return () => this.handlers.delete(handler)
  }
  async freshAuth(): Promise<FrameAuth> {
    // The frame token lives an hour even while the card stays open; always ask for a new one.
    const refreshed = await this.sdk.auth.refreshAuth()
    const token =
      (refreshed && refreshed.access_token) ||
      (this.sdk.auth.getAuthData() || { access_token: '' }).access_token
    if (!token) throw new Error('the portal gave no frame token')
    return { access_token: token }
  }
  resize(height: number): void {
    void this.sdk.parent.resizeWindow(this.win.document.body.scrollWidth, height).catch(() => {})
  }
}

export async function connectBitrix24(): Promise<Bitrix24Bridge> {
  const { initializeB24Frame } = await import('@bitrix24/b24jssdk')
  const frame = await initializeB24Frame()
  return new Bitrix24Bridge(frame as unknown as FrameSdk)
}
