// The one field component both integration pages render every flag with (H6): the same
// declaration gives the Bitrix24 page its words and options and the «Мегаплан» page seed 004's
// (no leads there), a pipeline's stages follow the form, and the line editor sends the map it
// makes. Mounted for real with the pages' message tables.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { makeI18n } from '../../shared/i18n'
import { mergeMessages, pageMessages } from '../i18n'
import { messages } from '../messages'
import { fieldsFor, integrationFields, type CrmKind } from './integrationFields'
import SettingField from './SettingField.vue'

const i18n = makeI18n('ru', mergeMessages(messages, ...pageMessages()))
const field = (key: string) => integrationFields.find((f) => f.key === key)!

const catalog = {
  lead_statuses: [],
  deal_categories: [
    { id: '1', name: 'Продажи', stages: [{ id: '11', name: 'Новая' }, { id: '12', name: 'В работе' }] },
    { id: '2', name: 'Повторные', stages: [{ id: '21', name: 'Новая' }] }
  ],
  fields: {},
  sources: [{ id: 'WEB', name: 'Веб-сайт' }]
}

function render(key: string, crm: CrmKind, form: Record<string, unknown>, canEdit = true) {
  return mount(SettingField, {
    props: { field: field(key), form, canEdit, crm, catalog: catalog as never, users: [], error: null },
    global: { plugins: [i18n] }
  })
}

describe('SettingField', () => {
  it('speaks Bitrix24 on the Bitrix24 page and seed 004 on the Megaplan page, without leads there', () => {
    const b24 = render('answered_new_number', 'bitrix24', { answered_new_number: 'none' })
    expect(b24.find('.settings-label').text()).toBe('Принятый входящий звонок с нового номера')
    expect(b24.findAll('option').map((o) => o.attributes('value'))).toEqual(['none', 'lead', 'client', 'client_and_deal'])

    const mp = render('answered_new_number', 'megaplan', { answered_new_number: 'none' })
    expect(mp.find('.settings-label').text()).toBe('Автоматически создавать клиента при принятых входящих звонках')
    expect(mp.findAll('option').map((o) => o.text())).toEqual(['Ничего не делать', 'Клиента', 'Клиента и процесс'])
    expect(mp.find('.help').text()).toContain('Новый (16:30 05.03.2018, входящий вызов)')
  })

  it('keeps a stored value the CRM does not offer visible rather than silently changing it', () => {
    const mp = render('missed_new_number', 'megaplan', { missed_new_number: 'lead' })
    expect((mp.find('select').element as HTMLSelectElement).value).toBe('lead')
  })

  it('lists the statuses of the scheme the form has chosen and reports a choice', async () => {
    const w = render('deal_stage_id', 'megaplan', { deal_category_id: '1', deal_stage_id: '' })
    expect(w.find('.settings-label').text()).toBe('Процесс при принятых звонках: статус')
    expect(w.findAll('option').map((o) => o.text())).toEqual(['Начальный статус схемы', 'Новая', 'В работе'])
    await w.find('select').setValue('12')
    expect(w.emitted('update')).toEqual([['deal_stage_id', '12']])
    const other = render('deal_stage_id', 'megaplan', { deal_category_id: '2', deal_stage_id: '' })
    expect(other.findAll('option').map((o) => o.attributes('value'))).toEqual(['', '21'])
  })

  it('is read-only for those who may not edit', () => {
    const w = render('route_to_responsible', 'megaplan', { route_to_responsible: true }, false)
    const box = w.find('input[type="checkbox"]')
    expect((box.element as HTMLInputElement).checked).toBe(true)
    expect(box.attributes('disabled')).toBeDefined()
  })

  it('sends the line map its rows make, and takes a new value from outside', async () => {
    const w = render('crm_source_by_line', 'bitrix24', { crm_source_by_line: { '74951234567': 'WEB' } })
    expect(w.findAll('[data-testid="line-row"]')).toHaveLength(1)
    await w.find('[data-testid="add-line"]').trigger('click')
    const inputs = w.findAll('input[data-testid="line-number"], [data-testid="line-number"] input')
    await inputs[1]!.setValue('74950000000')
    await w.findAll('[data-testid="line-source"]')[1]!.setValue('WEB')
    const last = w.emitted('update')!.at(-1)!
    expect(last).toEqual(['crm_source_by_line', { '74951234567': 'WEB', '74950000000': 'WEB' }])
    await w.setProps({ form: { crm_source_by_line: {} } })
    expect(w.findAll('[data-testid="line-row"]')).toHaveLength(0)
  })

  it('leaves out on the Megaplan page what Megaplan does not have', () => {
    const keys = fieldsFor('megaplan').map((f) => f.key)
    for (const k of ['crm_source_by_line', 'line_number_field', 'unmapped_employee_calls', 'catch_all_user_id', 'callback_extension', 'route_only_at_work']) {
      expect(keys).not.toContain(k)
    }
    for (const k of ['answered_new_number', 'missed_new_number', 'repeated_call_deal', 'deal_category_id', 'deal_stage_id', 'route_to_responsible', 'line_as_source', 'responsible_is_last_handler', 'missed_in_ivr_extension', 'missed_in_group_extension', 'outgoing_new_number_creates_client']) {
      expect(keys).toContain(k)
    }
    expect(fieldsFor('bitrix24')).toHaveLength(integrationFields.length)
  })
})
