import { describe, expect, it } from 'vitest'
import { allDone, stepStates } from './startSteps'

const supervisor = { system: true, button_ids: [], script_ids: [] }

describe('the guided start', () => {
  it('marks each step from what the API answers', () => {
    const s = stepStates({
      mango: { connected: true },
      employees: { employees: [{ crm_user_id: null }, { crm_user_id: '5' }] },
      buttons: { buttons: [] },
      scripts: { scripts: [{}] },
      roles: { roles: [supervisor] }
    })
    expect(s).toEqual({ mango: 'done', employees: 'done', button: 'todo', script: 'done', role: 'todo' })
    expect(allDone(s)).toBe(false)
  })

  it('counts the Supervisor role once it has a button or a script, or any role of its own', () => {
    expect(stepStates({ roles: { roles: [{ ...supervisor, script_ids: ['1'] }] } }).role).toBe('done')
    expect(stepStates({ roles: { roles: [supervisor, { system: false, button_ids: [], script_ids: [] }] } }).role).toBe('done')
  })

  it('leaves a step unknown when its read failed, and then nothing is all done', () => {
    const s = stepStates({
      mango: { connected: true },
      employees: { employees: [{ crm_user_id: '1' }] },
      buttons: { buttons: [{}] },
      scripts: { scripts: [{}] }
    })
    expect(s.role).toBe('unknown')
    expect(allDone(s)).toBe(false)
    expect(allDone({ ...s, role: 'done' })).toBe(true)
  })
})
