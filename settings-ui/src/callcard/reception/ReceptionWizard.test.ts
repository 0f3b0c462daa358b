// The reception wizard with only the API client faked: choosing a type lists the managers, a
// transfer is followed until Mango's result and closes on success, a failure offers another
// manager, an inquiry is sent with one request id however often Ctrl+Enter is pressed, and Esc
// asks before cancelling.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../shared/api'
import { makeI18n, provideKitLocale } from '../../shared/i18n'
import { fakeApi, type FakeApi } from '../../test/fakeApi'
import { messages } from '../messages'
import type { ManagerView } from './api'
import ReceptionWizard from './ReceptionWizard.vue'

function manager(id: string, over: Partial<ManagerView> = {}): ManagerView {
  return {
    user_id: id,
    name: 'M' + id,
    extension: '10' + id,
    department_ids: ['2'],
    work_day: 'opened',
    online: true,
    line: 'free',
    availability: 0,
    ...over
  }
}

function api(): FakeApi {
  return fakeApi()
    .on('GET', '/api/reception/options', {
      service_types: [
        { id: 'sales', name: 'Продажи' },
        { id: 'repair', name: 'Ремонт' }
      ],
      transfer_method: 'hold',
      inquiry_target: 'lead'
    })
    .on('GET', '/api/reception/managers', { managers: [manager('3'), manager('1', { line: 'talking', availability: 60 })] })
}

let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.useRealTimers()
})

async function open(a: FakeApi) {
  wrapper = mount(ReceptionWizard, {
    props: { client: a, callId: 'c1', phone: '+79005550001', refreshMs: 1_000_000, pollMs: 5, closeAfterMs: 5 },
    global: { plugins: [makeI18n('ru', messages), { install: (app) => provideKitLocale(app, 'ru') }] },
    attachTo: document.body
  })
  await flushPromises()
  return wrapper
}

async function chooseSales(w: VueWrapper) {
  await w.find('[data-type="sales"]').trigger('click')
  await flushPromises()
  await w.find('[data-user="3"]').trigger('click')
}

// The kit's input carries the test id either on the <input> or on its wrapper.
function input(w: VueWrapper, id: string) {
  const el = w.find(`[data-testid="${id}"]`)
  return el.element.tagName === 'INPUT' || el.element.tagName === 'TEXTAREA' ? el : el.find('input')
}

const key = (k: string, ctrl = false) =>
  window.dispatchEvent(new KeyboardEvent('keydown', { key: k, ctrlKey: ctrl, bubbles: true }))

describe('reception wizard', () => {
  it('lists the managers of the chosen type with their state, the number filled in', async () => {
    const w = await open(api())
    expect((input(w, 'reception-phone').element as HTMLInputElement).value).toBe('+79005550001')
    await chooseSales(w)
    const rows = w.findAll('[data-testid="managers"] li')
    expect(rows.map((r) => r.attributes('data-user'))).toEqual(['3', '1'])
    expect(rows[1]!.text()).toContain('Разговаривает')
    expect(rows[0]!.text()).toContain('На работе')
  })

  it('transfers with the settings’ method, follows the result and closes on success', async () => {
    let polls = 0
    const a = api()
      .on('POST', '/api/reception/transfer', { command_id: 'rcp-1', state: 'pending' })
      .on('GET', '/api/reception/transfer/rcp-1', () =>
        ++polls < 2 ? { command_id: 'rcp-1', state: 'pending' } : { command_id: 'rcp-1', state: 'done', code: 1000, message: 'ok' }
      )
    const w = await open(a)
    await chooseSales(w)
    key('Enter', true)
    await vi.waitFor(() => expect(w.emitted('close')).toEqual([['transferred']]))
    expect(a.calls.find((c) => c.method === 'POST')?.body).toEqual({ call: 'c1', user_id: '3', method: 'hold' })
  })

  it('a failed transfer says why and offers another manager', async () => {
    const a = api().on('POST', '/api/reception/transfer', {
      command_id: 'rcp-2',
      state: 'failed',
      code: 4101,
      message: 'Звонок уже завершён'
    })
    const w = await open(a)
    await chooseSales(w)
    await w.find('[data-testid="transfer"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="transfer-failed"]').text()).toContain('Звонок уже завершён')
    await w.find('[data-testid="another"]').trigger('click')
    expect(w.attributes('data-step')).toBe('choose')
    expect(w.emitted('close')).toBeUndefined()
  })

  it('sends an inquiry once per wizard and shows a refused field by the field', async () => {
    let sent = 0
    const a = api().on('POST', '/api/reception/inquiry', (body) => {
      sent++
      if ((body as { email: string }).email === 'bad') return new ApiError(400, 'INVALID_ARGUMENT', 'bad e-mail', 'email')
      return { request_id: 'x', state: 'done', record: { entity: 'lead', id: '41' }, task_id: '5', warning: '' }
    })
    const w = await open(a)
    await chooseSales(w)
    await w.find('[data-testid="to-inquiry"]').trigger('click')
    await input(w, 'field-topic').setValue('Монтаж')
    await input(w, 'field-email').setValue('bad')
    key('Enter', true)
    await flushPromises()
    expect(w.find('[data-testid="error-email"]').text()).toBe('Это не похоже на адрес e-mail.')
    await input(w, 'field-email').setValue('a@b.ru')
    key('Enter', true)
    key('Enter', true)
    await vi.waitFor(() => expect(w.emitted('close')).toEqual([['accepted']]))
    const ids = a.calls.filter((c) => c.path === '/api/reception/inquiry').map((c) => (c.body as { request_id: string }).request_id)
    expect(new Set(ids).size).toBe(1)
    expect(sent).toBe(2)
    const body = a.calls.at(-1)?.body as Record<string, string>
    expect(body).toMatchObject({ topic: 'Монтаж', email: 'a@b.ru', user_id: '3', service_type: 'sales', phone: '+79005550001' })
  })

  it('Esc asks before cancelling; «Нет» keeps the wizard', async () => {
    const w = await open(api())
    key('Escape')
    await flushPromises()
    expect(w.find('[data-testid="reception-confirm"]').exists()).toBe(true)
    await w.find('[data-testid="confirm-no"]').trigger('click')
    expect(w.find('[data-testid="reception-confirm"]').exists()).toBe(false)
    expect(w.emitted('close')).toBeUndefined()
    key('Escape')
    await flushPromises()
    await w.find('[data-testid="confirm-yes"]').trigger('click')
    expect(w.emitted('close')).toEqual([['cancelled']])
  })
})
