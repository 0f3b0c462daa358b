// The Integration page with only the API client faked: every declared flag is rendered with its
// label and help, a save sends back the whole object read (a key the page does not know
// included) with only the edit changed, a server error lands next to the field it names, and an
// operator sees the flags read-only without the Mango section.
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { createMemoryHistory } from 'vue-router'
import type { ApiClient } from '../../shared/api'
import { ApiError } from '../../shared/api'
import { makeI18n } from '../../shared/i18n'
import { fakeApi, type FakeApi } from '../../test/fakeApi'
import { makeContext, settingsKey, type Me } from '../common/context'
import { forgetAllForms } from '../common/dirty'
import { mergeMessages, pageMessages } from '../i18n'
import { messages } from '../messages'
import { makeRouter } from '../router'
import IntegrationPage from './IntegrationPage.vue'
import { integrationFields } from './integrationFields'

const stored = {
  answered_new_number: 'none',
  missed_new_number: 'none',
  outgoing_new_number_creates_client: false,
  responsible_is_last_handler: false,
  missed_in_ivr_extension: '',
  missed_in_group_extension: '',
  crm_source_by_line: { '74951234567': 'WEB' },
  deal_category_id: '0',
  deal_stage_id: '',
  catch_all_user_id: '',
  unmapped_employee_calls: 'record_without_card',
  callback_extension: '',
  callback_group: '',
  callback_line_number: '',
  missed_deal_category_id: '0',
  missed_deal_stage_id: '',
  repeated_call_deal: 'never',
  line_as_source: true,
  line_number_field: '',
  client_phone_format: 'plus_digits',
  route_to_responsible: true,
  route_greeting_seconds: 5,
  route_greeting_seconds_by_line: { '74951234567': 8 },
  route_only_at_work: false,
  voice_robot_mode: 'off', // a key a newer server added: this page does not know it
  version: 7
}

function me(manage: boolean): Me {
  return { user_id: '1', name: 'Анна', role_id: '1', role_name: 'Супервайзер', may_manage_settings: manage, seat: 'active', lang: 'ru' }
}

function defaults(api: FakeApi) {
  return api
    .on('GET', '/api/settings/integration', stored)
    .on('GET', '/api/settings/crm', {
      lead_statuses: [],
      sources: [{ id: 'CALL', name: 'Звонок' }, { id: 'WEB', name: 'Веб-сайт' }],
      deal_categories: [{ id: '0', name: 'Общая', stages: [{ id: 'NEW', name: 'Новая' }] }],
      fields: {
        contact: [
          { code: 'UF_CRM_LINE', label: 'Линия', type: 'string', multiple: false, read_only: false, required: false },
          { code: 'NAME', label: 'Имя', type: 'string', multiple: false, read_only: false, required: false }
        ],
        lead: [{ code: 'UF_CRM_LINE', label: 'Линия', type: 'string', multiple: false, read_only: false, required: false }]
      }
    })
    .on('GET', '/api/settings/mango', { connected: true, api_key: 'k', webhook_url: 'https://o.example/mango/t/', connected_at_ms: 1, directory: { employees: 1, synced_at_ms: 1 } })
    .on('GET', '/api/settings/mango/employees', {
      employees: [{ extension: '101', in_pbx_directory: true, mango_name: 'Анна', mango_email: 'a@x.ru', crm_user_id: '1', source: 'pbx' }]
    })
    .on('GET', '/api/settings/users', { users: [{ user_id: '1', name: 'Анна', email: '', portal_active: true, role_id: '1', status: 'active' }] })
}

async function mountPage(api: FakeApi, manage = true) {
  const router = makeRouter(() => true, createMemoryHistory())
  await router.push('/integration')
  const wrapper = mount(IntegrationPage, {
    attachTo: document.body,
    global: {
      plugins: [makeI18n('ru', mergeMessages(messages, ...pageMessages())), router],
      provide: { [settingsKey as symbol]: makeContext(api as unknown as ApiClient, ref(me(manage)), 'm', '1') }
    }
  })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  forgetAllForms()
  document.body.innerHTML = ''
})

