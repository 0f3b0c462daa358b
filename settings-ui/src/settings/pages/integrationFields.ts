// The call-handling flags of GET/PUT /api/settings/integration (FEATURES B1–B13; seed 004), as
// one declarative table the Integration page renders generically. Adding a key the server gained
// is one more row here (and its two texts in integration.messages.ts); a key the page does not
// know is still sent back unchanged on save (see integrationForm.ts).
//   kind: bool — a switch; enum — a select of `options`; text — an input (`pattern`: what the
//   page checks before sending, the server checks again); extension — an internal number or
//   empty; user — a portal user or none; pipeline / stage — a deal pipeline and a stage of the
//   pipeline named by `pipelineKey`; line_sources — the crm_source_by_line map editor.
//   `visibleIf`: shown only while another key has one of the listed values.

export type FieldKind = 'bool' | 'enum' | 'text' | 'extension' | 'user' | 'pipeline' | 'stage' | 'line_sources'

export interface IntegrationField {
  key: string
  kind: FieldKind
  section: 'incoming' | 'deals' | 'missed' | 'outgoing' | 'employees' | 'callbacks' | 'sources'
  options?: string[]
  pipelineKey?: string
  allowEmpty?: boolean
  visibleIf?: { key: string; values: unknown[] }
  // The i18n keys are integrationPage.fields.<key>.label and .help; options are
  // integrationPage.fields.<key>.options.<value>.
}

export const integrationSections = ['incoming', 'deals', 'missed', 'outgoing', 'employees', 'callbacks', 'sources'] as const

const clientChoices = ['none', 'lead', 'client', 'client_and_deal']

export const integrationFields: IntegrationField[] = [
  { key: 'answered_new_number', kind: 'enum', section: 'incoming', options: clientChoices },
  { key: 'missed_new_number', kind: 'enum', section: 'incoming', options: clientChoices },
  { key: 'responsible_is_last_handler', kind: 'bool', section: 'incoming' },
  {
    key: 'deal_category_id',
    kind: 'pipeline',
    section: 'deals'
  },
  { key: 'deal_stage_id', kind: 'stage', section: 'deals', pipelineKey: 'deal_category_id', allowEmpty: true },
  { key: 'missed_in_ivr_extension', kind: 'extension', section: 'missed', allowEmpty: true },
  { key: 'missed_in_group_extension', kind: 'extension', section: 'missed', allowEmpty: true },
  { key: 'outgoing_new_number_creates_client', kind: 'bool', section: 'outgoing' },
  {
    key: 'unmapped_employee_calls',
    kind: 'enum',
    section: 'employees',
    options: ['record_without_card', 'catch_all_card']
  },
  { key: 'catch_all_user_id', kind: 'user', section: 'employees', allowEmpty: true },
  { key: 'callback_extension', kind: 'extension', section: 'callbacks', allowEmpty: true },
  { key: 'callback_group', kind: 'extension', section: 'callbacks', allowEmpty: true },
  { key: 'callback_line_number', kind: 'text', section: 'callbacks', allowEmpty: true },
  { key: 'crm_source_by_line', kind: 'line_sources', section: 'sources' }
]

// What the page checks before sending (the server checks everything again and names the field).
export function localProblem(field: IntegrationField, value: unknown): '' | 'extension' | 'number' {
  if (field.kind === 'extension') {
    const s = String(value ?? '')
    return s === '' || /^[0-9]{1,16}$/.test(s) ? '' : 'extension'
  }
  if (field.key === 'callback_line_number') {
    const s = String(value ?? '')
    return s === '' || /^[0-9]{5,20}$/.test(s) ? '' : 'number'
  }
  return ''
}
