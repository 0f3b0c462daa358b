// The bridge inside a real Bitrix24 portal, over the portal's own frame SDK, BX24.js. Nothing of
// it is bundled: the script comes at run time from the URL in the bootstrap block (config
// `bitrix24.frame_sdk_url`; the shell's CSP allows that origin and no other), and only when the
// page really sits in a portal's frame. The first paint needs nothing from the portal (the
// bootstrap block carries the session and the placement options).
// NOTE: BX24.js answers through callbacks, and the portal silently ignores commands and events it
// does not know (the callback never fires, reference §5.3). Every call here therefore has a
// deadline: a lost answer becomes a rejection, never a hang (a renewal waiting on refreshAuth
// would otherwise stall the page, reference §7.7).
import type { B24Bridge, EntityChange, FrameAuth, PlacementInfo } from './types'

// What the bridge needs from a frame SDK, as promises.
export interface FrameSdk {
  placement: {
    readonly placement: string
    readonly options: unknown
    call(command: string, params?: Record<string, unknown>): Promise<unknown>
    bindEvent(event: string, callback: (...args: unknown[]) => void): Promise<unknown>
  }
  auth: {
    refreshAuth(): Promise<{ access_token?: string } | false | null>
    getAuthData(): { access_token?: string } | false
  }
  parent: { resizeWindow(width: number, height: number): Promise<unknown> }
}

export interface Bx24Auth {
  access_token?: string
}

// The part of the `BX24` global (reference §5.4) this bridge uses.
export interface Bx24 {
  init(callback: () => void): void
  placement: {
    info(): { placement?: unknown; options?: unknown }
    call(command: string, params: Record<string, unknown>, callback: (result: unknown) => void): void
    bindEvent(event: string, callback: (data: unknown) => void): void
  }
  refreshAuth(callback: (auth: Bx24Auth | false) => void): void
  getAuth(): Bx24Auth | false
  resizeWindow(width: number, height: number, callback?: (result: unknown) => void): void
}

export interface Bx24Timeouts {
  // Loading BX24.js and its BX24.init together.
  connectMs: number
  // A placement command or a resize.
  callMs: number
  // refreshAuth: the portal asks its server for a new token.
  authMs: number
}

export const defaultTimeouts: Bx24Timeouts = { connectMs: 10_000, callMs: 5_000, authMs: 10_000 }

export class FrameSdkTimeout extends Error {}

// Runs `start` and settles with the first of its callback or the deadline.
function withDeadline<T>(
  what: string,
  ms: number,
  start: (resolve: (value: T) => void, reject: (reason: Error) => void) => void
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new FrameSdkTimeout(`the portal did not answer ${what} within ${ms} ms`)),
      ms
    )
    const done = <A>(settle: (a: A) => void) => (a: A) => {
      clearTimeout(timer)
      settle(a)
    }
    try {
      start(done(resolve), done(reject))
    } catch (e) {
      done(reject)(e instanceof Error ? e : new Error(String(e)))
    }
  })
}

function isBx24(value: unknown): value is Bx24 {
  const v = value as Partial<Bx24> | null | undefined
  return (
    typeof v?.init === 'function' &&
    typeof v.placement?.info === 'function' &&
    typeof v.placement.call === 'function' &&
    typeof v.placement.bindEvent === 'function' &&
    typeof v.refreshAuth === 'function' &&
    typeof v.getAuth === 'function' &&
    typeof v.resizeWindow === 'function'
  )
}

// BX24.js hands the options over parsed; a JSON string (as the portal POSTs them) is read too.
function placementOptions(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return {}
  }
}

// BX24's callbacks as promises with deadlines.
export function bx24FrameSdk(bx: Bx24, timeouts: Bx24Timeouts = defaultTimeouts): FrameSdk {
  return {
    placement: {
      get placement() {
        const p = bx.placement.info().placement
        return typeof p === 'string' && p ? p : 'DEFAULT'
      },
      get options() {
        return placementOptions(bx.placement.info().options)
      },
      call: (command, params = {}) =>
        withDeadline(command, timeouts.callMs, (resolve) =>
          bx.placement.call(command, params, resolve)
        ),
      // BX24 gives no acknowledgement: the callback is the event handler itself.
      bindEvent: (event, callback) => {
        bx.placement.bindEvent(event, (data: unknown) => callback(data))
        return Promise.resolve(true)
      }
    },
    auth: {
      refreshAuth: () =>
        withDeadline<Bx24Auth | false>('refreshAuth', timeouts.authMs, (resolve) =>
          bx.refreshAuth(resolve)
        ),
      getAuthData: () => bx.getAuth()
    },
    parent: {
      resizeWindow: (width, height) =>
        withDeadline('resizeWindow', timeouts.callMs, (resolve) =>
          bx.resizeWindow(width, height, resolve)
        )
    }
  }
}

// Adds <script src=url> and resolves with BX24 once its init callback ran. Rejects when the
// script fails to load, does not define BX24 (BX24.js throws when the frame name is not the
// portal's), or the whole thing takes longer than `timeoutMs`.
export function loadBx24(url: string, win: Window = window, timeoutMs = defaultTimeouts.connectMs) {
  let href: URL
  try {
    href = new URL(url)
  } catch {
    return Promise.reject(new Error(`the frame SDK URL is not a URL: "${url}"`))
  }
  if (href.protocol !== 'https:' && href.protocol !== 'http:') {
    return Promise.reject(new Error(`the frame SDK URL is not http(s): "${url}"`))
  }
  return withDeadline<Bx24>(`BX24.js from ${url}`, timeoutMs, (resolve, reject) => {
    const script = win.document.createElement('script')
    script.src = href.href
    script.async = true
    script.onerror = () => reject(new Error(`could not load ${url}`))
    script.onload = () => {
      const bx = (win as unknown as { BX24?: unknown }).BX24
      if (!isBx24(bx)) {
        reject(new Error(`${url} did not define BX24`))
        return
      }
      bx.init(() => resolve(bx))
    }
    win.document.head.appendChild(script)
  })
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
        typeof options === 'object' && options !== null && !Array.isArray(options)
          ? (options as Record<string, unknown>)
          : {}
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

export async function connectBitrix24(
  frameSdkUrl: string,
  win: Window = window,
  timeouts: Bx24Timeouts = defaultTimeouts
): Promise<Bitrix24Bridge> {
  const bx = await loadBx24(frameSdkUrl, win, timeouts.connectMs)
  return new Bitrix24Bridge(bx24FrameSdk(bx, timeouts), win)
}
