import { describe, expect, it, vi } from 'vitest'
import { fitFrameToContent } from './frame'

// A ResizeObserver the test fires by hand.
function manualObserver() {
  const callbacks: (() => void)[] = []
  const disconnected = { value: false }
  class Manual {
    constructor(cb: () => void) {
      callbacks.push(cb)
    }
    observe() {}
    unobserve() {}
    disconnect() {
      disconnected.value = true
    }
  }
  return {
    Observer: Manual as unknown as typeof ResizeObserver,
    fire: () => callbacks.forEach((cb) => cb()),
    disconnected
  }
}

function elementOfHeight(height: { value: number }) {
  return { getBoundingClientRect: () => ({ height: height.value }) } as unknown as Element
}

describe('fitFrameToContent', () => {
  it('sends the rounded-up height once per change', () => {
    const { Observer, fire } = manualObserver()
    const height = { value: 300.2 }
    const bridge = { resize: vi.fn() }
    fitFrameToContent(elementOfHeight(height), bridge, Observer)
    fire()
    fire()
    height.value = 512
    fire()
    expect(bridge.resize.mock.calls).toEqual([[301], [512]])
  })

  it('stops when asked, and is a no-op without a root or an observer', () => {
    const { Observer, disconnected } = manualObserver()
    const bridge = { resize: vi.fn() }
    fitFrameToContent(elementOfHeight({ value: 1 }), bridge, Observer)()
    expect(disconnected.value).toBe(true)
    expect(() => fitFrameToContent(null, bridge, Observer)()).not.toThrow()
    expect(() => fitFrameToContent(elementOfHeight({ value: 1 }), bridge, undefined)()).not.toThrow()
    expect(bridge.resize).not.toHaveBeenCalled()
  })
})
