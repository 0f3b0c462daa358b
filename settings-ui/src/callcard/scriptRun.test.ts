import { describe, expect, it } from 'vitest'
import { ScriptRun } from './scriptRun'
import type { Script } from './types'

const script: Script = {
  id: 's1',
  name: 'Продажа',
  version: 3,
  start_step: 'a',
  steps: [
    { id: 'a', title: 'Приветствие', hint: '', fields: [], next: ['b', 'c'] },
    { id: 'b', title: 'Интересно', hint: '', fields: [], next: ['d'] },
    { id: 'c', title: 'Не интересно', hint: '', fields: [], next: [] },
    { id: 'd', title: 'Встреча', hint: '', fields: [], next: [] }
  ]
}

describe('ScriptRun', () => {
  it('offers the next steps under their own titles', () => {
    const run = new ScriptRun(script, 1000)
    expect(run.current?.id).toBe('a')
    expect(run.nextSteps).toEqual([
      { id: 'b', title: 'Интересно' },
      { id: 'c', title: 'Не интересно' }
    ])
    expect(run.canGoBack).toBe(false)
  })

  it('records every visit with its times and answers, going back included', () => {
    const run = new ScriptRun(script, 1000)
    run.answer('COMMENTS', 'hello')
    run.next('b', 2500)
    run.next('d', 4000)
    run.back(4700)
    expect(run.current?.id).toBe('b')
    run.back(5000)
    expect(run.current?.id).toBe('a')
    expect(run.canGoBack).toBe(false)
    expect(run.path).toEqual([
      { step_id: 'a', entered_at_ms: 1000, left_at_ms: 2500, answers: { COMMENTS: 'hello' } },
      { step_id: 'b', entered_at_ms: 2500, left_at_ms: 4000, answers: {} },
      { step_id: 'd', entered_at_ms: 4000, left_at_ms: 4700, answers: {} },
      { step_id: 'b', entered_at_ms: 4700, left_at_ms: 5000, answers: {} },
      { step_id: 'a', entered_at_ms: 5000, left_at_ms: null, answers: {} }
    ])
  })

  it('refuses a step that does not follow the current one', () => {
    const run = new ScriptRun(script, 0)
    expect(() => run.next('d', 1)).toThrow()
  })
})
