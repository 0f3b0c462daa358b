import { describe, expect, it } from 'vitest'
import { TemplateProblem, renderTemplate, sampleValues } from './template'

// A fixed moment in the test's local zone: Thursday 6 March 2025, 16:30:20.
const now = new Date(2025, 2, 6, 16, 30, 20)
const values = sampleValues('ru', now)
const problem = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return e instanceof TemplateProblem ? e.problem : e
  }
  return null
}

describe('renderTemplate', () => {
  it('fills variables with samples and keeps doubled braces literal', () => {
    expect(renderTemplate('Перезвонить {client.name} ({call.phone}) {{x}}', values, now)).toBe(
      'Перезвонить Иван Петров (+7 900 123-45-67) {x}'
    )
  })

  it('renders moments: clock shifts, calendar shifts, then the time of day', () => {
    expect(renderTemplate('{now}', values, now)).toBe('06.03.2025 16:30')
    expect(renderTemplate('{now+2h}', values, now)).toBe('06.03.2025 18:30')
    expect(renderTemplate('{now+1d 10:00}', values, now)).toBe('07.03.2025 10:00')
    expect(renderTemplate('{now+1w-1d 09:00}', values, now)).toBe('12.03.2025 09:00')
    expect(renderTemplate('{ now + 90m }', values, now)).toBe('06.03.2025 18:00')
    expect(renderTemplate('{now+26d}', values, now)).toBe('01.04.2025 16:30')
  })

  it('finds what the server would refuse', () => {
    expect(problem(() => renderTemplate('{client.nam}', values, now))).toEqual({ kind: 'unknown', name: 'client.nam' })
    expect(problem(() => renderTemplate('{client.name', values, now))).toEqual({ kind: 'unclosed' })
    expect(problem(() => renderTemplate('{now+1x}', values, now))).toMatchObject({ kind: 'unit' })
    expect(problem(() => renderTemplate('{now+10000d}', values, now))).toMatchObject({ kind: 'shift' })
    expect(problem(() => renderTemplate('{now+1d+1d+1d+1d+1d+1d}', values, now))).toMatchObject({ kind: 'too_many' })
    expect(problem(() => renderTemplate('{now 25:00}', values, now))).toMatchObject({ kind: 'clock' })
  })

  it('wants exactly one moment in a deadline', () => {
    expect(renderTemplate('{now+1d 10:00}', values, now, true)).toBe('07.03.2025 10:00')
    expect(problem(() => renderTemplate('завтра {now+1d}', values, now, true))).toEqual({ kind: 'deadline' })
    expect(problem(() => renderTemplate('{now}{now+1h}', values, now, true))).toEqual({ kind: 'deadline' })
    expect(renderTemplate('', values, now, true)).toBe('')
  })
})
