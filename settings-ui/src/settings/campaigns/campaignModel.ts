// The «Обзвоны» managers' pages' model (FEATURES F3, F8; docs/API.md «Dialing tasks»): the task
// and contact shapes, the editor's form and body, the task page's filters as the contacts /
// export query, the progress figures, the import report in words, and Russian plural forms.
import type { FormError } from '../common/formErrors'
import { localError } from '../common/formErrors'

export type TaskState = 'draft' | 'running' | 'paused'
export type ContactStatus = 'new' | 'in_work' | 'done'
export type CallResult = 'talked' | 'no_answer' | 'call_back' | 'refused' | 'wrong_number'
export const statuses: ContactStatus[] = ['new', 'in_work', 'done']
export const results: (CallResult | 'none')[] = ['none', 'talked', 'no_answer', 'call_back', 'refused', 'wrong_number']

export interface Counts {
  total: number
  new: number
  in_work: number
  done: number
  by_result?: Partial<Record<CallResult | 'none', number>>
}

export interface Task {
  id?: string
  name: string
  description: string
  script_id: string | null
  script_version?: number | null
  employee_ids: string[]
  retry: { max_attempts: number; spacing_minutes: number }
  state?: TaskState
  version?: number
  created_at_ms?: number
  updated_at_ms?: number
  counts?: Counts
  script_deleted?: boolean
}

export interface Contact {
  id: string
  task_id: string
  source: string
  phone: string
  crm_contact_id: string | null
  name: string
  status: ContactStatus
  result: CallResult | null
  attempts: number
  operator_id: string | null
  due_at_ms: number | null
  opened: boolean
  comment: string
  last_call_at_ms: number | null
  version: number
  created_at_ms: number
}

export interface ContactsPage {
  contacts: Contact[]
  next_after: string | null
  counts: Counts
}

// ---- the editor ----

export function newTask(): Task {
  return { name: '', description: '', script_id: null, employee_ids: [], retry: { max_attempts: 3, spacing_minutes: 60 } }
}

// The editable part of a stored task (what the form compares for unsaved changes), plus what the
// page shows beside it.
export function fromServer(t: Task): Task {
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? '',
    script_id: t.script_id ?? null,
    script_version: t.script_version ?? null,
    employee_ids: [...(t.employee_ids ?? [])],
    retry: { max_attempts: t.retry?.max_attempts ?? 3, spacing_minutes: t.retry?.spacing_minutes ?? 60 },
    state: t.state,
    version: t.version,
    counts: t.counts,
    script_deleted: !!t.script_deleted
  }
}

// The PUT / POST body: everything but the state (docs/API.md: a PUT replaces all of it).
export function toBody(t: Task): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: t.name.trim(),
    description: t.description,
    script_id: t.script_id || null,
    employee_ids: t.employee_ids,
    retry: { max_attempts: Number(t.retry.max_attempts), spacing_minutes: Number(t.retry.spacing_minutes) }
  }
  if (t.id) body.version = t.version
  return body
}

// What the server would refuse, said before sending (the texts are message keys).
export function checkTask(t: Task, say: (key: string, params?: Record<string, unknown>) => string): FormError | null {
  if (!t.name.trim()) return localError('name', say('common.required'))
  const a = Number(t.retry.max_attempts)
  if (!Number.isInteger(a) || a < 1 || a > 20) return localError('retry.max_attempts', say('campaigns.editor.range', { min: 1, max: 20 }))
  const s = Number(t.retry.spacing_minutes)
  if (!Number.isInteger(s) || s < 1 || s > 10080) return localError('retry.spacing_minutes', say('campaigns.editor.range', { min: 1, max: 10080 }))
  return null
}

export interface ScriptChoice {
  id: string
  name: string
  published_version: number | null
}

