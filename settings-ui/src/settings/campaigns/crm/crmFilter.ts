// The CRM filter builder's model (docs/API.md «CRM contacts and the CRM filter»): rows of field /
// operator / value, which operators a field's type takes, and the request body. Pure, tested in
// crmFilter.test.ts.

export type FilterOp = 'eq' | 'contains' | 'empty' | 'not_empty' | 'before' | 'after'

export interface CrmField {
  id: string
  title: string
  type: string
  multiple: boolean
}

export interface Condition {
  field: string
  op: FilterOp
  value: string
}

export interface CrmFilter {
  exists: boolean
  conditions: Condition[]
  version: number
  taken: number
  skipped: number
  exhausted: boolean
}

export interface CrmContact {
  id: string
  name: string
  phones: string[]
}

export interface AddOutcome {
  added: { crm_id: string; contact_id: string; name: string }[]
  refused: { crm_id: string; reason: string }[]
}

const dateTypes = ['date', 'datetime']
const numberTypes = ['integer', 'double']

// The operators a field of `type` takes (the server checks the same).
export function opsFor(type: string | undefined): FilterOp[] {
  if (type && (dateTypes.includes(type) || numberTypes.includes(type))) {
    return ['eq', 'before', 'after', 'empty', 'not_empty']
  }
  return ['eq', 'contains', 'empty', 'not_empty']
}

export function needsValue(op: FilterOp): boolean {
  return op !== 'empty' && op !== 'not_empty'
}

// The input a value is typed in: a date picker for dates.
export function inputType(type: string | undefined): 'date' | 'number' | 'text' {
  if (type && dateTypes.includes(type)) return 'date'
  if (type && numberTypes.includes(type)) return 'number'
  return 'text'
}

// A row after its field changed: the operator kept when the new field takes it.
export function withField(row: Condition, field: CrmField | undefined): Condition {
  const ops = opsFor(field?.type)
  const op = ops.includes(row.op) ? row.op : ops[0]!
  return { field: field?.id ?? '', op, value: needsValue(op) ? row.value : '' }
}

export function withOp(row: Condition, op: FilterOp): Condition {
  return { ...row, op, value: needsValue(op) ? row.value : '' }
}

// Fields offered in the builder: by title, the ones the CRM marks as multiple (PHONE, EMAIL) too.
export function sortedFields(fields: CrmField[]): CrmField[] {
  return [...fields].sort((a, b) => a.title.localeCompare(b.title, 'ru'))
}

export function filterBody(conditions: Condition[], version: number) {
  return {
    conditions: conditions.map((c) => ({ field: c.field, op: c.op, value: needsValue(c.op) ? c.value.trim() : '' })),
    version
  }
}

// The row a server error names ("crm_filter.conditions[2].field" → 2); -1 for none.
export function rowOfField(field: string): number {
  const m = /^crm_filter\.conditions\[(\d+)\]/.exec(field)
  return m ? Number(m[1]) : -1
}
