import { afterEach, describe, expect, it, vi } from 'vitest'
import { dismissStart, restoreStart, startDismissed } from './startState'

const keyOf = (name: string) => `opdesk:m1:u1:${name}`
const other = (name: string) => `opdesk:m1:u2:${name}`

afterEach(() => {
  restoreStart(keyOf)
  restoreStart(other)
  vi.restoreAllMocks()
})

describe('startState', () => {
  it('remembers a dismissal per portal and user in localStorage', () => {
    expect(startDismissed(keyOf)).toBe(false)
    dismissStart(keyOf, 'dismissed')
    expect(startDismissed(keyOf)).toBe(true)
    expect(localStorage.getItem('opdesk:m1:u1:start-dismissed')).toBe('dismissed')
    expect(startDismissed(other)).toBe(false)
    restoreStart(keyOf)
    expect(startDismissed(keyOf)).toBe(false)
  })

  it('still holds the choice for the page when the browser refuses storage to the frame', () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('Access is denied for this document.', 'SecurityError')
    })
    expect(startDismissed(keyOf)).toBe(false)
    dismissStart(keyOf, 'done')
    expect(startDismissed(keyOf)).toBe(true)
  })
})
