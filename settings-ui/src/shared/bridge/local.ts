// A bridge over plain postMessage to the parent window, answered by the browser-test harness
// (settings-ui/e2e/harness.mjs) that plays the portal. Messages:
//   frame → parent  {opdesk: 'bridge', id, method, params}
//   parent → frame  {opdesk: 'bridge', id, result} | {opdesk: 'bridge', id, error}
//                   {opdesk: 'bridge', event: 'CallCard::EntityChanged', data}
// Only messages whose source is the parent window are read.
import type { B24Bridge, EntityChange, FrameAuth, PlacementInfo } from './types'

export const localBridgeWindowName = 'opdesk-local-bridge'

interface Pending {
  resolve: (value: unknown) => void
  reject: (reason: Error) => void
  timer: ReturnType<typeof setTimeout>
}

export class LocalBridge implements B24Bridge {
  readonly kind = 'local' as const
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly handlers = new Set<(change: EntityChange) => void>()
  private readonly targetOrigin: string

  constructor(
    private readonly win: Window = window,
    private readonly timeoutMs = 5000
  ) {
    const ancestors = win.location.ancestorOrigins
    this.targetOrigin = ancestors && ancestors.length > 0 ? (ancestors[0] ?? '*') : '*'
    win.addEventListener('message', (event: MessageEvent) => this.receive(event))
  }

  private receive(event: MessageEvent): void {
    if (event.source !== this.win.parent) return
    const data = event.data as Record<string, unknown> | null
    if (!data || typeof data !== 'object' || data.opdesk !== 'bridge') return
    if (data.event === 'CallCard::EntityChanged') {
      const change = (data.data ?? {}) as EntityChange
      for (const handler of this.handlers) handler(change)
      return
    }
    const pending = this.pending.get(Number(data.id))
    if (!pending) return
    this.pending.delete(Number(data.id))
    clearTimeout(pending.timer)
    if (data.error) pending.reject(new Error(String(data.error)))
    else pending.resolve(data.result)
  }

  private call<T>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`the portal did not answer ${method}`))
      }, this.timeoutMs)
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer })
      this.win.parent.postMessage({ opdesk: 'bridge', id, method, params }, this.targetOrigin)
    })
  }

  placementInfo(): Promise<PlacementInfo> {
    return this.call<PlacementInfo>('placementInfo')
  }
  async disableAutoClose(): Promise<void> {
    await this.call('disableAutoClose')
  }
  async enableAutoClose(): Promise<void> {
    await this.call('enableAutoClose')
  }
  onEntityChanged(handler: (change: EntityChange) => void): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }
  freshAuth(): Promise<FrameAuth> {
    return this.call<FrameAuth>('getAuth')
  }
  resize(height: number): void {
    void this.call('resize', { height }).catch(() => {})
  }
}
