import { describe, expect, it } from 'vitest'
import {
  blankSettings,
  departmentOfField,
  newTypeId,
  setupOf,
  toBody,
  treeOrder,
  withSetup,
  withoutType,
  type ReceptionSettings
} from './receptionForm'

function sample(): ReceptionSettings {
  return {
    ...blankSettings(),
    version: 3,
    service_types: [
      { id: 'sales', name: ' Продажи ' },
      { id: 'repair', name: 'Ремонт' }
    ],
    departments: [
      { department_id: '1', service_type_ids: [], all_users: true, manager_ids: [] },
      { department_id: '2', service_type_ids: ['sales', 'repair'], all_users: true, manager_ids: [] },
      { department_id: '3', service_type_ids: [], all_users: false, manager_ids: ['7'] }
    ]
  }
}

describe('reception settings form', () => {
  it('sends only departments that serve a type or keep a chosen list, with trimmed names', () => {
    const body = toBody(sample())
    expect(body.departments.map((d) => d.department_id)).toEqual(['2', '3'])
    expect(body.service_types[0]?.name).toBe('Продажи')
    expect(body.version).toBe(3)
  })

  it('maps a server error on departments[i] back to the department of the body sent', () => {
    const body = toBody(sample())
    expect(departmentOfField(body, 'departments[1].manager_ids')).toBe('3')
    expect(departmentOfField(body, 'departments[0]')).toBe('2')
    expect(departmentOfField(body, 'service_types[0].name')).toBe('')
    expect(departmentOfField(body, 'departments[9].x')).toBe('')
  })

  it('removing a type removes it from every department', () => {
    const s = withoutType(sample(), 'sales')
    expect(s.service_types.map((t) => t.id)).toEqual(['repair'])
    expect(setupOf(s, '2').service_type_ids).toEqual(['repair'])
  })

  it('edits one department in place and adds unknown ones at the end', () => {
    let s = withSetup(sample(), { ...setupOf(sample(), '2'), all_users: false })
    expect(s.departments[1]?.all_users).toBe(false)
    expect(setupOf(s, '9')).toEqual({ department_id: '9', service_type_ids: [], all_users: true, manager_ids: [] })
    s = withSetup(s, { department_id: '9', service_type_ids: ['sales'], all_users: true, manager_ids: [] })
    expect(s.departments.at(-1)?.department_id).toBe('9')
  })

  it('makes type ids that are new in the list', () => {
    const values = [0, 0, 0.5]
    const id = newTypeId([{ id: 't0', name: '' }], () => values.shift() ?? 0.9)
    expect(id).not.toBe('t0')
    expect(id).toMatch(/^t[0-9a-z]+$/)
  })

  it('orders departments as a tree: parents first, children by SORT', () => {
    const order = treeOrder([
      { id: '3', name: 'Сервис', sort: 200, parent_id: '1', head_user_id: '' },
      { id: '1', name: 'Компания', sort: 500, parent_id: '', head_user_id: '1' },
      { id: '2', name: 'Продажи', sort: 100, parent_id: '1', head_user_id: '3' },
      { id: '4', name: 'Склад', sort: 100, parent_id: '99', head_user_id: '' }
    ])
    // An orphan (parent unknown) is a root; roots too go by SORT.
    expect(order.map((x) => `${x.dep.id}:${x.depth}`)).toEqual(['4:0', '1:0', '2:1', '3:1'])
  })
})
