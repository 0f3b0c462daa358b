import { afterEach, describe, expect, it, vi } from 'vitest'
import { Bitrix24Bridge, type FrameSdk } from './bitrix24'
import { DeferredBridge } from './deferred'
import { bridgeKind } from './index'
import { LocalBridge } from './local'
import { NoBridge } from './types'

afterEach(() => {
  vi.useRealTimers()
})

function fakeWindow(name: string, framed = true) {
  const listeners: ((e: MessageEvent) => void)[] = []
  const parent = { postMessage: vi.fn() }
  const win = {
    name,
    location: { ancestorOrigins: ['https://portal.bitrix24.ru'] },
    addEventListener: (_: string, l: (e: MessageEvent) => void) => listeners.push(l),
    document: { body: { scrollWidth: 400 } }
  } as unknown as Window & { parent: typeof parent }
  ;(win as unknown as { parent: unknown }).parent = framed ? parent : win
  const deliver = (data: unknown, source: unknown = parent) =>
    listeners.forEach((l) => l({ data, source } as MessageEvent))
  return { win, parent, deliver }
}

describe('bridgeKind', () => {
  it('recognises the portal’s frame name, the harness and a page on its own', () => {
    expect(bridgeKind(fakeWindow('portal.bitrix24.ru|1|9c33468728e1d2c8c97562475edfd96').win)).toBe('bitrix24')
    expect(bridgeKind(fakeWindow('opdesk-local-bridge').win)).toBe('local')
    expect(bridgeKind(fakeWindow('').win)).toBe('none')
    expect(bridgeKind(fakeWindow('portal|1|sid', false).win)).toBe('none')
  })
})

describe('LocalBridge', () => {
  it('asks the parent and resolves with its answer', async () => {
    const { win, parent, deliver } = fakeWindow('opdesk-local-bridge')
    const bridge = new LocalBridge(win)
    const auth = bridge.freshAuth()
    const [message, origin] = parent.postMessage.mock.calls[0] as [{ id: number; method: string }, string]
    expect(message).toMatchObject({ opdesk: 'bridge', method: 'getAuth' })
    expect(origin).toBe('https://portal.bitrix24.ru')
    deliver({ opdesk: 'bridge', id: message.id, result: { access_token: 't2' } }, {}) // not the parent: ignored
    deliver({ opdesk: 'bridge', id: message.id, result: { access_token: 't1' } })
    await expect(auth).resolves.toEqual({ access_token: 't1' })
  })

  it('passes CallCard::EntityChanged to subscribers and fails calls the parent never answers', async () => {
    vi.useFakeTimers()
    const { win, deliver } = fakeWindow('opdesk-local-bridge')
    const bridge = new LocalBridge(win, 1000)
    const seen: unknown[] = []
    const off = bridge.onEntityChanged((c) => seen.push(c))
    deliver({ opdesk: 'bridge', event: 'CallCard::EntityChanged', data: { CRM_ENTITY_ID: '5' } })
    off()
    deliver({ opdesk: 'bridge', event: 'CallCard::EntityChanged', data: { CRM_ENTITY_ID: '6' } })
    expect(seen).toEqual([{ CRM_ENTITY_ID: '5' }])
    const pending = bridge.disableAutoClose()
    vi.advanceTimersByTime(1001)
    await expect(pending).rejects.toThrow(/did not answer disableAutoClose/)
  })
})

describe('Bitrix24Bridge', () => {
  function sdk(): FrameSdk & { fire(data: unknown): void } {
    let handler: ((d: unknown) => void) | null = null
    return {
      placement: {
        placement: 'CALL_CARD',
        options: { CALL_ID: 'c1' },
        call: vi.fn(async () => ({})),
        bindEvent: vi.fn(async (_e: string, cb: (...a: unknown[]) => void) => {
          handler = cb
          return {}
        })
      },
      auth: {
        refreshAuth: vi.fn(async () => ({ access_token: 'fresh' })),
        getAuthData: vi.fn(() => ({ access_token: 'old' }))
      },
      parent: { resizeWindow: vi.fn(async () => ({})) },
      fire: (d: unknown) => handler?.(d)
    }
  }

  it('drives the CALL_CARD interface through the SDK', async () => {
    const s = sdk()
    const bridge = new Bitrix24Bridge(s, fakeWindow('x').win)
    await bridge.disableAutoClose()
    await bridge.enableAutoClose()
    expect(s.placement.call).toHaveBeenNthCalledWith(1, 'disableAutoClose')
    expect(s.placement.call).toHaveBeenNthCalledWith(2, 'enableAutoClose')
    await expect(bridge.placementInfo()).resolves.toEqual({ placement: 'CALL_CARD', options: { CALL_ID: 'c1' } })
    bridge.resize(300)
    expect(s.parent.resizeWindow).toHaveBeenCalledWith(400, 300)
  })

  it('binds EntityChanged once and always refreshes the frame token', async () => {
    const s = sdk()
    const bridge = new Bitrix24Bridge(s, fakeWindow('x').win)
    const a: unknown[] = []
    const b: unknown[] = []
    bridge.onEntityChanged((c) => a.push(c))
    bridge.onEntityChanged((c) => b.push(c))
    expect(s.placement.bindEvent).toHaveBeenCalledTimes(1)
    expect(s.placement.bindEvent).toHaveBeenCalledWith('CallCard::EntityChanged', expect.any(Function))
    s.fire({ CRM_ENTITY_TYPE: 'LEAD', CRM_ENTITY_ID: 3 })
    expect(a).toEqual([{ CRM_ENTITY_TYPE: 'LEAD', CRM_ENTITY_ID: 3 }])
    expect(b).toHaveLength(1)
    await expect(bridge.freshAuth()).resolves.toEqual({ access_token: 'fresh' })
    expect(s.auth.refreshAuth).toHaveBeenCalledTimes(1)
  })
})

describe('DeferredBridge', () => {
  it('queues calls and subscriptions until the real bridge is there', async () => {
    let connect: (b: NoBridge) => void = () => {}
    const real = new NoBridge({ placement: 'CALL_CARD', options: {} })
    const spy = vi.spyOn(real, 'disableAutoClose')
    const subscribe = vi.spyOn(real, 'onEntityChanged')
    const bridge = new DeferredBridge(new Promise((r) => (connect = r)))
    expect(bridge.kind).toBe('none')
    const done = bridge.disableAutoClose()
    bridge.onEntityChanged(() => {})
    expect(spy).not.toHaveBeenCalled()
    connect(real)
    await done
    expect(spy).toHaveBeenCalledTimes(1)
    expect(subscribe).toHaveBeenCalledTimes(1)
  })
})
