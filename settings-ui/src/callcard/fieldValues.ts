// Converting CRM field values between what the API sends and what the editors hold, and the
// "what changed" set that a save sends back.
import type { Field, FieldValue, MultiValue } from './types'

export function isMulti(field: Pick<Field, 'type'>): boolean {
  return field.type === 'phone' || field.type === 'email'
}

export function multiItems(value: FieldValue): MultiValue[] {
  if (!Array.isArray(value)) return []
  return value.map((v) =>
    typeof v === 'string' ? { value: v } : { ...(v as MultiValue), value: String((v as MultiValue).value ?? '') }
  )
}

// Editors hold text; numbers, booleans and lists keep their own shapes.
export function toEditor(field: Field, value: FieldValue): FieldValue {
  if (isMulti(field)) return multiItems(value)
  if (field.type === 'boolean') return value === true || value === 'Y' || value === '1' || value === 1
  if (value === null || value === undefined) return field.multiple ? [] : ''
  if (field.type === 'date' && typeof value === 'string') return value.slice(0, 10)
  if (field.type === 'datetime' && typeof value === 'string') return value.slice(0, 16)
  if (Array.isArray(value)) return value.map((v) => String(typeof v === 'object' ? v.value : v))
  return typeof value === 'number' ? String(value) : value
}

export function fromEditor(field: Field, value: FieldValue): FieldValue {
  if (field.type === 'integer' || field.type === 'double') {
    if (value === '' || value === null) return null
    const n = Number(value)
    return Number.isFinite(n) ? n : (value as string)
  }
  if (isMulti(field)) {
    // The full list wanted: kept items carry their id, new ones none; blank new rows are dropped.
    return multiItems(value).filter((v) => v.id !== undefined || v.value.trim() !== '')
  }
  return value
}

export function sameValue(a: FieldValue, b: FieldValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export function displayValue(field: Field): string {
  const v = field.value
  if (v === null || v === undefined || v === '') return '—'
  if (isMulti(field)) return multiItems(v).map((i) => i.value).join(', ') || '—'
  if (field.items && (typeof v === 'string' || Array.isArray(v))) {
    const ids = Array.isArray(v) ? v.map(String) : [v]
    return ids.map((id) => field.items?.find((i) => i.id === id)?.value ?? id).join(', ')
  }
  if (typeof v === 'boolean') return v ? '✓' : '—'
  return Array.isArray(v) ? v.join(', ') : String(v)
}

export type Problem = 'required' | 'email' | 'number' | 'integer'

// What the page can tell before asking the CRM: a required field left empty, an e-mail without
// "@" and a dot, a number that is not one. The CRM's own refusals come back from the save.
export function problemOf(field: Field, editorValue: FieldValue): Problem | null {
  if (!field.editable) return null
  const value = fromEditor(field, editorValue)
  if (isMulti(field)) {
    const items = multiItems(value).filter((i) => i.value.trim() !== '')
    if (field.required && items.length === 0) return 'required'
    if (field.type === 'email' && items.some((i) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(i.value.trim()))) {
      return 'email'
    }
    return null
  }
  const empty = value === null || value === '' || (Array.isArray(value) && value.length === 0)
  if (empty) return field.required && field.type !== 'boolean' ? 'required' : null
  if ((field.type === 'integer' || field.type === 'double') && typeof value !== 'number') return 'number'
  if (field.type === 'integer' && typeof value === 'number' && !Number.isInteger(value)) return 'integer'
  return null
}
