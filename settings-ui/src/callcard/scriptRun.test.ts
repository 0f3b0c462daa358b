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

describe('ScriptRun with common answers (H7)', () => {
  const withCommon: Script = {
    ...script,
    steps: [
      ...script.steps,
      { id: 'price', title: 'Дорого', hint: '', fields: [], next: ['discount'], common: true },
      { id: 'discount', title: 'Скидка', hint: '', fields: [], next: [], common: true },
      { id: 'busy', title: 'Занят', hint: '', fields: [], next: [], common: true }
    ]
  }

  it('offers the common answers at every step, and leads back to where the operator was', () => {
    const run = new ScriptRun(withCommon, 1000)
    run.next('b', 2000)
    expect(run.commonSteps.map((s) => s.id)).toEqual(['price', 'discount', 'busy'])
    expect(run.returnStep).toBeUndefined()
    run.openCommon('price', 3000)
    expect(run.current?.id).toBe('price')
    expect(run.returnStep?.id).toBe('b')
    expect(run.commonSteps.map((s) => s.id)).toEqual(['discount', 'busy'])
    // A common answer's own next steps keep the way back.
    run.next('discount', 4000)
    run.openCommon('busy', 4500)
    expect(run.returnStep?.id).toBe('b')
    run.returnBack(5000)
    expect(run.current?.id).toBe('b')
    expect(run.returnStep).toBeUndefined()
    expect(run.nextSteps.map((s) => s.id)).toEqual(['d'])
    expect(run.path.map((p) => [p.step_id, p.entered_at_ms, p.left_at_ms])).toEqual([
      ['a', 1000, 2000],
      ['b', 2000, 3000],
      ['price', 3000, 4000],
      ['discount', 4000, 4500],
      ['busy', 4500, 5000],
      ['b', 5000, null]
    ])
    // «Назад» after returning walks back through the script, not through the common answers.
    run.back(6000)
    expect(run.current?.id).toBe('a')
    expect(run.canGoBack).toBe(false)
  })

  it('forgets the way back once the operator is back by «Назад», and refuses steps that are not common', () => {
    const run = new ScriptRun(withCommon, 0)
    run.openCommon('price', 10)
    run.back(20)
    expect(run.current?.id).toBe('a')
    expect(run.returnStep).toBeUndefined()
    expect(() => run.openCommon('b', 30)).toThrow()
    expect(() => run.openCommon('a', 30)).toThrow()
  })
})
