import { describe, expect, it } from 'vitest'
import { actionVerb, actorUserId, auditQuery, diffLines, shortValue } from './auditFormat'
import { changedKeys, linesToRows, rowsToLines, startEditing, toPutBody } from './integrationForm'
import { integrationFields, localProblem } from './integrationFields'
import { blockReason, filterUsers, seatsFull } from './usersModel'

describe('audit entries in words', () => {
  it('lists only what changed, without version noise', () => {
    expect(
      diffLines({ name: 'В работу', color: '#fff', version: 1 }, { name: 'Взять в работу', color: '#fff', version: 2 })
    ).toEqual([{ key: 'name', before: 'В работу', after: 'Взять в работу' }])
  })
  it('shows a creation and a deletion as one side empty', () => {
    expect(diffLines(null, { role_id: '3' })).toEqual([{ key: 'role_id', before: '', after: '3' }])
    expect(diffLines({ crm_user_id: '5', source: 'manual' }, null).map((l) => l.key)).toEqual(['crm_user_id', 'source'])
  })
  it('cuts long values and shows nested ones compactly', () => {
    expect(shortValue('x'.repeat(300))).toHaveLength(120)
    expect(shortValue({ a: [1, 2] })).toBe('{"a":[1,2]}')
    expect(shortValue(null)).toBe('—')
  })
  it('reads actors and actions', () => {
    expect(actorUserId('user:15')).toBe('15')
    expect(actorUserId('system')).toBe('')
    expect(actionVerb('button.create')).toBe('create')
    expect(actionVerb('crm_callback.not_configured')).toBe('not_configured')
  })
  it('asks only for the filters that are set', () => {
    expect(auditQuery({ actor: '', objectType: '', objectId: '' }, '')).toBe('/api/settings/audit?limit=50')
    expect(auditQuery({ actor: 'user:2', objectType: 'button', objectId: ' 7 ' }, '40')).toBe(
      '/api/settings/audit?limit=50&before=40&actor=user%3A2&object_type=button&object_id=7'
    )
    expect(auditQuery({ actor: '', objectType: '', objectId: '7' }, '')).toBe('/api/settings/audit?limit=50')
  })
})

describe('integration form', () => {
  it('sends back every key it read, the unknown ones unchanged, with only the edit differing', () => {
    const read = { version: 4, answered_new_number: 'none', route_to_responsible: true, future: { a: 1 } }
    const edited = startEditing(read)
    edited.answered_new_number = 'client'
    const body = toPutBody(read, edited)
    expect(body).toEqual({ version: 4, answered_new_number: 'client', route_to_responsible: true, future: { a: 1 } })
    expect(changedKeys(read, edited)).toEqual(['answered_new_number'])
    expect(read.answered_new_number).toBe('none')
  })
  it('edits the lines ↔ sources map as rows', () => {
    const rows = linesToRows({ '74951234567': 'WEB', '74950000000': 'CALL' })
    expect(rows[0]).toEqual({ line: '74950000000', source: 'CALL' })
    rows.push({ line: '  ', source: 'WEB' })
    expect(rowsToLines(rows)).toEqual({ '74951234567': 'WEB', '74950000000': 'CALL' })
  })
  it('declares every flag once and checks extensions before sending', () => {
    const keys = integrationFields.map((f) => f.key)
    expect(new Set(keys).size).toBe(keys.length)
    const ext = integrationFields.find((f) => f.key === 'missed_in_ivr_extension')!
    expect(localProblem(ext, '103')).toBe('')
    expect(localProblem(ext, '')).toBe('')
    expect(localProblem(ext, '10a')).toBe('extension')
  })
})

describe('users', () => {
  const users = [
    { user_id: '1', name: 'Анна Админова', email: 'anna@x.ru', portal_active: true, role_id: '1', status: 'active' as const },
    { user_id: '4', name: 'Григорий', email: '', portal_active: false, role_id: null, status: 'no_role' as const },
    { user_id: '5', name: 'Дина', email: 'dina@x.ru', portal_active: true, role_id: '2', status: 'blocked' as const }
  ]
  it('searches names and e-mails', () => {
    expect(filterUsers(users, 'ANNA').map((u) => u.user_id)).toEqual(['1'])
    expect(filterUsers(users, 'дин').map((u) => u.user_id)).toEqual(['5'])
    expect(filterUsers(users, ' ')).toHaveLength(3)
  })
  it('says why a user is blocked', () => {
    expect(blockReason(users[1]!, false)).toBe('deactivated')
    expect(blockReason(users[2]!, true)).toBe('blocked_lapsed')
    expect(blockReason(users[2]!, false)).toBe('blocked_limit')
    expect(blockReason(users[0]!, false)).toBe('active')
  })
  it('knows when every seat is taken', () => {
    expect(seatsFull({ used: 7, limit: 7 })).toBe(true)
    expect(seatsFull({ used: 6, limit: 7 })).toBe(false)
    expect(seatsFull({ used: 60, limit: null })).toBe(false)
  })
})
