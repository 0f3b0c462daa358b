// The call-handling flags of GET/PUT /api/settings/integration (FEATURES B1–B13; seed 004), as
// one declarative table the Integration page renders generically. Adding a key the server gained
// is one more row here (and its two texts in integration.messages.ts); a key the page does not
// know is still sent back unchanged on save (see integrationForm.ts).
//   kind: bool — a switch; enum — a select of `options`; text — an input (`pattern`: what the
//   page checks before sending, the server checks again); number — a whole number from `min` to
//   `max`; extension — an internal number or empty; user — a portal user or none; pipeline /
//   stage — a deal pipeline and a stage of the pipeline named by `pipelineKey`; line_sources —
//   the crm_source_by_line map editor; line_numbers — a line → number (`min`–`max`) map editor;
//   crm_field — a UF_CRM_ user field of contacts, companies and leads, or none.
//   `visibleIf`: shown only while another key has one of the listed values.
//   `crms`: the CRMs the setting means something for (all when absent); `optionsByCrm`: the
//   options a CRM has when they differ (Megaplan has no leads).
// SettingField.vue renders one row, for the Bitrix24 «Интеграция» page and the «Мегаплан» page.

// The CRM a page is for: the Bitrix24 app page, or the «Мегаплан» page of a Megaplan account.
export type CrmKind = 'bitrix24' | 'megaplan'

export type FieldKind =
  | 'bool'
  | 'enum'
  | 'text'
  | 'number'
  | 'extension'
  | 'user'
  | 'pipeline'
  | 'stage'
  | 'line_sources'
  | 'line_numbers'
  | 'crm_field'

export const integrationSections = ['incoming', 'routing', 'deals', 'missed', 'outgoing', 'employees', 'callbacks', 'sources'] as const
export type IntegrationSection = (typeof integrationSections)[number]
// Sections with an explanation above their fields (integrationPage.flags.section_help.<name>).
export const sectionsWithHelp: IntegrationSection[] = ['routing']

export interface IntegrationField {
  key: string
  kind: FieldKind
  section: IntegrationSection
  options?: string[]
  pipelineKey?: string
  allowEmpty?: boolean
  min?: number
  max?: number
  visibleIf?: { key: string; values: unknown[] }
  crms?: CrmKind[]
  optionsByCrm?: Partial<Record<CrmKind, string[]>>
  // The i18n keys are integrationPage.fields.<key>.label and .help; options are
  // integrationPage.fields.<key>.options.<value>.
}

const clientChoices = ['none', 'lead', 'client', 'client_and_deal']
// Megaplan: clients (ContractorHuman) and deals (processes) only.
const megaplanClientChoices = ['none', 'client', 'client_and_deal']
// Bitrix24 only: the call card (Megaplan has no placement for it), CRM sources and UF_CRM_ fields
// (Megaplan's line goes to the field the account labels «Линия»), CRM-form callbacks (Bitrix24's
// events) and time tracking.
const b24 = { crms: ['bitrix24'] as CrmKind[] }
const routing = { key: 'route_to_responsible', values: [true] }

