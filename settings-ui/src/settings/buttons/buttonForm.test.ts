import { describe, expect, it } from 'vitest'
import { changeKind, checkButton, fromServer, newAction, newButton, toBody, type Button } from './buttonForm'

describe('button form model', () => {
  it('sends exactly the fields of each action kind, and the version on update', () => {
    const b: Button = {
      id: '7',
      name: ' Итог ',
      color: '#ff5752',
      version: 3,
      actions: [
        { kind: 'callback', deadline: '{now+1d 10:00}', text: 'x', title: 'leftover' },
        { kind: 'deal_stage', category_id: '1', stage_id: 'C1:WON' }
      ]
    }
    expect(toBody(b)).toEqual({
      name: 'Итог',
      color: '#ff5752',
      version: 3,
      actions: [
        { kind: 'callback', deadline: '{now+1d 10:00}', text: 'x' },
        { kind: 'deal_stage', category_id: '1', stage_id: 'C1:WON' }
      ]
    })
    expect(toBody({ ...b, id: undefined })).not.toHaveProperty('version')
  })

  it('keeps shared fields when the kind changes', () => {
    const changed = changeKind({ kind: 'callback', deadline: '{now+2h}', text: 'Позвонить' }, 'meeting')
    expect(changed).toEqual({ kind: 'meeting', deadline: '{now+2h}', text: 'Позвонить' })
    expect(changeKind(changed, 'lead_status')).toEqual({ kind: 'lead_status', status_id: '' })
  })

  it('reads a server button into the form shape', () => {
    const f = fromServer({ id: '1', name: 'A', color: '#2fc6f6', version: 2, updated_at_ms: 5, actions: [{ kind: 'task', title: 't' }] })
    expect(f.actions[0]).toEqual({ kind: 'task', title: 't', description: '', deadline: '', responsible: 'operator' })
    expect(f).not.toHaveProperty('updated_at_ms')
  })

  it('names the field of the first local problem the way the server would', () => {
    expect(checkButton({ ...newButton(), name: '' })).toMatchObject({ field: 'name' })
    expect(checkButton({ ...newButton(), name: 'x', color: 'red' })).toMatchObject({ field: 'color' })
    expect(checkButton({ ...newButton(), name: 'x', actions: [] })).toMatchObject({ field: 'actions' })
    expect(
      checkButton({ ...newButton(), name: 'x', actions: [newAction('lead_status'), { kind: 'lead_status', status_id: 'NEW' }] })
    ).toMatchObject({ field: 'actions[1].kind' })
    expect(checkButton({ ...newButton(), name: 'x', actions: [newAction('comment'), { kind: 'callback', deadline: ' ' }] })).toMatchObject({
      field: 'actions[1].deadline',
      key: 'common.required'
    })
    expect(checkButton({ ...newButton(), name: 'x', actions: [{ kind: 'deal_stage', category_id: '0', stage_id: 'NEW' }] })).toBeNull()
  })
})