// Why the chosen script cannot run the task yet: 'deleted' (the task's script is gone),
// 'unpublished' (it has no published version), '' when it can.
export function scriptProblem(t: Task, scripts: ScriptChoice[] | null): '' | 'deleted' | 'unpublished' | 'none' {
  if (!t.script_id) return 'none'
  if (scripts === null) return ''
  const s = scripts.find((x) => x.id === t.script_id)
  if (!s) return 'deleted'
  return s.published_version ? '' : 'unpublished'
}

export interface SeatUser {
  user_id: string
  name: string
  status: string
  portal_active?: boolean
}

// The users a task may be given to: those holding an active seat, by name; employees already
// chosen who lost their seat stay listed (marked) so they can be taken off.
export function employeeChoices(users: SeatUser[], chosen: string[]): { user_id: string; name: string; seated: boolean }[] {
  const seated = users
    .filter((u) => u.status === 'active')
    .map((u) => ({ user_id: u.user_id, name: u.name || u.user_id, seated: true }))
  const lost = chosen
    .filter((id) => !seated.some((u) => u.user_id === id))
    .map((id) => ({ user_id: id, name: users.find((u) => u.user_id === id)?.name || `#${id}`, seated: false }))
  return [...seated, ...lost].sort((a, b) => a.name.localeCompare(b.name, 'ru'))
}

// The refusals a manager meets when saving or starting a task, said in the page's language (the
// server words them in English); any other refusal keeps the server's message.
export function explainRefusal(err: FormError, say: (key: string) => string): FormError {
  if (err.conflict) return err
  let key = ''
  const m = err.message
  if (err.field === 'employee_ids' && err.status === 400 && /before starting|running task needs/.test(m)) key = 'campaigns.refusal.no_employee'
  else if (err.field === 'script_id' && err.status === 409) key = 'campaigns.refusal.script_deleted'
  else if (err.field === 'script_id' && err.status === 400 && /before starting/.test(m)) key = 'campaigns.refusal.script_none'
  else if (err.field === 'script_id' && err.status === 400 && /publish/.test(m)) key = 'campaigns.refusal.script_unpublished'
  else if (err.field === 'script_id' && err.status === 400 && /^no script/.test(m)) key = 'campaigns.refusal.script_unknown'
  return key ? { ...err, message: say(key) } : err
}

// An import's refusal in the page's language where its reason is known.
export function explainImport(err: FormError, say: (key: string) => string): string {
  if (err.status === 413 || (err.field === 'body' && /2 MiB/.test(err.message))) return say('campaigns.import.refusal.too_big')
  if (err.status === 409 && err.field === 'body') return say('campaigns.import.refusal.task_full')
  if (err.status === 400 && err.field === 'body' && /lines/i.test(err.message)) return say('campaigns.import.refusal.too_many_lines')
  if (err.status === 400 && err.field === 'body' && /utf-?8/i.test(err.message)) return say('campaigns.import.refusal.not_utf8')
  return err.message
}

// ---- progress ----

// Whole percent of done / total, rounded down so a task reads 100 % only when everything is
// done; 0 for an empty task.
export function percent(done: number, total: number): number {
  if (!total || total <= 0 || done <= 0) return 0
  if (done >= total) return 100
  return Math.floor((done * 100) / total)
}

// ---- the task page's filters ----

export interface Filters {
  status: '' | ContactStatus
  result: '' | CallResult | 'none'
  operator_id: string
  created_from: string // 'YYYY-MM-DD' as a date input gives it; '' for none
  created_to: string
  last_call_from: string
  last_call_to: string
  due_from: string
  due_to: string
  q: string
}

export function noFilters(): Filters {
  return {
    status: '',
    result: '',
    operator_id: '',
    created_from: '',
    created_to: '',
    last_call_from: '',
    last_call_to: '',
    due_from: '',
    due_to: '',
    q: ''
  }
}

// The start of a calendar day in the page's (the portal user's) time zone, in ms; null for a bad
// or empty date.
export function dayStartMs(date: string, plusDays = 0): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays, 0, 0, 0, 0)
  return Number.isNaN(d.getTime()) ? null : d.getTime()
}