describe('Integration page', () => {
  it('renders every declared flag with its label and help, and the source in words', async () => {
    const w = await mountPage(defaults(fakeApi()))
    const keys = w.findAll('[data-testid="flag"]').map((f) => f.attributes('data-key'))
    expect(keys).toEqual(integrationFields.map((f) => f.key))
    expect(w.find('[data-key="answered_new_number"]').text()).toContain('Принятый входящий звонок с нового номера')
    expect(w.find('[data-key="answered_new_number"] .help').text()).toMatch(/Новый \(16:30 05\.03\.2018/)
    expect(w.find('[data-testid="source"]').text()).toBe('по e-mail')
  })

  it('sends back the whole object with only the edit changed', async () => {
    let sent: Record<string, unknown> | null = null
    const api = defaults(fakeApi()).on('PUT', '/api/settings/integration', (body) => {
      sent = body as Record<string, unknown>
      return { ...(body as object), version: 8 }
    })
    const w = await mountPage(api)
    await w.find('[data-key="answered_new_number"] select').setValue('client_and_deal')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(sent).toEqual({ ...stored, answered_new_number: 'client_and_deal' })
    expect(w.find('[data-testid="saved"]').exists()).toBe(true)
  })

  it('shows a server error next to the field it names', async () => {
    const api = defaults(fakeApi()).on(
      'PUT',
      '/api/settings/integration',
      new ApiError(400, 'INVALID_ARGUMENT', 'catch_all_card needs catch_all_user_id', 'unmapped_employee_calls')
    )
    const w = await mountPage(api)
    await w.find('[data-key="unmapped_employee_calls"] select').setValue('catch_all_card')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    const error = w.find('[data-key="unmapped_employee_calls"] [data-testid="field-error"]')
    expect(error.text()).toContain('catch_all_user_id')
  })

  it('offers «Обновить» on a stale version and reloads what the server has', async () => {
    const api = defaults(fakeApi()).on(
      'PUT',
      '/api/settings/integration',
      new ApiError(409, 'CONFLICT', 'the settings changed meanwhile', 'version')
    )
    const w = await mountPage(api)
    await w.find('[data-key="answered_new_number"] select').setValue('client')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="conflict"]').exists()).toBe(true)
    api.on('GET', '/api/settings/integration', { ...stored, answered_new_number: 'lead', version: 9 })
    await w.find('[data-testid="conflict-reload"]').trigger('click')
    await flushPromises()
    expect((w.find('[data-key="answered_new_number"] select').element as HTMLSelectElement).value).toBe('lead')
    expect(w.find('[data-testid="conflict"]').exists()).toBe(false)
  })

  it('checks an extension before sending and does not save', async () => {
    const api = defaults(fakeApi())
    const w = await mountPage(api)
    await w.find('[data-key="missed_in_ivr_extension"] input').setValue('10a')
    expect(w.find('[data-key="missed_in_ivr_extension"] [data-testid="field-error"]').text()).toContain('от 1 до 16 цифр')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false)
  })

  it('hides the greeting settings while routing is off and shows the scheme explanation', async () => {
    const w = await mountPage(defaults(fakeApi()))
    expect(w.find('[data-section="routing"] [data-testid="section-help"]').text()).toMatch(/ожидать окончания/)
    expect(w.find('[data-key="route_greeting_seconds"]').exists()).toBe(true)
    await w.find('[data-key="route_to_responsible"] input').setValue(false)
    expect(w.find('[data-key="route_greeting_seconds"]').exists()).toBe(false)
    expect(w.find('[data-key="route_greeting_seconds_by_line"]').exists()).toBe(false)
    expect(w.find('[data-key="route_only_at_work"]').exists()).toBe(false)
  })

  it('checks the greeting length and the per-line lengths before sending', async () => {
    const api = defaults(fakeApi())
    const w = await mountPage(api)
    const common = w.find('[data-key="route_greeting_seconds"] input')
    await common.setValue('61')
    expect(w.find('[data-key="route_greeting_seconds"] [data-testid="field-error"]').text()).toContain('от 1 до 60')
    await common.setValue('7')
    expect(w.find('[data-key="route_greeting_seconds"] [data-testid="field-error"]').exists()).toBe(false)
    const value = w.find('[data-key="route_greeting_seconds_by_line"] input[data-testid="line-value"], input[data-testid="line-value"], [data-testid="line-value"] input')
    await value.setValue('0')
    expect(w.find('[data-key="route_greeting_seconds_by_line"] [data-testid="field-error"]').text()).toContain('от 1 до 60')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false)
    await value.setValue('12')
    await w.find('[data-key="route_greeting_seconds_by_line"] input[data-testid="line-number"], [data-testid="line-number"] input').setValue('7495 1')
    expect(w.find('[data-key="route_greeting_seconds_by_line"] [data-testid="field-error"]').text()).toContain('только цифры')
  })

  it('sends numbers as numbers, the line map, the CRM field and keeps the unknown key', async () => {
    let sent: Record<string, unknown> | null = null
    const api = defaults(fakeApi()).on('PUT', '/api/settings/integration', (body) => {
      sent = body as Record<string, unknown>
      return { ...(body as object), version: 8 }
    })
    const w = await mountPage(api)
    await w.find('[data-key="route_greeting_seconds"] input').setValue('7')
    await w.find('[data-key="route_greeting_seconds_by_line"] [data-testid="add-line-number"]').trigger('click')
    const rows = w.findAll('[data-key="route_greeting_seconds_by_line"] [data-testid="line-number-row"]')
    expect(rows).toHaveLength(2)
    await rows[1]!.find('input[data-testid="line-number"], [data-testid="line-number"] input').setValue('74997654321')
    await rows[1]!.find('input[data-testid="line-value"], input[data-testid="line-value"], [data-testid="line-value"] input').setValue('15')
    await w.find('[data-key="repeated_call_deal"] select').setValue('if_none_open')
    const field = w.find('[data-key="line_number_field"] select')
    expect(field.findAll('option').map((o) => o.text())).toEqual(['Не записывать', 'Линия (контакт, лид)'])
    await field.setValue('UF_CRM_LINE')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(sent).toEqual({
      ...stored,
      route_greeting_seconds: 7,
      route_greeting_seconds_by_line: { '74951234567': 8, '74997654321': 15 },
      repeated_call_deal: 'if_none_open',
      line_number_field: 'UF_CRM_LINE'
    })
  })

  it('shows an operator the flags read-only and no Mango section', async () => {
    const api = defaults(fakeApi())
    const w = await mountPage(api, false)
    expect(w.find('[data-testid="read-only"]').exists()).toBe(true)
    expect(w.find('[data-testid="mango"]').exists()).toBe(false)
    expect(w.find('[data-testid="save"]').exists()).toBe(false)
    expect(w.findAll('[data-testid="flag"] select').every((s) => (s.element as HTMLSelectElement).disabled)).toBe(true)
    expect(api.calls.some((c) => c.path.startsWith('/api/settings/mango'))).toBe(false)
  })
})
