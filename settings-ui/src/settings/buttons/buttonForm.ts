// The button editor's model (FEATURES C4, D1; docs/API.md «Button»): what the form edits, the
// body it sends (each action carries exactly the fields of its kind), and checks made before
// sending so the obvious mistakes are named at once; the server checks everything again.
export type ActionKind = 'comment' | 'callback' | 'meeting' | 'task' | 'lead_status' | 'deal_stage'
export const actionKinds: ActionKind[] = ['comment', 'callback', 'meeting', 'task', 'lead_status', 'deal_stage']

export interface Action {
  kind: ActionKind
  text?: string
  deadline?: string
  title?: string
  description?: string
  responsible?: string
  status_id?: string
  category_id?: string
  stage_id?: string
}

export interface Button {
  id?: string
  name: string
  color: string
  actions: Action[]
  version?: number
  updated_at_ms?: number
}

// The fields each kind carries, in the order the form shows them.
export const kindFields: Record<ActionKind, (keyof Action)[]> = {
  comment: ['text'],
  callback: ['deadline', 'text'],
  meeting: ['deadline', 'text'],
  task: ['title', 'description', 'deadline', 'responsible'],
  lead_status: ['status_id'],
  deal_stage: ['category_id', 'stage_id']
}
// Fields that hold templates; `deadline` is one moment expression.
export const templateFields = new Set<keyof Action>(['text', 'deadline', 'title', 'description'])

export const palette = ['#2fc6f6', '#9dcf00', '#ff5752', '#ffa900', '#7b61ff', '#55d0e0', '#a8adb4', '#333333']

export function newAction(kind: ActionKind): Action {
  switch (kind) {
    case 'comment':
      return { kind, text: '' }
    case 'callback':
      return { kind, deadline: '{now+1d 10:00}', text: '' }
    case 'meeting':
      return { kind, deadline: '{now+1d 12:00}', text: '' }
    case 'task':
      return { kind, title: '', description: '', deadline: '', responsible: 'operator' }
    case 'lead_status':
      return { kind, status_id: '' }
    case 'deal_stage':
      return { kind, category_id: '0', stage_id: '' }
  }
}

// Switching an action's kind keeps what both kinds share (text, deadline).
export function changeKind(action: Action, kind: ActionKind): Action {
  const next = newAction(kind)
  for (const f of kindFields[kind]) {
    const v = action[f]
    if (typeof v === 'string' && v !== '' && f !== 'kind') (next as unknown as Record<string, string>)[f] = v
  }
  return next
}

export function newButton(): Button {
  return { name: '', color: palette[0]!, actions: [newAction('comment')] }
}

export function fromServer(b: Button): Button {
  return {
    id: b.id,
    name: b.name,
    color: b.color,
    version: b.version,
    actions: b.actions.map((a) => {
      const clean = newAction(a.kind)
      for (const f of kindFields[a.kind]) {
        const v = a[f]
        if (typeof v === 'string') (clean as unknown as Record<string, string>)[f] = v
      }
      return clean
    })
  }
}

// The POST/PUT body: only the kind's own fields per action; `version` for an update.
export function toBody(b: Button): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: b.name.trim(),
    color: b.color,
    actions: b.actions.map((a) => {
      const out: Record<string, string> = { kind: a.kind }
      for (const f of kindFields[a.kind]) out[f] = String(a[f] ?? '')
      return out
    })
  }
  if (b.id) body.version = b.version
  return body
}

// A problem found before sending: the field path as the server names it and a message key.
export interface LocalProblem {
  field: string
  key: string
  params?: Record<string, string | number>
}

export function checkButton(b: Button): LocalProblem | null {
  const name = b.name.trim()
  if (!name) return { field: 'name', key: 'buttons.problem.name_required' }
  if ([...name].length > 64) return { field: 'name', key: 'buttons.problem.name_long' }
  if (!/^#[0-9a-fA-F]{6}$/.test(b.color)) return { field: 'color', key: 'buttons.problem.color' }
  if (b.actions.length === 0) return { field: 'actions', key: 'buttons.problem.no_actions' }
  if (b.actions.length > 10) return { field: 'actions', key: 'buttons.problem.too_many' }
  for (const single of ['lead_status', 'deal_stage'] as const) {
    const count = b.actions.filter((a) => a.kind === single).length
    if (count > 1) {
      const last = b.actions.map((a) => a.kind).lastIndexOf(single)
      return { field: `actions[${last}].kind`, key: 'buttons.problem.one_of', params: { kind: single } }
    }
  }
  for (let i = 0; i < b.actions.length; i++) {
    const a = b.actions[i]!
    const required: (keyof Action)[] =
      a.kind === 'callback' || a.kind === 'meeting'
        ? ['deadline']
        : a.kind === 'task'
          ? ['title']
          : a.kind === 'lead_status'
            ? ['status_id']
            : a.kind === 'deal_stage'
              ? ['category_id', 'stage_id']
              : []
    for (const f of required) {
      if (!String(a[f] ?? '').trim()) return { field: `actions[${i}].${f}`, key: 'common.required' }
    }
  }
  return null
}
