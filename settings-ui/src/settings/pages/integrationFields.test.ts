// The page's own checks of the new kinds, and the line → number map round trip.
import { describe, expect, it } from 'vitest'
import { integrationFields, localProblem } from './integrationFields'
import { numbersToRows, rowsToNumbers, toPutBody, typedNumber } from './integrationForm'

const field = (key: string) => integrationFields.find((f) => f.key === key)!

describe('integration field checks', () => {
  it('a greeting is a whole number of seconds from 1 to 60', () => {
    const f = field('route_greeting_seconds')
    expect([1, 5, 60].map((v) => localProblem(f, v))).toEqual(['', '', ''])
    expect([0, 61, 5.5, '5', '', null].map((v) => localProblem(f, v))).toEqual(['range', 'range', 'range', 'range', 'range', 'range'])
  })

  it('a per-line greeting needs digit lines and 1–60 s', () => {
    const f = field('route_greeting_seconds_by_line')
    expect(localProblem(f, {})).toBe('')
    expect(localProblem(f, { '74951234567': 8 })).toBe('')
    expect(localProblem(f, { '74951234567': 0 })).toBe('range')
    expect(localProblem(f, { '74951234567': 'x' })).toBe('range')
    expect(localProblem(f, { '+7495': 8 })).toBe('line')
  })

  it('the line field is empty or a UF_CRM_ code', () => {
    const f = field('line_number_field')
    expect(localProblem(f, '')).toBe('')
    expect(localProblem(f, 'UF_CRM_MANGO_LINE')).toBe('')
    expect(localProblem(f, 'TITLE')).toBe('field')
    expect(localProblem(f, 'UF_CRM_line')).toBe('field')
    expect(localProblem(f, 'UF_CRM_' + 'X'.repeat(44))).toBe('field')
  })

  it('typed numbers become numbers only when they are whole numbers', () => {
    expect(typedNumber(' 7 ')).toBe(7)
    expect(typedNumber('7.5')).toBe('7.5')
    expect(typedNumber('')).toBe('')
  })

  it('the line map survives rows and back; empty lines are dropped', () => {
    const rows = numbersToRows({ '74997654321': 15, '74951234567': 8 })
    expect(rows).toEqual([
      { line: '74951234567', value: '8' },
      { line: '74997654321', value: '15' }
    ])
    expect(rowsToNumbers([...rows, { line: ' ', value: '3' }])).toEqual({ '74951234567': 8, '74997654321': 15 })
  })

  it('a save keeps the keys the page does not know', () => {
    const read = { version: 3, route_greeting_seconds: 5, future_key: { a: [1] } }
    const edited = { ...read, route_greeting_seconds: 9 }
    expect(toPutBody(read, edited)).toEqual({ version: 3, route_greeting_seconds: 9, future_key: { a: [1] } })
  })
})
