// The real-portal bridge over a fake `BX24` global: BX24.js is loaded with a <script> element only
// inside a portal's frame, the bridge starts after BX24.init, callbacks become promises, and
// every way the portal's SDK can fail (no script, no BX24, no init, no answer) ends in a
// rejection or in NoBridge, never in a hang.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bx24FrameSdk, connectBitrix24, loadBx24, type Bx24, type Bx24Auth } from './bitrix24'
import { connectBridge } from './index'

const sdkUrl = 'https://api.bitrix24.com/api/v1/'

afterEach(() => {
  vi.useRealTimers()
})

interface FakeBx24 extends Bx24 {
  fire(event: string, data: unknown): void
}

function fakeBx24(
  over: {
    options?: unknown
    call?: Bx24['placement']['call']
    refreshAuth?: Bx24['refreshAuth']
    getAuth?: Bx24['getAuth']
    init?: Bx24['init']
  } = {}
): FakeBx24 {
  const events = new Map<string, (data: unknown) => void>()
  return {
    init: vi.fn(over.init ?? ((cb: () => void) => void setTimeout(cb, 10))),
    placement: {
      info: vi.fn(() => ({ placement: 'CALL_CARD', options: over.options ?? { CALL_ID: 'c1' } })),
      call: vi.fn(over.call ?? ((_c: string, _p: Record<string, unknown>, cb: (r: unknown) => void) => cb(true))),
      bindEvent: vi.fn((event: string, cb: (data: unknown) => void) => void events.set(event, cb))
    },
    refreshAuth: vi.fn(over.refreshAuth ?? ((cb: (a: Bx24Auth | false) => void) => cb({ access_token: 'fresh' }))),
    getAuth: vi.fn(over.getAuth ?? (() => ({ access_token: 'old' }))),
    resizeWindow: vi.fn((_w: number, _h: number, cb?: (r: unknown) => void) => cb?.(true)),
    fire: (event, data) => events.get(event)?.(data)
  }
}

// A window inside a portal's frame; `load` decides what happens to the <script> the page adds.
function portalWindow(
  load: (script: HTMLScriptElement, win: { BX24?: unknown }) => void,
  name = 'portal.bitrix24.ru|1|9c33468728e1d2c8c97562475edfd96'
) {
  const scripts: HTMLScriptElement[] = []
  const win: Record<string, unknown> = { name, location: { ancestorOrigins: [] } }
  win.parent = {}
  win.document = {
    createElement: (tag: string) => {
      expect(tag).toBe('script')
      return {} as HTMLScriptElement
    },
    head: {
      appendChild: (s: HTMLScriptElement) => {
        scripts.push(s)
        load(s, win)
      }
    },
    body: { scrollWidth: 400 }
  }
  return { win: win as unknown as Window, scripts }
}

const loadsAs = (bx: unknown) => (s: HTMLScriptElement, win: { BX24?: unknown }) =>
  setTimeout(() => {
    win.BX24 = bx
    s.onload?.(new Event('load'))
  }, 5)

describe('loading BX24.js', () => {
  it('adds one async script from the bootstrap URL and resolves after BX24.init', async () => {
    const bx = fakeBx24()
    const { win, scripts } = portalWindow(loadsAs(bx))
    const loaded = await loadBx24(sdkUrl, win)
    expect(loaded).toBe(bx)
    expect(scripts).toHaveLength(1)
    expect(scripts[0]!.src).toBe(sdkUrl)
    expect(scripts[0]!.async).toBe(true)
    expect(bx.init).toHaveBeenCalledTimes(1)
  })

  it('refuses a URL that is not http(s) without adding a script', async () => {
    const { win, scripts } = portalWindow(() => {})
    await expect(loadBx24('javascript:alert(1)', win)).rejects.toThrow(/not http/)
    await expect(loadBx24('', win)).rejects.toThrow(/not a URL/)
    expect(scripts).toHaveLength(0)
  })

  it('fails when the script does not load, defines no BX24, or BX24.init never fires', async () => {
    const failing = portalWindow((s) => setTimeout(() => s.onerror?.(new Event('error')), 5))
    await expect(loadBx24(sdkUrl, failing.win)).rejects.toThrow(/could not load/)
    // BX24.js sets BX24 to null and throws when the frame name is not the portal's.
    const refused = portalWindow(loadsAs(null))
    await expect(loadBx24(sdkUrl, refused.win)).rejects.toThrow(/did not define BX24/)
    vi.useFakeTimers()
    const silent = portalWindow(loadsAs(fakeBx24({ init: () => {} })))
    const pending = loadBx24(sdkUrl, silent.win, 3000)
    const seen = expect(pending).rejects.toThrow(/did not answer BX24.js .* within 3000 ms/)
    await vi.advanceTimersByTimeAsync(3001)
    await seen
  })
})

