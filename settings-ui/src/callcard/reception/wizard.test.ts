import { describe, expect, it } from 'vitest'
import type { ManagerView } from './api'
import { acceptAction, canTransfer, lineColor, workDayColor } from './wizard'

const manager: ManagerView = {
  user_id: '3',
  name: 'Вера',
  extension: '103',
  department_ids: ['2'],
  work_day: 'opened',
  online: true,
  line: 'free',
  availability: 0
}

describe('reception wizard rules', () => {
  it('transfers only to a manager with an extension', () => {
    expect(canTransfer(manager)).toBe(true)
    expect(canTransfer({ ...manager, extension: '' })).toBe(false)
    expect(canTransfer(undefined)).toBe(false)
  })

  it('Ctrl+Enter transfers from the list and accepts on the form, nothing while waiting', () => {
    expect(acceptAction('choose')).toBe('transfer')
    expect(acceptAction('inquiry')).toBe('inquiry')
    expect(acceptAction('transferring')).toBeNull()
    expect(acceptAction('transfer_failed')).toBeNull()
    expect(acceptAction('finished')).toBeNull()
  })

  it('colours say how available someone is', () => {
    expect(workDayColor('opened')).toBe('air-primary-success')
    expect(workDayColor('paused')).toBe('air-primary-warning')
    expect(workDayColor('closed')).toBe('air-primary-alert')
    expect(workDayColor('unknown')).toBe('air-secondary')
    expect(lineColor('free')).toBe('air-primary-success')
    expect(lineColor('talking')).toBe('air-primary-alert')
  })
})
