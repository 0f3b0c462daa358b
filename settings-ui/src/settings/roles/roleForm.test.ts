import { describe, expect, it } from 'vitest'
import { errorGroup, fromServer, newRole, toBody, toggleField, toggleId } from './roleForm'

describe('role form model', () => {
  it('sends the whole role, every flag and list, with the version on update', () => {
    const r = fromServer({
      id: '4',
      name: ' Оператор ',
      system: false,
      keep_card_open: true,
      may_manage_settings: false,
      client_fields: [{ entity: 'contact', code: 'NAME', editable: true }],
      button_ids: ['1'],
      script_ids: [],
      version: 2,
      updated_at_ms: 9
    })
    expect(toBody(r)).toEqual({
      name: 'Оператор',
      keep_card_open: true,
      may_manage_settings: false,
      client_fields: [{ entity: 'contact', code: 'NAME' }],
      button_ids: ['1'],
      script_ids: [],
      version: 2
    })
    expect(toBody(newRole())).not.toHaveProperty('version')
  })

  it('toggles fields and ids without duplicates, keeping the chosen order', () => {
    const r = newRole()
    toggleField(r, 'deal', 'OPPORTUNITY', true)
    toggleField(r, 'contact', 'NAME', true)
    toggleField(r, 'deal', 'OPPORTUNITY', true)
    expect(r.client_fields).toEqual([
      { entity: 'deal', code: 'OPPORTUNITY' },
      { entity: 'contact', code: 'NAME' }
    ])
    toggleField(r, 'deal', 'OPPORTUNITY', false)
    expect(r.client_fields).toEqual([{ entity: 'contact', code: 'NAME' }])
    toggleId(r.button_ids, '3', true)
    toggleId(r.button_ids, '3', true)
    toggleId(r.button_ids, '5', true)
    toggleId(r.button_ids, '3', false)
    expect(r.button_ids).toEqual(['5'])
  })

  it('puts a server error under the entity of the field it names', () => {
    const r = newRole()
    toggleField(r, 'lead', 'TITLE', true)
    toggleField(r, 'company', 'NOPE', true)
    expect(errorGroup(r, 'client_fields[1].code')).toBe('client_fields.company')
    expect(errorGroup(r, 'client_fields[7].code')).toBe('client_fields')
    expect(errorGroup(r, 'button_ids[0]')).toBe('button_ids')
    expect(errorGroup(r, 'may_manage_settings')).toBe('may_manage_settings')
  })
})