describe('connectBridge inside a portal frame', () => {
  it('loads BX24.js only in a portal frame and only with a URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fallback = { placement: 'CALL_CARD', options: { CALL_ID: 'boot' } }
    const alone = portalWindow(loadsAs(fakeBx24()), '')
    expect((await connectBridge(alone.win, fallback, sdkUrl)).kind).toBe('none')
    expect(alone.scripts).toHaveLength(0)
    const noUrl = portalWindow(loadsAs(fakeBx24()))
    expect((await connectBridge(noUrl.win, fallback, '')).kind).toBe('none')
    expect(noUrl.scripts).toHaveLength(0)
    expect(warn).toHaveBeenCalledTimes(1)
    const portal = portalWindow(loadsAs(fakeBx24()))
    expect((await connectBridge(portal.win, fallback, sdkUrl)).kind).toBe('bitrix24')
    expect(portal.scripts).toHaveLength(1)
  })

  it('falls back to NoBridge with a warning when BX24.js cannot be loaded', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { win } = portalWindow((s) => setTimeout(() => s.onerror?.(new Event('error')), 5))
    const fallback = { placement: 'CALL_CARD', options: { CALL_ID: 'boot' } }
    const bridge = await connectBridge(win, fallback, sdkUrl)
    expect(bridge.kind).toBe('none')
    await expect(bridge.placementInfo()).resolves.toEqual(fallback)
    await expect(bridge.freshAuth()).rejects.toThrow(/no portal/)
    expect(warn).toHaveBeenCalledWith('opdesk: the Bitrix24 frame SDK did not start', expect.any(Error))
  })

  it('falls back to NoBridge when BX24.init never fires', async () => {
    vi.useFakeTimers()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { win } = portalWindow(loadsAs(fakeBx24({ init: () => {} })))
    const pending = connectBridge(win, { placement: 'CALL_CARD', options: {} }, sdkUrl)
    await vi.advanceTimersByTimeAsync(10_001)
    expect((await pending).kind).toBe('none')
  })
})

describe('the bridge over BX24', () => {
  async function connected(bx: FakeBx24) {
    return connectBitrix24(sdkUrl, portalWindow(loadsAs(bx)).win, {
      connectMs: 1000,
      callMs: 1000,
      authMs: 2000
    })
  }

  it('reads the placement and drives the CALL_CARD commands, events and resizes', async () => {
    const bx = fakeBx24()
    const bridge = await connected(bx)
    await expect(bridge.placementInfo()).resolves.toEqual({ placement: 'CALL_CARD', options: { CALL_ID: 'c1' } })
    await bridge.disableAutoClose()
    await bridge.enableAutoClose()
    expect(bx.placement.call).toHaveBeenNthCalledWith(1, 'disableAutoClose', {}, expect.any(Function))
    expect(bx.placement.call).toHaveBeenNthCalledWith(2, 'enableAutoClose', {}, expect.any(Function))
    const seen: unknown[] = []
    bridge.onEntityChanged((c) => seen.push(c))
    bridge.onEntityChanged(() => {})
    expect(bx.placement.bindEvent).toHaveBeenCalledTimes(1)
    expect(bx.placement.bindEvent).toHaveBeenCalledWith('CallCard::EntityChanged', expect.any(Function))
    bx.fire('CallCard::EntityChanged', { CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: 7 })
    expect(seen).toEqual([{ CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: 7 }])
    bridge.resize(300)
    expect(bx.resizeWindow).toHaveBeenCalledWith(400, 300, expect.any(Function))
  })

  it('reads placement options BX24 hands over as a JSON string', async () => {
    const sdk = bx24FrameSdk(fakeBx24({ options: '{"CALL_ID":"c2"}' }))
    expect(sdk.placement.options).toEqual({ CALL_ID: 'c2' })
    expect(bx24FrameSdk(fakeBx24({ options: 'not json' })).placement.options).toEqual({})
  })

  it('renews the frame token through refreshAuth every time', async () => {
    const bx = fakeBx24()
    const bridge = await connected(bx)
    await expect(bridge.freshAuth()).resolves.toEqual({ access_token: 'fresh' })
    await expect(bridge.freshAuth()).resolves.toEqual({ access_token: 'fresh' })
    expect(bx.refreshAuth).toHaveBeenCalledTimes(2)
    expect(bx.getAuth).not.toHaveBeenCalled()
  })

  it('takes the current token when refreshAuth gives none, and fails when there is none', async () => {
    const bx = fakeBx24({ refreshAuth: (cb) => cb(false) })
    await expect((await connected(bx)).freshAuth()).resolves.toEqual({ access_token: 'old' })
    const none = fakeBx24({ refreshAuth: (cb) => cb(false), getAuth: () => false })
    await expect((await connected(none)).freshAuth()).rejects.toThrow(/no frame token/)
  })

  it('rejects a renewal whose refreshAuth callback never fires instead of hanging', async () => {
    const bridge = await connected(fakeBx24({ refreshAuth: () => {} }))
    vi.useFakeTimers()
    const pending = bridge.freshAuth()
    const seen = expect(pending).rejects.toThrow(/did not answer refreshAuth within 2000 ms/)
    await vi.advanceTimersByTimeAsync(2001)
    await seen
  })

  it('rejects a command the portal ignores after the call deadline', async () => {
    const bridge = await connected(fakeBx24({ call: () => {} }))
    vi.useFakeTimers()
    const pending = bridge.disableAutoClose()
    const seen = expect(pending).rejects.toThrow(/did not answer disableAutoClose/)
    await vi.advanceTimersByTimeAsync(1001)
    await seen
  })
})
