import { describe, expect, it } from 'vitest'
import { filterBody, opsFor, rowOfField, withField, withOp, type CrmField } from './crmFilter'

const birth: CrmField = { id: 'BIRTHDATE', title: 'Дата рождения', type: 'date', multiple: false }
const name: CrmField = { id: 'NAME', title: 'Имя', type: 'string', multiple: false }

describe('the CRM filter builder', () => {
  it('offers before / after only for dates and numbers, contains only for text', () => {
    expect(opsFor('date')).toContain('before')
    expect(opsFor('date')).not.toContain('contains')
    expect(opsFor('string')).toContain('contains')
    expect(opsFor('string')).not.toContain('after')
    expect(opsFor('integer')).toContain('after')
  })

  it('keeps the operator when the new field takes it and drops values that are not needed', () => {
    expect(withField({ field: 'NAME', op: 'contains', value: 'Ив' }, birth)).toEqual({ field: 'BIRTHDATE', op: 'eq', value: 'Ив' })
    expect(withField({ field: 'BIRTHDATE', op: 'eq', value: 'x' }, name)).toEqual({ field: 'NAME', op: 'eq', value: 'x' })
    expect(withOp({ field: 'NAME', op: 'eq', value: 'x' }, 'empty')).toEqual({ field: 'NAME', op: 'empty', value: '' })
  })

  it('sends trimmed values with the version and finds the row an error names', () => {
    expect(filterBody([{ field: 'NAME', op: 'eq', value: ' Иван ' }, { field: 'PHONE', op: 'not_empty', value: 'x' }], 3)).toEqual({
      conditions: [
        { field: 'NAME', op: 'eq', value: 'Иван' },
        { field: 'PHONE', op: 'not_empty', value: '' }
      ],
      version: 3
    })
    expect(rowOfField('crm_filter.conditions[2].field')).toBe(2)
    expect(rowOfField('crm_filter.conditions')).toBe(-1)
    expect(rowOfField('version')).toBe(-1)
  })
})