const ranges = ['created', 'last_call', 'due'] as const

// The contacts / export query for the filters: only what is set. A range's «по» day is included
// (the API's ranges are [from, to), so «to» is the start of the next day).
export function filtersToQuery(f: Filters, page: { after?: string | null; limit?: number } = {}): string {
  const p = new URLSearchParams()
  if (f.status) p.set('status', f.status)
  if (f.result) p.set('result', f.result)
  if (f.operator_id) p.set('operator_id', f.operator_id)
  for (const r of ranges) {
    const from = dayStartMs(f[`${r}_from`])
    const to = dayStartMs(f[`${r}_to`], 1)
    if (from !== null) p.set(`${r}_from`, String(from))
    if (to !== null) p.set(`${r}_to`, String(to))
  }
  const q = f.q.trim()
  if (q) p.set('q', q)
  if (page.after) p.set('after', page.after)
  if (page.limit) p.set('limit', String(page.limit))
  const s = p.toString()
  return s ? `?${s}` : ''
}

// A range whose «с» is after its «по»: the field to name, '' when all are fine.
export function badRange(f: Filters): string {
  for (const r of ranges) {
    const from = dayStartMs(f[`${r}_from`])
    const to = dayStartMs(f[`${r}_to`])
    if (from !== null && to !== null && from > to) return `${r}_to`
  }
  return ''
}

export function activeFilterCount(f: Filters): number {
  return Object.values(f).filter((v) => String(v).trim() !== '').length
}

// ---- import ----

export const importLimitBytes = 2 * 1024 * 1024

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length
}

export type ImportReason =
  | 'empty'
  | 'bad_number'
  | 'too_many_columns'
  | 'bad_quotes'
  | 'too_long'
  | 'duplicate_in_file'
  | 'duplicate_in_task'

export interface ImportOutcome {
  dry_run: boolean
  lines: number
  header_skipped: boolean
  accepted: number
  added: number
  rejected: number
  total: number
  errors: { line: number; reason: string; text: string }[]
  errors_truncated: boolean
}

const knownReasons = new Set<string>([
  'empty',
  'bad_number',
  'too_many_columns',
  'bad_quotes',
  'too_long',
  'duplicate_in_file',
  'duplicate_in_task'
])

export interface ReportRow {
  line: number
  reasonKey: string // a message key: campaigns.import.reason.<reason> or .unknown
  reason: string // the server's word, for an unknown reason
  text: string
}

// The per-line report, in line order, each reason as a message key.
export function reportRows(o: ImportOutcome): ReportRow[] {
  return [...(o.errors ?? [])]
    .sort((a, b) => a.line - b.line)
    .map((e) => ({
      line: e.line,
      reasonKey: knownReasons.has(e.reason) ? `campaigns.import.reason.${e.reason}` : 'campaigns.import.reason.unknown',
      reason: e.reason,
      text: e.text
    }))
}

// ---- words ----

// The Russian plural form of n (1 контакт, 2 контакта, 5 контактов); English has one and many.
export function pluralForm(n: number, lang: string): 'one' | 'few' | 'many' {
  const abs = Math.abs(n)
  if (lang === 'en') return abs === 1 ? 'one' : 'many'
  const d10 = abs % 10
  const d100 = abs % 100
  if (d10 === 1 && d100 !== 11) return 'one'
  if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return 'few'
  return 'many'
}

// A count as the page's language writes it: 19 998 (ru, a no-break space), 19,998 (en).
export function formatCount(n: number | null | undefined, lang: string): string {
  return (n ?? 0).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU').replace(/\s/g, '\u00a0')
}

// A moment as the page's language writes it, in the page's (the portal user's) time zone.
export function formatMs(ms: number | null | undefined, lang: string): string {
  if (ms === null || ms === undefined) return ''
  return new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit'
  })
}

// The file name of an export: the task's name made safe, or task-<id>.
export function exportFileName(name: string, id: string): string {
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80)
  return `${safe || `task-${id}`}.csv`
}
