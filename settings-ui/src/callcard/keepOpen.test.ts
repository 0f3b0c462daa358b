import { afterEach, describe, expect, it, vi } from 'vitest'
import { KeepOpen, rearmEveryMs } from './keepOpen'
import { fakeBridge } from '../test/fakeBridge'

afterEach(() => {
  vi.useRealTimers()
})

describe('KeepOpen', () => {
  it('holds the card at once and re-arms before the portal’s 60–65 s hold lapses', () => {
    vi.useFakeTimers()
    const bridge = fakeBridge()
    const keep = new KeepOpen(bridge)
    keep.start()
    expect(bridge.disableAutoClose).toHaveBeenCalledTimes(1)
    expect(rearmEveryMs).toBeLessThan(60_000)
    vi.advanceTimersByTime(rearmEveryMs * 3)
    expect(bridge.disableAutoClose).toHaveBeenCalledTimes(4)
    keep.start() // a second start does not double the timer
    vi.advanceTimersByTime(rearmEveryMs)
    expect(bridge.disableAutoClose).toHaveBeenCalledTimes(5)
  })

  it('lets the card close again when the operator is done', () => {
    vi.useFakeTimers()
    const bridge = fakeBridge()
    const keep = new KeepOpen(bridge)
    keep.start()
    keep.stop()
    expect(bridge.enableAutoClose).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(rearmEveryMs * 2)
    expect(bridge.disableAutoClose).toHaveBeenCalledTimes(1)
  })
})
