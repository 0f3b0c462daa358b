// The task page with only the API client faked: saving with the version read, a stale version
// offering «Обновить», a start refused on the script shown under the script, the warning for a
// script without a published version, and the import's dry-run report mapped to words.
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
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
import CampaignPage from './CampaignPage.vue'
import * as transfer from './transfer'

const stored = {
  id: '7',
  name: 'Весна',
  description: '',
  script_id: '4',
  script_version: null,
  employee_ids: ['2'],
  retry: { max_attempts: 3, spacing_minutes: 60 },
  state: 'draft',
  version: 3,
  counts: { total: 0, new: 0, in_work: 0, done: 0, by_result: {} },
  script_deleted: false
}

function me(manage: boolean): Me {
  return { user_id: '1', name: 'Анна', role_id: '1', role_name: 'Супервайзер', may_manage_settings: manage, seat: 'active', lang: 'ru' }
}

function defaults(api: FakeApi) {
  return api
    .on('GET', '/api/settings/scripts', {
      scripts: [
        { id: '4', name: 'Исходящий', published_version: 1 },
        { id: '5', name: 'Черновой', published_version: null }
      ]
    })
    .on('GET', '/api/settings/users', {
      users: [
        { user_id: '1', name: 'Анна', status: 'active' },
        { user_id: '2', name: 'Борис', status: 'active' },
        { user_id: '3', name: 'Вера', status: 'no_role' }
      ]
    })
    .on('GET', '/api/campaigns/7', stored)
    .on('GET', '/api/campaigns/7/contacts', { contacts: [], next_after: null, counts: stored.counts })
}

async function mountPage(api: FakeApi, manage = true) {
  const router = makeRouter(() => true, createMemoryHistory())
  await router.push('/campaigns/7')
  const wrapper = mount(CampaignPage, {
    props: { id: '7' },
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
  document.body.innerHTML = ''
  forgetAllForms()
})

describe('CampaignPage', () => {
  it('lists only seated users as employees and saves the whole task with the version read', async () => {
    const api = defaults(fakeApi()).on('PUT', '/api/campaigns/7', (body) => ({ ...stored, ...(body as object), version: 4 }))
    const w = await mountPage(api)
    await w.find('[data-tab="settings"]').trigger('click')
    expect(w.findAll('[data-testid="employee"]').map((e) => e.attributes('data-id'))).toEqual(['1', '2'])
    await w.find('[data-testid="name"] input').setValue('Весна 2026')
    await w.find('[data-testid="employee"][data-id="1"] input').setValue(true)
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    const put = api.calls.find((c) => c.method === 'PUT')!
    expect(put.body).toEqual({
      name: 'Весна 2026',
      description: '',
      script_id: '4',
      employee_ids: ['2', '1'],
      retry: { max_attempts: 3, spacing_minutes: 60 },
      version: 3
    })
    expect(w.find('[data-testid="saved"]').exists()).toBe(true)
  })

  it('offers «Обновить» when someone saved first', async () => {
    const api = defaults(fakeApi()).on('PUT', '/api/campaigns/7', new ApiError(409, 'CONFLICT', 'stale', 'version'))
    const w = await mountPage(api)
    await w.find('[data-tab="settings"]').trigger('click')
    await w.find('[data-testid="name"] input').setValue('Моё')
    await w.find('[data-testid="save"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="conflict"]').exists()).toBe(true)
    api.on('GET', '/api/campaigns/7', { ...stored, name: 'Чужое', version: 4 })
    await w.find('[data-testid="conflict-reload"]').trigger('click')
    await flushPromises()
    expect((w.find('[data-testid="name"] input').element as HTMLInputElement).value).toBe('Чужое')
  })

  it('shows a refused start under the field it names', async () => {
    const api = defaults(fakeApi()).on('POST', '/api/campaigns/7/state', new ApiError(400, 'INVALID_ARGUMENT', 'add at least one employee before starting the task', 'employee_ids'))
    const w = await mountPage(api)
    await w.find('[data-testid="start"]').trigger('click')
    await flushPromises()
    expect(api.calls.find((c) => c.path === '/api/campaigns/7/state')?.body).toEqual({ state: 'running', version: 3 })
    expect(w.find('[data-testid="employees"] [data-testid="field-error"]').text()).toBe(
      'Добавьте хотя бы одного оператора: без операторов задание не запустить.'
    )
    expect(w.find('[data-testid="form-error"]').exists()).toBe(false)
  })

  it('says when the chosen script has no published version', async () => {
    const w = await mountPage(defaults(fakeApi()))
    await w.find('[data-tab="settings"]').trigger('click')
    expect(w.find('[data-testid="script-warning"]').exists()).toBe(false)
    await w.find('[data-testid="script"] select').setValue('5')
    expect(w.find('[data-testid="script-warning"]').text()).toMatch(/У скрипта «Черновой» нет опубликованной версии/)
  })

  it('checks an import first and reports each rejected line in words', async () => {
    const upload = vi.spyOn(transfer, 'uploadText').mockResolvedValue({
      dry_run: true,
      lines: 3,
      header_skipped: false,
      accepted: 2,
      added: 0,
      rejected: 1,
      total: 0,
      errors: [{ line: 2, reason: 'bad_number', text: 'привет' }],
      errors_truncated: false
    })
    const w = await mountPage(defaults(fakeApi()))
    await w.find('[data-tab="import"]').trigger('click')
    await w.find('[data-testid="paste"] textarea').setValue('+79001112233\nпривет\n89004445566')
    await w.find('[data-testid="check"]').trigger('click')
    await flushPromises()
    expect(upload).toHaveBeenCalledWith(expect.anything(), '/api/campaigns/7/import?dry_run=1', '+79001112233\nпривет\n89004445566', expect.anything())
    expect(w.find('[data-testid="summary"]').text()).toBe('Строк: 3. Подходят: 2. С ошибками: 1.')
    expect(w.find('[data-testid="report-row"] [data-testid="reason"]').text()).toBe('Это не номер телефона')
    expect(w.find('[data-testid="add"]').text()).toBe('Добавить 2 контакта')
  })

  it('is read-only for an operator of the task', async () => {
    const w = await mountPage(defaults(fakeApi()), false)
    expect(w.find('[data-testid="start"]').exists()).toBe(false)
    expect(w.find('[data-tab="import"]').exists()).toBe(false)
    await w.find('[data-tab="settings"]').trigger('click')
    expect((w.find('[data-testid="editor"]').element as HTMLFieldSetElement).disabled).toBe(true)
  })
})
