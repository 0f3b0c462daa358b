// The task page's contacts with only the API client faked: a status chip sends its filter, the
// filters and the next page go into the query, two selected rows are deleted after a dialog that
// says how many, and the export reads the filtered CSV.
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { createMemoryHistory } from 'vue-router'
import type { ApiClient } from '../../shared/api'
import { makeI18n } from '../../shared/i18n'
import { fakeApi, type FakeApi } from '../../test/fakeApi'
import { makeContext, settingsKey, type Me } from '../common/context'
import { forgetAllForms } from '../common/dirty'
import { mergeMessages, pageMessages } from '../i18n'
import { messages } from '../messages'
import { makeRouter } from '../router'
import ContactsPanel from './ContactsPanel.vue'
import * as transfer from './transfer'

const counts = { total: 3, new: 2, in_work: 0, done: 1, by_result: { none: 2, refused: 1 } }
const contact = (id: string, status: string) => ({
  id,
  task_id: '7',
  source: 'number',
  phone: `+7900000000${id}`,
  crm_contact_id: null,
  name: `Клиент ${id}`,
  status,
  result: status === 'done' ? 'refused' : null,
  attempts: 0,
  operator_id: status === 'done' ? '2' : null,
  due_at_ms: null,
  opened: false,
  comment: '',
  last_call_at_ms: null,
  version: 1,
  created_at_ms: 1
})

const me: Me = { user_id: '1', name: 'Анна', role_id: '1', role_name: 'Супервайзер', may_manage_settings: true, seat: 'active', lang: 'ru' }

async function mountPanel(api: FakeApi) {
  const router = makeRouter(() => true, createMemoryHistory())
  await router.push('/campaigns/7')
  const wrapper = mount(ContactsPanel, {
    props: { taskId: '7', taskName: 'Весна', canEdit: true, userNames: { '2': 'Борис' } },
    attachTo: document.body,
    global: {
      plugins: [makeI18n('ru', mergeMessages(messages, ...pageMessages())), router],
      provide: { [settingsKey as symbol]: makeContext(api as unknown as ApiClient, ref(me), 'm', '1') }
    }
  })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  document.body.innerHTML = ''
  forgetAllForms()
})

const lastQuery = (api: FakeApi) => {
  const gets = api.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/api/campaigns/7/contacts'))
  return Object.fromEntries(new URLSearchParams(gets[gets.length - 1]!.path.split('?')[1] ?? ''))
}

describe('ContactsPanel', () => {
  it('shows the counts and the progress, and a chip filters by status', async () => {
    const api = fakeApi().on('GET', '/api/campaigns/7/contacts', (_b: unknown, path: string) => ({
      contacts: path.includes('status=new') ? [contact('1', 'new'), contact('2', 'new')] : [contact('1', 'new'), contact('2', 'new'), contact('3', 'done')],
      next_after: null,
      counts
    }))
    const w = await mountPanel(api)
    expect(w.findAll('[data-testid="chip"]').map((c) => c.text().replace(/\s+/g, ' '))).toEqual(['Все 3', 'Новый 2', 'В работе 0', 'Завершён 1'])
    expect(w.find('[data-testid="progress-text"]').text()).toBe('Завершено 1 из 3 (33%)')
    expect(w.find('[data-testid="progress"]').attributes('data-percent')).toBe('33')
    expect(lastQuery(api)).toEqual({ limit: '100' })
    await w.find('[data-testid="chip"][data-status="new"]').trigger('click')
    await flushPromises()
    expect(lastQuery(api)).toEqual({ status: 'new', limit: '100' })
    expect(w.findAll('[data-testid="contact"]')).toHaveLength(2)
    expect(w.find('[data-testid="chip"][data-status="new"]').classes()).toContain('chip--active')
  })

  it('sends the filters and pages on with next_after', async () => {
    const api = fakeApi().on('GET', '/api/campaigns/7/contacts', (_b: unknown, path: string) => ({
      contacts: path.includes('after=2') ? [contact('3', 'done')] : [contact('1', 'new'), contact('2', 'new')],
      next_after: path.includes('after=2') ? null : '2',
      counts
    }))
    const w = await mountPanel(api)
    await w.find('[data-testid="filter-q"] input').setValue(' Клиент ')
    await w.find('[data-testid="filter-operator"] select').setValue('2')
    await w.find('[data-testid="filter-result"] select').setValue('refused')
    await w.find('[data-testid="filters"]').trigger('submit')
    await flushPromises()
    expect(lastQuery(api)).toEqual({ result: 'refused', operator_id: '2', q: 'Клиент', limit: '100' })
    await w.find('[data-testid="more"]').trigger('click')
    await flushPromises()
    expect(lastQuery(api)).toEqual({ result: 'refused', operator_id: '2', q: 'Клиент', after: '2', limit: '100' })
    expect(w.findAll('[data-testid="contact"]').map((r) => r.attributes('data-id'))).toEqual(['1', '2', '3'])
    expect(w.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('deletes the selected rows after a dialog that says how many', async () => {
    const api = fakeApi()
      .on('GET', '/api/campaigns/7/contacts', { contacts: [contact('1', 'new'), contact('2', 'new'), contact('3', 'done')], next_after: null, counts })
      .on('POST', '/api/campaigns/7/contacts/delete', { deleted: 2, counts: { ...counts, total: 1, new: 0 } })
    const w = await mountPanel(api)
    expect(w.find('[data-testid="delete-selected"]').attributes('disabled')).toBeDefined()
    await w.find('[data-testid="contact"][data-id="1"] [data-testid="select"]').setValue(true)
    await w.find('[data-testid="contact"][data-id="3"] [data-testid="select"]').setValue(true)
    await w.find('[data-testid="delete-selected"]').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid="confirm-text"]')?.textContent).toBe('Удалить 2 контакта из задания? Это нельзя отменить.')
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false)
    ;(document.querySelector('[data-testid="confirm-delete"]') as HTMLElement).click()
    await flushPromises()
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({ ids: ['1', '3'] })
    expect(w.find('[data-testid="contacts-notice"]').text()).toBe('Удалено контактов: 2.')
    expect(w.emitted('changed')).toHaveLength(1)
  })

  it('exports what the filters select', async () => {
    const download = vi.spyOn(transfer, 'downloadBlob').mockResolvedValue(new Blob(['id;phone']))
    const save = vi.spyOn(transfer, 'saveBlob').mockImplementation(() => {})
    const api = fakeApi().on('GET', '/api/campaigns/7/contacts', { contacts: [contact('3', 'done')], next_after: null, counts })
    const w = await mountPanel(api)
    await w.find('[data-testid="chip"][data-status="done"]').trigger('click')
    await flushPromises()
    await w.find('[data-testid="export"]').trigger('click')
    await flushPromises()
    expect(download).toHaveBeenCalledWith(expect.anything(), '/api/campaigns/7/export?status=done', { lang: 'ru' })
    expect(save).toHaveBeenCalledWith(expect.any(Blob), 'Весна.csv')
  })
})
