import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../../shared/api'
import type { Draft } from '../scriptModel'
import { Autosave } from './autosave'

const draft = (title: string): Draft => ({
  start_step: 'a',
  steps: [{ id: 'a', title, hint: '', x: 0, y: 0, fields: [], next: [] }]
})

// A save the test answers by hand.
function pendingSaves() {
  const calls: { draft: Draft; ok: () => void; fail: (e: unknown) => void }[] = []
  const save = vi.fn(
    (d: Draft) =>
      new Promise<void>((ok, fail) => {
        calls.push({ draft: d, ok, fail })
      })
  )
  return { calls, save }
}
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('Autosave', () => {
  it('saves once after a pause in the edits, the newest draft', async () => {
    vi.useFakeTimers()
    const { calls, save } = pendingSaves()
    const saver = new Autosave({ delayMs: 800, save, saved: draft('A') })
    saver.changed(draft('B'))
    vi.advanceTimersByTime(500)
    saver.changed(draft('C'))
    vi.advanceTimersByTime(500)
    expect(save).not.toHaveBeenCalled()
    expect(saver.state.value).toBe('pending')
    vi.advanceTimersByTime(300)
    expect(save).toHaveBeenCalledTimes(1)
    expect(calls[0]!.draft.steps[0]!.title).toBe('C')
    expect(saver.state.value).toBe('saving')
    calls[0]!.ok()
    vi.useRealTimers()
    await tick()
    expect(saver.state.value).toBe('saved')
    expect(saver.unsaved).toBe(false)
  })

  it('sends edits made during a save after it, never two saves at once', async () => {
    vi.useFakeTimers()
    const { calls, save } = pendingSaves()
    const saver = new Autosave({ delayMs: 100, save, saved: draft('A') })
    saver.changed(draft('B'))
    vi.advanceTimersByTime(100)
    saver.changed(draft('C'))
    vi.advanceTimersByTime(1000)
    expect(save).toHaveBeenCalledTimes(1)
    calls[0]!.ok()
    await vi.advanceTimersByTimeAsync(0)
    expect(saver.state.value).toBe('pending')
    await vi.advanceTimersByTimeAsync(100)
    expect(save).toHaveBeenCalledTimes(2)
    expect(calls[1]!.draft.steps[0]!.title).toBe('C')
    calls[1]!.ok()
    await vi.advanceTimersByTimeAsync(0)
    expect(saver.state.value).toBe('saved')
    vi.useRealTimers()
  })

  it('stops at a conflict and never saves over the other editor', async () => {
    vi.useFakeTimers()
    const { calls, save } = pendingSaves()
    const saver = new Autosave({ delayMs: 100, save, saved: draft('A') })
    saver.changed(draft('B'))
    vi.advanceTimersByTime(100)
    calls[0]!.fail(new ApiError(409, 'CONFLICT', 'the script changed', 'version'))
    await vi.advanceTimersByTimeAsync(0)
    expect(saver.state.value).toBe('conflict')
    saver.changed(draft('C'))
    await vi.advanceTimersByTimeAsync(5000)
    expect(save).toHaveBeenCalledTimes(1)
    expect(await saver.flush()).toBe(false)
    expect(save).toHaveBeenCalledTimes(1)
    // A reload starts over from the server's draft.
    saver.reset(draft('Theirs'))
    expect(saver.state.value).toBe('saved')
    saver.changed(draft('Mine again'))
    await vi.advanceTimersByTimeAsync(100)
    expect(save).toHaveBeenCalledTimes(2)
    vi.useRealTimers()
  })

  it('shows other failures and tries again with the next edit; flush saves at once', async () => {
    const { calls, save } = pendingSaves()
    const saver = new Autosave({ delayMs: 60_000, save, saved: draft('A') })
    saver.changed(draft('B'))
    const flushed = saver.flush()
    await tick()
    expect(save).toHaveBeenCalledTimes(1)
    calls[0]!.fail(new ApiError(400, 'INVALID_ARGUMENT', 'title too long', 'draft.steps[0].title'))
    expect(await flushed).toBe(false)
    expect(saver.state.value).toBe('failed')
    expect(saver.error.value).toBe('title too long')
    saver.changed(draft('C'))
    const again = saver.flush()
    await tick()
    calls[1]!.ok()
    expect(await again).toBe(true)
    expect(saver.state.value).toBe('saved')
    expect(saver.error.value).toBe('')
  })

  it('has nothing to save when the edits come back to the saved draft', () => {
    vi.useFakeTimers()
    const { save } = pendingSaves()
    const saver = new Autosave({ delayMs: 100, save, saved: draft('A') })
    saver.changed(draft('B'))
    saver.changed(draft('A'))
    expect(saver.state.value).toBe('saved')
    vi.advanceTimersByTime(1000)
    expect(save).not.toHaveBeenCalled()
    vi.useRealTimers()
  })
})
