// The Log page's words for an audit entry (GET /api/settings/audit): who, what was done, and a
// readable before/after diff — the top-level keys that changed, each with its old and new value
// in short text (nested values as compact JSON, long ones cut).

export interface AuditEntry {
  id: string
  at_ms: number
  actor: string
  actor_name: string | null
  action: string
  object_type: string
  object_id: string
  before: unknown
  after: unknown
}

export interface DiffLine {
  key: string
  before: string // '' when absent
  after: string
}

const maxText = 120

export function shortValue(v: unknown): string {
  if (v === undefined) return ''
  let text: string
  if (v === null) text = '—'
  else if (typeof v === 'string') text = v === '' ? '""' : v
  else if (typeof v === 'number' || typeof v === 'boolean') text = String(v)
  else text = JSON.stringify(v)
  return text.length > maxText ? text.slice(0, maxText - 1) + '…' : text
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// Keys that only say when or which version: noise in a diff.
const noise = new Set(['version', 'updated_at_ms'])

export function diffLines(before: unknown, after: unknown): DiffLine[] {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {}
    const a = isRecord(after) ? after : {}
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !noise.has(k))
    return keys
      .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((k) => ({ key: k, before: shortValue(b[k]), after: shortValue(a[k]) }))
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  return [{ key: '', before: shortValue(before ?? undefined), after: shortValue(after ?? undefined) }]
}

// "user:5" → "5"; '' for system and vendor.
export function actorUserId(actor: string): string {
  return actor.startsWith('user:') ? actor.slice(5) : ''
}

// "button.create" → "create"; the object type is shown separately.
export function actionVerb(action: string): string {
  const dot = action.lastIndexOf('.')
  return dot >= 0 ? action.slice(dot + 1) : action
}

// The query of one page: only the filters that are set.
export function auditQuery(f: { actor: string; objectType: string; objectId: string }, before: string, limit = 50): string {
  const q = new URLSearchParams({ limit: String(limit) })
  if (before) q.set('before', before)
  if (f.actor) q.set('actor', f.actor)
  if (f.objectType) q.set('object_type', f.objectType)
  if (f.objectType && f.objectId.trim()) q.set('object_id', f.objectId.trim())
  return '/api/settings/audit?' + q.toString()
}
