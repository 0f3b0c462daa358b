// The operator's work page (FEATURES F4, F5): the endpoints it calls (docs/API.md «Dialing
// tasks») and its logic kept apart from the page so it can be tested alone — the result form's
// rules, the contacts offered in list mode, following a click-to-call until Mango says how it
// went, and the times shown and typed in the browser's zone.
import type { ApiClient } from '../../../shared/api'
import { CallCardApi } from '../../../callcard/api'
import type { Script } from '../../../callcard/types'
import type { CallResult, Contact } from '../campaignModel'

// The contact is the one shape the managers' pages use too (docs/API.md «Dialing tasks»).
export type { Contact } from '../campaignModel'

export interface Task {
  id: string
  name: string
  description: string
  script_id: string | null
  script_version: number | null
  employee_ids: string[]
  state: 'draft' | 'running' | 'paused'
  version: number
  script_deleted: boolean
  counts: { total: number; new: number; in_work: number; done: number }
}

export interface NextAnswer {
  contact: Contact | null
  next_due_at_ms: number | null
}

export interface Reminder {
  task_id: string
  task_name: string
  due: boolean
  contact: Contact
}

export interface CallState {
  command_id: string
  state: 'pending' | 'done' | 'failed'
  code: number | null
}

export type Transport = Pick<ApiClient, 'get' | 'post' | 'put'>

const enc = encodeURIComponent

export class WorkApi {
  constructor(readonly client: Transport) {}

  task(id: string): Promise<Task> {
    return this.client.get(`/api/campaigns/${enc(id)}`)
  }
  next(id: string): Promise<NextAnswer> {
    return this.client.post(`/api/campaigns/${enc(id)}/next`, {})
  }
  open(id: string, contactId: string): Promise<Contact> {
    return this.client.post(`/api/campaigns/${enc(id)}/contacts/${enc(contactId)}/open`, {})
  }
  contacts(id: string, query: Record<string, string>): Promise<{ contacts: Contact[] }> {
    return this.client.get(`/api/campaigns/${enc(id)}/contacts?` + new URLSearchParams(query).toString())
  }
  setResult(id: string, contactId: string, body: ResultBody): Promise<Contact> {
    return this.client.put(`/api/campaigns/${enc(id)}/contacts/${enc(contactId)}/result`, body)
  }
  call(id: string, contactId: string): Promise<CallState> {
    return this.client.post(`/api/campaigns/${enc(id)}/contacts/${enc(contactId)}/call`, {})
  }
  callState(commandId: string): Promise<CallState> {
    return this.client.get(`/api/campaign-calls/${enc(commandId)}`)
  }
  reminders(): Promise<{ now_ms: number; reminders: Reminder[] }> {
    return this.client.get('/api/campaigns/reminders')
  }
  // The contacts list mode offers: the operator's own in work, then the new ones due now.
  async available(id: string, me: string, now: number): Promise<Contact[]> {
    const [own, fresh] = await Promise.all([
      this.contacts(id, { status: 'in_work', operator_id: me, limit: '500' }),
      this.contacts(id, { status: 'new', limit: '500' })
    ])
    return availableContacts(own.contacts, fresh.contacts, now)
  }
}

// The call card's client for the task's script: the same runner (ScriptTab) reads the task's
// pinned version instead of the role's script, and keeps no run of it (a run belongs to a call
// card's call).
export class TaskScriptApi extends CallCardApi {
  constructor(
    client: Transport,
    private readonly taskId: string
  ) {
    super(client)
  }
  override script(): Promise<Script> {
    return this.client.get(`/api/campaigns/${enc(this.taskId)}/script`)
  }
  override startRun(): Promise<{ run_id: string }> {
    return Promise.resolve({ run_id: '' })
  }
  override saveRun(): Promise<unknown> {
    return Promise.resolve(null)
  }
}

export function availableContacts(own: Contact[], fresh: Contact[], now: number): Contact[] {
  const due = fresh.filter((c) => c.due_at_ms === null || c.due_at_ms <= now)
  return [...own, ...due]
}

// ---- the result form (F5) ----

export interface ResultForm {
  result: CallResult | ''
  // Поговорили: 'at' with a time or 'none' («не напоминать»).
  remind: 'at' | 'none'
  at: string // the datetime-local input's text, in the browser's zone
  comment: string
}

export interface ResultBody {
  result: CallResult
  at?: number
  comment: string
  version: number
}

export const results: CallResult[] = ['talked', 'no_answer', 'call_back', 'refused', 'wrong_number']

export function emptyForm(): ResultForm {
  return { result: '', remind: 'none', at: '', comment: '' }
}

// Whether the form asks for a time with this result.
export function takesTime(form: ResultForm): boolean {
  return form.result === 'call_back' || (form.result === 'talked' && form.remind === 'at')
}

// The body for PUT …/result, or the field that is wrong and why ('required', 'past', 'bad').
export function resultBody(
  form: ResultForm,
  version: number,
  now: number
): { body: ResultBody } | { field: 'result' | 'at'; reason: 'required' | 'past' | 'bad' } {
  if (!form.result) return { field: 'result', reason: 'required' }
  const body: ResultBody = { result: form.result, comment: form.comment.trim(), version }
  if (takesTime(form)) {
    if (!form.at) return { field: 'at', reason: 'required' }
    const at = fromLocalInput(form.at)
    if (at === null) return { field: 'at', reason: 'bad' }
    if (at <= now) return { field: 'at', reason: 'past' }
    body.at = at
  }
  return { body }
}

// ---- times ----

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

// 'YYYY-MM-DDTHH:MM' in the browser's zone, as <input type="datetime-local"> takes it.
export function toLocalInput(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text)
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number]
  const date = new Date(y, mo - 1, d, h, mi)
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null
  return date.getTime()
}

// «06.03.2025 10:00» in the browser's zone.
export function formatTime(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

// ---- click-to-call ----

export type CallView = { phase: 'connecting' } | { phase: 'connected' } | { phase: 'failed'; code: number | null }

export function callView(state: CallState): CallView {
  if (state.state === 'done') return { phase: 'connected' }
  if (state.state === 'failed') return { phase: 'failed', code: state.code }
  return { phase: 'connecting' }
}

export interface PollOptions {
  intervalMs?: number
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  onUpdate?: (state: CallState) => void
  cancelled?: () => boolean
}

// Asks for the call's state until it is done or failed; a PBX silent past `timeoutMs` is
// reported as failed with code -1 (as the server says of a PBX that never answered).
export async function followCall(api: Pick<WorkApi, 'callState'>, first: CallState, o: PollOptions = {}): Promise<CallState> {
  const interval = o.intervalMs ?? 1000
  const timeout = o.timeoutMs ?? 60_000
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const now = o.now ?? Date.now
  const started = now()
  let state = first
  o.onUpdate?.(state)
  while (state.state === 'pending') {
    if (o.cancelled?.()) return state
    if (now() - started >= timeout) {
      state = { command_id: first.command_id, state: 'failed', code: -1 }
      o.onUpdate?.(state)
      return state
    }
    await sleep(interval)
    state = await api.callState(first.command_id)
    o.onUpdate?.(state)
  }
  return state
}
