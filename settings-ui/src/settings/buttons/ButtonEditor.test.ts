// The button editor with only the API client faked: loading, saving, a server error next to its
// field, a stale version with «Обновить», and the read-only view.
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
import ButtonEditor from './ButtonEditor.vue'

const catalog = {
  lead_statuses: [
    { id: 'NEW', name: 'Новый' },
    { id: 'IN_PROCESS', name: 'В работе' }
  ],
  deal_categories: [{ id: '0', name: 'Общая', stages: [{ id: 'NEW', name: 'Новая' }] }],
  fields: {}
}
const stored = {
  id: '5',
  name: 'Итог',
  color: '#ff5752',
  version: 3,
  updated_at_ms: 1,
  actions: [{ kind: 'lead_status', status_id: 'NEW' }]
}

function me(manage: boolean): Me {
  return { user_id: '1', name: 'Анна', role_id: '1', role_name: 'Супервайзер', may_manage_settings: manage, seat: 'active', lang: 'ru' }
}

async function mountEditor(api: FakeApi, manage = true) {
  const router = makeRouter(() => true, createMemoryHistory())
  await router.push('/buttons/5')
  const wrapper = mount(ButtonEditor, {
    props: { id: '5' },
    attachTo: document.body,
    global: {
      plugins: [makeI18n('ru', mergeMessages(messages, ...pageMessages())), router],
      provide: { [settingsKey as symbol]: makeContext(api as unknown as ApiClient, ref(me(manage)), 'm', '1') }
    }
  })
  await flushPromises()
  return wrapper
}

function defaults(api: FakeApi) {
  return api
    .on('GET', '/api/settings/crm', catalog)
    .on('GET', '/api/settings/template-variables', { variables: [{ name: 'client.name', help_ru: 'имя', help_en: 'name' }], time_examples: ['{now}'] })
    .on('GET', '/api/settings/users', { users: [] })
    .on('GET', '/api/settings/buttons/5', stored)
}

afterEach(() => {
  document.body.innerHTML = ''
  forgetAllForms()
})

describe('ButtonEditor', () => {
  it('saves only what each action kind carries, with the version read', async () => {
    const api = defaults(fakeApi()).on('PUT', '/api/settings/buttons/5', (body) => ({ ...(body as object), id: '5', version: 4 }))
    const w = await mountEditor(api)
    expect(w.find('[data-testid="status"]').element).toHaveProperty('value', 'NEW')
    await w.find('[data-testid="name"] input').setValue('Итог звонка')
    await w.find('[data-testid="status"]').setValue('IN_PROCESS')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    const put = api.calls.find((c) => c.method === 'PUT')!
    expect(put.body).toEqual({ name: 'Итог звонка', color: '#ff5752', version: 3, actions: [{ kind: 'lead_status', status_id: 'IN_PROCESS' }] })
    expect(w.find('[data-testid="saved"]').exists()).toBe(true)
    expect(w.find('[data-testid="save"]').attributes('disabled')).toBeDefined()
  })

  it('shows a server error next to the field it names', async () => {
    const api = defaults(fakeApi()).on('PUT', '/api/settings/buttons/5', new ApiError(400, 'INVALID_ARGUMENT', "status 'X' is not a lead status", 'actions[0].status_id'))
    const w = await mountEditor(api)
    await w.find('[data-testid="name"] input').setValue('Другое')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    const error = w.find('[data-field="status_id"] [data-testid="field-error"]')
    expect(error.text()).toBe("status 'X' is not a lead status")
    expect(w.find('[data-testid="form-error"]').exists()).toBe(false)
  })

  it('offers «Обновить» on a stale version and reloads the newer button', async () => {
    const api = defaults(fakeApi()).on('PUT', '/api/settings/buttons/5', new ApiError(409, 'CONFLICT', 'changed by someone else', 'version'))
    const w = await mountEditor(api)
    await w.find('[data-testid="name"] input').setValue('Моё')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="conflict"]').exists()).toBe(true)
    api.on('GET', '/api/settings/buttons/5', { ...stored, name: 'Чужое', version: 4 })
    await w.find('[data-testid="conflict-reload"]').trigger('click')
    await flushPromises()
    expect((w.find('[data-testid="name"] input').element as HTMLInputElement).value).toBe('Чужое')
    expect(w.find('[data-testid="conflict"]').exists()).toBe(false)
  })

  it('checks locally before sending and names the field', async () => {
    const api = defaults(fakeApi())
    const w = await mountEditor(api)
    await w.find('[data-testid="name"] input').setValue('  ')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="name"] [data-testid="field-error"]').text()).toBe('Укажите название кнопки.')
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false)
  })

  it('is read-only for a role that may not manage settings', async () => {
    const w = await mountEditor(defaults(fakeApi()), false)
    expect(w.find('[data-testid="save"]').exists()).toBe(false)
    expect(w.find('[data-testid="read-only"]').exists()).toBe(true)
    expect((w.find('[data-testid="form"]').element as HTMLFieldSetElement).disabled).toBe(true)
    expect(w.find('[data-testid="add-action"]').exists()).toBe(false)
  })
})