export const integrationFields: IntegrationField[] = [
  { key: 'answered_new_number', kind: 'enum', section: 'incoming', options: clientChoices, optionsByCrm: { megaplan: megaplanClientChoices } },
  { key: 'missed_new_number', kind: 'enum', section: 'incoming', options: clientChoices, optionsByCrm: { megaplan: megaplanClientChoices } },
  { key: 'responsible_is_last_handler', kind: 'bool', section: 'incoming' },
  { key: 'client_phone_format', kind: 'enum', section: 'incoming', options: ['plus_digits', 'international', 'national_8'] },
  { key: 'route_to_responsible', kind: 'bool', section: 'routing' },
  { key: 'route_greeting_seconds', kind: 'number', section: 'routing', min: 1, max: 60, visibleIf: routing },
  { key: 'route_greeting_seconds_by_line', kind: 'line_numbers', section: 'routing', min: 1, max: 60, visibleIf: routing },
  { key: 'route_only_at_work', kind: 'bool', section: 'routing', visibleIf: routing, ...b24 },
  { key: 'deal_category_id', kind: 'pipeline', section: 'deals' },
  { key: 'deal_stage_id', kind: 'stage', section: 'deals', pipelineKey: 'deal_category_id', allowEmpty: true },
  { key: 'missed_deal_category_id', kind: 'pipeline', section: 'deals' },
  { key: 'missed_deal_stage_id', kind: 'stage', section: 'deals', pipelineKey: 'missed_deal_category_id', allowEmpty: true },
  { key: 'repeated_call_deal', kind: 'enum', section: 'deals', options: ['never', 'always', 'if_none_open'] },
  { key: 'missed_in_ivr_extension', kind: 'extension', section: 'missed', allowEmpty: true },
  { key: 'missed_in_group_extension', kind: 'extension', section: 'missed', allowEmpty: true },
  { key: 'outgoing_new_number_creates_client', kind: 'bool', section: 'outgoing' },
  {
    key: 'unmapped_employee_calls',
    kind: 'enum',
    section: 'employees',
    options: ['record_without_card', 'catch_all_card'],
    ...b24
  },
  { key: 'catch_all_user_id', kind: 'user', section: 'employees', allowEmpty: true, ...b24 },
  { key: 'callback_extension', kind: 'extension', section: 'callbacks', allowEmpty: true, ...b24 },
  { key: 'callback_group', kind: 'extension', section: 'callbacks', allowEmpty: true, ...b24 },
  { key: 'callback_line_number', kind: 'text', section: 'callbacks', allowEmpty: true, ...b24 },
  { key: 'line_as_source', kind: 'bool', section: 'sources' },
  { key: 'line_number_field', kind: 'crm_field', section: 'sources', allowEmpty: true, visibleIf: { key: 'line_as_source', values: [true] }, ...b24 },
  { key: 'crm_source_by_line', kind: 'line_sources', section: 'sources', ...b24 }
]

// The settings a page for `crm` shows, in the table's order.
export function fieldsFor(crm: CrmKind): IntegrationField[] {
  return integrationFields.filter((f) => !f.crms || f.crms.includes(crm))
}

// The options of an enum a CRM offers.
export function optionsFor(field: IntegrationField, crm: CrmKind): string[] {
  return field.optionsByCrm?.[crm] ?? field.options ?? []
}

export type LocalProblem = '' | 'extension' | 'number' | 'range' | 'line' | 'field'

// A whole number from min to max (what `number` and each value of `line_numbers` hold).
export function inRange(value: unknown, min = -Infinity, max = Infinity): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

// What the page checks before sending (the server checks everything again and names the field).
export function localProblem(field: IntegrationField, value: unknown): LocalProblem {
  if (field.kind === 'extension') {
    const s = String(value ?? '')
    return s === '' || /^[0-9]{1,16}$/.test(s) ? '' : 'extension'
  }
  if (field.key === 'callback_line_number') {
    const s = String(value ?? '')
    return s === '' || /^[0-9]{5,20}$/.test(s) ? '' : 'number'
  }
  if (field.kind === 'number') return inRange(value, field.min, field.max) ? '' : 'range'
  if (field.kind === 'line_numbers') {
    if (!value || typeof value !== 'object') return 'range'
    for (const [line, n] of Object.entries(value as Record<string, unknown>)) {
      if (!/^[0-9]{1,20}$/.test(line)) return 'line'
      if (!inRange(n, field.min, field.max)) return 'range'
    }
    return ''
  }
  if (field.kind === 'crm_field') {
    const s = String(value ?? '')
    return s === '' || (s.length <= 50 && /^UF_CRM_[A-Z0-9_]*$/.test(s)) ? '' : 'field'
  }
  return ''
}
