// Shapes of /api/callcard/* (docs/API.md, "Call card").
import type { EntityName } from '../shared/placement'

export type AccessState = 'ok' | 'no_role' | 'blocked'

export interface Person {
  id: string
  name: string
}

export interface ActionDef {
  kind: string
  [key: string]: unknown
}

export interface ButtonDef {
  id: string
  name: string
  color: string
  actions: ActionDef[]
}

export interface ScriptRef {
  id: string
  name: string
  version: number
  // F1: the published version's bindings and whether it fits this call (docs/API.md).
  call_type?: 'any' | 'incoming' | 'outgoing'
  deal_type?: string
  fits?: boolean
}

export interface Match {
  entity: EntityName
  id: string
  title: string
}

export interface CallContext {
  user: Person
  access: { state: AccessState; supervisors?: Person[]; settings_url?: string }
  role?: { id: string; name: string; keep_card_open: boolean }
  call?: { call_id: string; phone: string; direction: string; line: string }
  matches?: Match[]
  matches_error?: string
  buttons?: ButtonDef[]
  scripts?: ScriptRef[]
  // F1: the script the bindings choose for this call; "" when the operator picks.
  chosen_script_id?: string
}

export type FieldType =
  | 'string'
  | 'text'
  | 'integer'
  | 'double'
  | 'money'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'enumeration'
  | 'phone'
  | 'email'
  | 'crm_status'
  | 'user'
  | 'other'

export interface MultiValue {
  id?: string
  value: string
  value_type?: string
}

export type FieldValue = string | number | boolean | null | MultiValue[] | string[]

export interface Field {
  entity: EntityName
  code: string
  label: string
  type: FieldType
  multiple?: boolean
  required?: boolean
  editable: boolean
  items?: { id: string; value: string }[]
  value: FieldValue
}

export interface Section {
  entity: EntityName
  id: string
  title: string
  fields: Field[]
}

export interface StepFieldRef {
  entity: EntityName
  code: string
  editable: boolean
}

export interface Step {
  id: string
  title: string
  hint: string
  fields: StepFieldRef[]
  next: string[]
  // H7: a common answer, offered at every step (docs/API.md «Script»).
  common?: boolean
  // F1: «закрепить вверху»: shown above the current step at every step.
  pinned?: boolean
}

export interface Script {
  id: string
  name: string
  version: number
  start_step: string
  steps: Step[]
}

export interface PathEntry {
  step_id: string
  entered_at_ms: number
  left_at_ms: number | null
  answers: Record<string, FieldValue>
}

export interface PreviewAction {
  index: number
  kind: string
  summary: string
  deadline?: string
  text?: string
  editable: ('deadline' | 'text')[]
}

export type ActionState = 'done' | 'queued' | 'failed'

export interface PressResult {
  press_id: string
  actions: { index: number; kind: string; state: ActionState; error?: string }[]
}

// GET /api/callcard/history (docs/API.md): one page of the client's history.
export type CallOutcome = 'answered' | 'missed' | 'busy' | 'declined' | 'failed' | ''

export interface HistoryCall {
  kind: 'call'
  id: string
  at: string
  direction: 'incoming' | 'outgoing' | ''
  subject: string
  user: Person | null
  outcome: CallOutcome
  status_code: string
  duration_s: number | null
  recording_url: string | null
}

export interface HistoryActivity {
  kind: 'activity'
  id: string
  at: string
  activity_kind: 'todo' | 'meeting' | 'task' | 'email' | 'other'
  subject: string
  deadline: string | null
  completed: boolean
  user: Person | null
}

export interface HistoryComment {
  kind: 'comment'
  id: string
  at: string
  text: string
  user: Person | null
}

export type HistoryItem = HistoryCall | HistoryActivity | HistoryComment

export interface HistoryDeal {
  id: string
  at: string
  title: string
  category_id: string
  stage_id: string
  stage_name: string | null
  stage_semantics: '' | 'S' | 'F'
  pipeline_name: string | null
  opportunity: string
  currency: string
  closed: boolean
}

export interface HistoryPage {
  page: number
  more: boolean
  items: HistoryItem[]
  deals: HistoryDeal[]
}
