// The call card as the operator meets it, with only the API client faked (test/fakeApi.ts).
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../shared/api'
import { makeI18n, provideKitLocale } from '../shared/i18n'
import { parsePlacement } from '../shared/placement'
import { fakeApi, type FakeApi } from '../test/fakeApi'
import { fakeBridge } from '../test/fakeBridge'
import { CallCardApi } from './api'
import CallCard from './CallCard.vue'
import { messages } from './messages'
import type { CallContext, Script, Section } from './types'

const xss = '<img src=x onerror="window.__pwned=1">'

function context(over: Partial<CallContext> = {}): CallContext {
  return {
    user: { id: '2', name: 'Борис' },
    access: { state: 'ok' },
    role: { id: 'r1', name: 'Оператор', keep_card_open: false },
    call: { call_id: 'c1', phone: '+79001234567', direction: 'incoming', line: '' },
    matches: [{ entity: 'contact', id: '7', title: 'Иван Петров' }],
    buttons: [],
    scripts: [],
    ...over
  }
}

function contactSection(over: Partial<Section> = {}): Section {
  return {
    entity: 'contact',
    id: '7',
    title: 'Иван Петров',
    fields: [
      { entity: 'contact', code: 'NAME', label: 'Имя', type: 'string', editable: true, value: 'Иван' },
      {
        entity: 'contact',
        code: 'EMAIL',
        label: 'E-mail',
        type: 'email',
        multiple: true,
        editable: true,
        value: [{ id: '41', value: 'ivan@example.com', value_type: 'WORK' }]
      },
      { entity: 'contact', code: 'ID', label: 'ID', type: 'integer', editable: false, value: 7 }
    ],
    ...over
  }
}

const script: Script = {
  id: 's1',
  name: 'Продажа',
  version: 3,
  start_step: 'a',
  steps: [
    { id: 'a', title: 'Приветствие', hint: 'Здравствуйте!', fields: [], next: ['b', 'c'] },
    {
      id: 'b',
      title: 'Интерес',
      hint: '',
      fields: [
        { entity: 'contact', code: 'NAME', editable: true },
        { entity: 'contact', code: 'ID', editable: false }
      ],
      next: []
    },
    { id: 'c', title: 'Отказ', hint: '', fields: [], next: [] }
  ]
}

let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.useRealTimers()
})

async function open(api: FakeApi, options: Record<string, unknown> = {}, lang: 'ru' | 'en' = 'ru') {
  const bridge = fakeBridge()
  const placement = parsePlacement({ CALL_ID: 'c1', PHONE_NUMBER: '+79001234567', ...options })
  wrapper = mount(CallCard, {
    props: {
      api: new CallCardApi(api, placement),
      bridge,
      placement,
      pollMs: 60
    },
    global: {
      plugins: [makeI18n(lang, messages), { install: (app) => provideKitLocale(app, lang) }]
    },
    attachTo: document.body
  })
  await flushPromises()
  return { wrapper, bridge }
}

function byTest(w: VueWrapper, id: string) {
  return w.findAll(`[data-testid="${id}"]`)
}

describe('Client tab', () => {
  it('lets the operator choose when several records match, then loads the chosen one', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context({
        matches: [
          { entity: 'contact', id: '7', title: 'Иван Петров' },
          { entity: 'lead', id: '3', title: 'Заявка с сайта' }
        ]
      }))
      .on('GET', '/api/callcard/client', (_b, path) =>
        path.includes('entity=lead')
          ? { sections: [{ entity: 'lead', id: '3', title: 'Заявка с сайта', fields: [] }] }
          : { sections: [contactSection()] }
      )
    const { wrapper: w } = await open(api)
    const choices = byTest(w, 'match')
    expect(choices.map((c) => c.text())).toEqual(['Контакт: Иван Петров', 'Лид: Заявка с сайта'])
    expect(api.calls.some((c) => c.path.startsWith('/api/callcard/client'))).toBe(false)
    await choices[1]!.trigger('click')
    await flushPromises()
    const clientCalls = api.calls.filter((c) => c.path.startsWith('/api/callcard/client'))
    expect(clientCalls.at(-1)?.path).toBe('/api/callcard/client?entity=lead&id=3')
    expect(w.text()).toContain('Лид: Заявка с сайта')
  })

  it('shows the client’s history under the fields, a page at a time', async () => {
    const page = (n: number, more: boolean) => ({
      page: n,
      more,
      items:
        n === 1
          ? [
              { kind: 'call', id: '501', at: '2026-12-03T11:00:00', direction: 'outgoing', subject: '',
                user: { id: '2', name: 'Борис' }, outcome: 'missed', status_code: '304',
                duration_s: 0, recording_url: null },
              { kind: 'call', id: '500', at: '2026-12-02T10:00:00', direction: 'incoming', subject: '',
                user: null, outcome: 'answered', status_code: '200', duration_s: 185,
                recording_url: 'https://portal.example/r/500.mp3' },
              { kind: 'activity', id: '7', at: '2026-12-01T09:00:00', activity_kind: 'todo',
                subject: 'Перезвонить', deadline: null, completed: true, user: null }
            ]
          : [{ kind: 'comment', id: '3', at: '2026-11-30T09:00:00', text: 'Просил КП', user: null }],
      deals:
        n === 1
          ? [{ id: '9', at: '', title: 'Поставка', category_id: '0', stage_id: 'NEW',
               stage_name: 'Новая', stage_semantics: '', pipeline_name: 'Общая',
               opportunity: '1500', currency: 'RUB', closed: false }]
          : []
    })
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context({ matches: [{ entity: 'contact', id: '7', title: 'Иван' }] }))
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
      .on('GET', '/api/callcard/history', (_b, path) => page(path.includes('page=2') ? 2 : 1, !path.includes('page=2')))
    const { wrapper: w } = await open(api)
    expect(api.calls.some((c) => c.path === '/api/callcard/history?entity=contact&id=7&page=1')).toBe(true)
    const items = byTest(w, 'history-item')
    expect(items).toHaveLength(3)
    expect(items[0]!.text()).toContain('Исходящий звонок')
    expect(items[0]!.text()).toContain('пропущен')
    expect(items[1]!.text()).toContain('разговор 3 мин 5 с')
    expect(byTest(w, 'recording')[0]!.attributes('href')).toBe('https://portal.example/r/500.mp3')
    expect(byTest(w, 'deal-stage')[0]!.text()).toBe('Новая')
    await byTest(w, 'history-more')[0]!.trigger('click')
    await flushPromises()
    expect(byTest(w, 'history-item')).toHaveLength(4)
    expect(w.text()).toContain('Просил КП')
    expect(byTest(w, 'history-more')).toHaveLength(0)
  })

  it('takes the record the portal bound the call to without asking', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context({
        matches: [
          { entity: 'contact', id: '7', title: 'Иван Петров' },
          { entity: 'lead', id: '3', title: 'Заявка' }
        ]
      }))
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
    const { wrapper: w } = await open(api, { CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: '7' })
    expect(byTest(w, 'chooser')).toHaveLength(0)
    expect(w.find('[data-field="NAME"] input').element).toHaveProperty('value', 'Иван')
  })

  it('says so when no record matches the number', async () => {
    const api = fakeApi().on('GET', '/api/callcard/context', context({ matches: [] }))
    const { wrapper: w } = await open(api)
    expect(byTest(w, 'no-match')[0]?.text()).toBe('Клиент с номером +79001234567 не найден в CRM.')
  })

  it('saves only what changed and shows a refusal next to the field it names', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context())
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
      .on('PUT', '/api/callcard/client', new ApiError(400, 'INVALID_ARGUMENT', 'Адрес уже есть у другого контакта', 'EMAIL'))
    const { wrapper: w } = await open(api)
    await w.find('[data-field="EMAIL"] input').setValue('petr@example.com')
    await w.find('form').trigger('submit')
    await flushPromises()
    const put = api.calls.find((c) => c.method === 'PUT')
    expect(put?.body).toEqual({
      entity: 'contact',
      id: '7',
      values: { EMAIL: [{ id: '41', value: 'petr@example.com', value_type: 'WORK' }] }
    })
    expect(w.find('[data-field="EMAIL"] .field-error').text()).toBe('Адрес уже есть у другого контакта')
    expect(w.find('[data-field="NAME"] .field-error').exists()).toBe(false)
  })

  it('checks required fields, e-mails and numbers before asking the CRM', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context())
      .on('GET', '/api/callcard/client', {
        sections: [contactSection({
          fields: [
            { entity: 'contact', code: 'NAME', label: 'Имя', type: 'string', required: true, editable: true, value: 'Иван' },
            { entity: 'contact', code: 'EMAIL', label: 'E-mail', type: 'email', multiple: true, editable: true, value: [] },
            { entity: 'contact', code: 'AGE', label: 'Возраст', type: 'integer', editable: true, value: null }
          ]
        })]
      })
    const { wrapper: w } = await open(api)
    await w.find('[data-field="NAME"] input').setValue('')
    await w.find('[data-field="EMAIL"] [data-testid="add-item"]').trigger('click')
    await w.find('[data-field="EMAIL"] input').setValue('ivan-at-example')
    await w.find('[data-field="AGE"] input').setValue('2.5')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[data-field="NAME"] .field-error').text()).toBe('Заполните это поле.')
    expect(w.find('[data-field="EMAIL"] .field-error').text()).toBe('Это не похоже на адрес e-mail.')
    expect(w.find('[data-field="AGE"] .field-error').text()).toBe('Введите целое число.')
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false)
  })

  it('shows the saved record and marks locked fields with a lock', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context())
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
      .on('PUT', '/api/callcard/client', (body) => {
        const b = body as { values: { NAME: string } }
        return contactSection({ title: b.values.NAME })
      })
    const { wrapper: w } = await open(api)
    expect(w.find('[data-field="ID"] [data-testid="lock"]').exists()).toBe(true)
    expect(w.find('[data-field="ID"] input').exists()).toBe(false)
    await w.find('[data-field="NAME"] input').setValue('Пётр')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.text()).toContain('Контакт: Пётр')
    expect(byTest(w, 'saved')).toHaveLength(1)
  })

  it('reloads when the portal reports CallCard::EntityChanged', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context())
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
    const { bridge } = await open(api)
    const before = api.calls.filter((c) => c.path.startsWith('/api/callcard/context')).length
    api.on('GET', '/api/callcard/context', context({ matches: [{ entity: 'company', id: '9', title: 'ООО Ромашка' }] }))
    api.on('GET', '/api/callcard/client', { sections: [{ entity: 'company', id: '9', title: 'ООО Ромашка', fields: [] }] })
    bridge.emitEntityChanged({ PHONE_NUMBER: '+79001234567', CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 9 })
    await flushPromises()
    const contexts = api.calls.filter((c) => c.path.startsWith('/api/callcard/context'))
    expect(contexts.length).toBe(before + 1)
    expect(contexts.at(-1)?.path).toContain('entity=company&entity_id=9')
    expect(wrapper!.text()).toContain('Компания: ООО Ромашка')
  })
})

describe('Script tab', () => {
  function scriptApi() {
    return fakeApi()
      .on('GET', '/api/callcard/context', context({ scripts: [{ id: 's1', name: 'Продажа', version: 3 }] }))
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
      .on('GET', '/api/callcard/scripts/s1', script)
      .on('POST', '/api/callcard/runs', { run_id: 'run1' })
      .on('PUT', '/api/callcard/runs/run1', { run_id: 'run1', saved_at_ms: 1 })
  }

  it('starts the only script without asking, with next-step buttons titled like the next steps', async () => {
    const api = scriptApi()
    const { wrapper: w } = await open(api)
    expect(byTest(w, 'script-chooser')).toHaveLength(0)
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Приветствие')
    expect(byTest(w, 'next-step').map((b) => b.text())).toEqual(['Интерес', 'Отказ'])
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/callcard/runs')?.body).toEqual({
      call_id: 'c1',
      script_id: 's1',
      version: 3,
      // F2: the number and the client, for a script that saves the number into a field.
      phone: '+79001234567',
      entity: 'contact',
      entity_id: '7'
    })
  })

  it('asks which script when the role has several', async () => {
    const api = scriptApi().on(
      'GET',
      '/api/callcard/context',
      context({ scripts: [{ id: 's1', name: 'Продажа', version: 3 }, { id: 's2', name: 'Сервис', version: 1 }] })
    )
    const { wrapper: w } = await open(api)
    expect(byTest(w, 'script-option').map((b) => b.text())).toEqual(['Продажа', 'Сервис'])
    await byTest(w, 'script-option')[0]!.trigger('click')
    await flushPromises()
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Приветствие')
  })

  it('goes forward and back one step, stores the path, and keeps the place across tab switches', async () => {
    const api = scriptApi()
    const { wrapper: w } = await open(api)
    await byTest(w, 'next-step')[0]!.trigger('click')
    await flushPromises()
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Интерес')
    // Step fields: NAME editable, ID locked.
    expect(w.find('[data-testid="script-tab"] [data-field="NAME"] input').exists()).toBe(true)
    expect(w.find('[data-testid="script-tab"] [data-field="ID"] [data-testid="lock"]').exists()).toBe(true)

    const tabs = w.findAll('[role="tab"]')
    await tabs[0]!.trigger('mousedown')
    await tabs[0]!.trigger('click')
    await flushPromises()
    await tabs[1]!.trigger('mousedown')
    await tabs[1]!.trigger('click')
    await flushPromises()
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Интерес')

    await byTest(w, 'back')[0]!.trigger('click')
    await flushPromises()
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Приветствие')
    const saves = api.calls.filter((c) => c.method === 'PUT' && c.path === '/api/callcard/runs/run1')
    const last = saves.at(-1)?.body as { current_step: string; path: { step_id: string }[] }
    expect(last.current_step).toBe('a')
    expect(last.path.map((p) => p.step_id)).toEqual(['a', 'b', 'a'])
  })
})

describe('Buttons', () => {
  const button = { id: 'b1', name: 'Перезвонить', color: '#ff5752', actions: [{ kind: 'callback' }, { kind: 'comment' }] }
  function buttonApi() {
    return fakeApi()
      .on('GET', '/api/callcard/context', context({ buttons: [button] }))
      .on('GET', '/api/callcard/client', { sections: [contactSection()] })
      .on('POST', '/api/callcard/buttons/b1/preview', {
        actions: [
          { index: 0, kind: 'callback', summary: 'Перезвонить завтра в 10:00', deadline: '2030-01-02T10:00:00+03:00', editable: ['deadline', 'text'], text: 'Перезвонить' },
          { index: 1, kind: 'comment', summary: 'Комментарий в ленту', text: '', editable: ['text'] }
        ]
      })
  }

  it('shows the buttons in their colours', async () => {
    const { wrapper: w } = await open(buttonApi())
    const b = byTest(w, 'action-button')[0]!
    expect(b.text()).toBe('Перезвонить')
    expect(b.attributes('style')).toContain('background-color: #ff5752')
  })

  it('previews, lets the operator adjust time and text, runs and shows each result', async () => {
    let pressed = 0
    const api = buttonApi()
      .on('POST', '/api/callcard/buttons/b1/press', (body) => {
        pressed++
        return {
          press_id: (body as { press_id: string }).press_id,
          actions: [
            { index: 0, kind: 'callback', state: 'queued' },
            { index: 1, kind: 'comment', state: 'failed', error: 'ACCESS_DENIED: нет прав' }
          ]
        }
      })
      .on('GET', '/api/callcard/presses/', (_b, path) => ({
        press_id: path.split('/').at(-1),
        actions: [
          { index: 0, kind: 'callback', state: 'done' },
          { index: 1, kind: 'comment', state: 'failed', error: 'ACCESS_DENIED: нет прав' }
        ]
      }))
    const { wrapper: w } = await open(api)
    await byTest(w, 'action-button')[0]!.trigger('click')
    await flushPromises()
    const dialog = () => document.querySelector('[data-testid="press-dialog"]') as HTMLElement
    expect(dialog().textContent).toContain('Перезвонить завтра в 10:00')
    const deadline = dialog().querySelector('[data-testid="edit-deadline"] input, input[data-testid="edit-deadline"]') as HTMLInputElement
    expect(deadline.value).toBe('2030-01-02T10:00')
    deadline.value = '2030-01-03T12:30'
    deadline.dispatchEvent(new Event('input'))
    const texts = dialog().querySelectorAll('textarea')
    ;(texts[1] as HTMLTextAreaElement).value = 'Клиент просил позже'
    texts[1]!.dispatchEvent(new Event('input'))
    await flushPromises()
    // The dialog follows queued actions on a timer (pollMs, 60 ms here): the clock is the test's,
    // so the follow-up look happens exactly when the test moves time, however busy the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const run = document.querySelector('[data-testid="run"]') as HTMLButtonElement
    run.click()
    run.click() // a double click
    await flushPromises()
    expect(pressed).toBe(1)
    const press = api.calls.find((c) => c.path === '/api/callcard/buttons/b1/press')?.body as Record<string, unknown>
    expect(press).toMatchObject({
      call_id: 'c1',
      entity: 'contact',
      entity_id: '7',
      phone: '+79001234567',
      overrides: [
        { index: 0, deadline: '2030-01-03T12:30' },
        { index: 1, text: 'Клиент просил позже' }
      ]
    })
    expect(String(press.press_id)).toMatch(/^[0-9a-f-]{36}$/)
    const states = () => Array.from(document.querySelectorAll('[data-testid="action-state"]'), (e) => e.textContent?.trim())
    expect(states()).toEqual(['В очереди', 'Ошибка'])
    expect(document.querySelector('[data-testid="action-error"]')?.textContent).toContain('ACCESS_DENIED: нет прав')
    const looks = () => api.calls.filter((c) => c.path === `/api/callcard/presses/${String(press.press_id)}`).length
    await vi.advanceTimersByTimeAsync(59)
    await flushPromises()
    expect(looks()).toBe(0)
    expect(states()).toEqual(['В очереди', 'Ошибка'])
    await vi.advanceTimersByTimeAsync(1)
    await flushPromises()
    expect(looks()).toBe(1)
    expect(states()).toEqual(['Готово', 'Ошибка'])
    // Nothing is queued any more: the dialog stops looking.
    await vi.advanceTimersByTimeAsync(600)
    await flushPromises()
    expect(looks()).toBe(1)
  })

  it('uses one press_id per dialog: a resend reuses it, a new dialog makes a new one', async () => {
    const ids: string[] = []
    const api = buttonApi().on('POST', '/api/callcard/buttons/b1/press', (body) => {
      ids.push((body as { press_id: string }).press_id)
      if (ids.length === 1) return new ApiError(503, 'UNAVAILABLE', 'try again')
      return { press_id: ids.at(-1), actions: [{ index: 0, kind: 'callback', state: 'done' }, { index: 1, kind: 'comment', state: 'done' }] }
    })
    const { wrapper: w } = await open(api)
    await byTest(w, 'action-button')[0]!.trigger('click')
    await flushPromises()
    const first = document.querySelector('[data-testid="press-dialog"]')?.getAttribute('data-press-id')
    ;(document.querySelector('[data-testid="run"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="press-error"]')?.textContent).toContain('try again')
    ;(document.querySelector('[data-testid="run"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(ids).toEqual([first, first])
    ;(document.querySelector('[data-testid="close"]') as HTMLButtonElement).click()
    await flushPromises()
    await byTest(w, 'action-button')[0]!.trigger('click')
    await flushPromises()
    const second = document.querySelector('[data-testid="press-dialog"]')?.getAttribute('data-press-id')
    expect(second).toBeTruthy()
    expect(second).not.toBe(first)
  })
})

describe('Keep open', () => {
  it('holds the card for roles with the flag and re-arms the hold', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context({ role: { id: 'r', name: 'Оператор', keep_card_open: true } }))
      .on('GET', '/api/callcard/client', { sections: [] })
    const { bridge, wrapper: w } = await open(api)
    expect(bridge.disableAutoClose).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(45_000)
    expect(bridge.disableAutoClose).toHaveBeenCalledTimes(2)
    await byTest(w, 'keep-open')[0]!.find('button').trigger('click')
    expect(bridge.enableAutoClose).toHaveBeenCalledTimes(1)
  })

  it('lets other roles’ cards close normally', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context())
      .on('GET', '/api/callcard/client', { sections: [] })
    const { bridge } = await open(api)
    expect(bridge.disableAutoClose).not.toHaveBeenCalled()
  })
})

describe('No seat', () => {
  it('explains a blocked seat in Russian and names the supervisors with a link for them', async () => {
    const api = fakeApi().on('GET', '/api/callcard/context', {
      user: { id: '5', name: 'Вера' },
      access: {
        state: 'blocked',
        supervisors: [{ id: '1', name: 'Анна Админова' }, { id: '3', name: 'Глеб Главный' }],
        settings_url: 'https://portal.bitrix24.ru/marketplace/app/opdesk/'
      }
    })
    const { wrapper: w } = await open(api)
    const page = byTest(w, 'no-seat')[0]!
    expect(page.text()).toContain('Ваше место в opdesk заблокировано')
    expect(byTest(w, 'supervisors')[0]?.findAll('li').map((l) => l.text())).toEqual(['Анна Админова', 'Глеб Главный'])
    expect(byTest(w, 'settings-link')[0]?.attributes('href')).toBe('https://portal.bitrix24.ru/marketplace/app/opdesk/')
    expect(api.calls.map((c) => c.path.split('?')[0])).toEqual(['/api/callcard/context'])
  })

  it('explains a missing role, and never links to a non-web address', async () => {
    const api = fakeApi().on('GET', '/api/callcard/context', {
      user: { id: '5', name: 'Вера' },
      access: { state: 'no_role', supervisors: [], settings_url: 'javascript:alert(1)' }
    })
    const { wrapper: w } = await open(api)
    expect(w.text()).toContain('У вас нет роли в opdesk')
    expect(w.text()).toContain('обратитесь к администратору портала')
    expect(byTest(w, 'settings-link')).toHaveLength(0)
  })
})

describe('Script bindings, pinned block and field tags (F1)', () => {
  const tagged: Script = {
    id: 's2',
    name: 'Входящий',
    version: 4,
    start_step: 'a',
    steps: [
      { id: 'a', title: 'Приветствие', hint: 'Здравствуйте, {{CONTACT.NAME}}! Я {{EMPLOYEE.NAME}}.', fields: [], next: ['b'] },
      { id: 'b', title: 'Потребность', hint: 'Сделка: {{DEAL.TITLE}}', fields: [], next: ['c'] },
      { id: 'c', title: 'Итог', hint: 'Спасибо', fields: [], next: [] },
      { id: 'p', title: 'Памятка', hint: 'Говорите с {{CONTACT.NAME}} вежливо', fields: [], next: [], common: true, pinned: true }
    ]
  }

  function taggedApi(name: string) {
    return fakeApi()
      .on('GET', '/api/callcard/context', context({
        scripts: [
          { id: 's2', name: 'Входящий', version: 4, call_type: 'incoming', deal_type: '', fits: true },
          { id: 's1', name: 'Продажа', version: 3, call_type: 'any', deal_type: '', fits: true }
        ],
        chosen_script_id: 's2'
      }))
      .on('GET', '/api/callcard/client', { sections: [contactSection({ fields: [
        { entity: 'contact', code: 'NAME', label: 'Имя', type: 'string', editable: true, value: name }
      ] })] })
      .on('GET', '/api/callcard/scripts/s2', tagged)
      .on('POST', '/api/callcard/runs', { run_id: 'r2' })
      .on('PUT', '/api/callcard/runs/r2', {})
  }

  it('opens the script the bindings chose although the role has several', async () => {
    const { wrapper: w } = await open(taggedApi('Иван'))
    expect(byTest(w, 'script-chooser')).toHaveLength(0)
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Приветствие')
  })

  it('replaces tags with the client’s and the operator’s values, an empty one by a placeholder', async () => {
    const { wrapper: w } = await open(taggedApi('Иван'))
    expect(byTest(w, 'step-hint')[0]?.text()).toBe('Здравствуйте, Иван! Я Борис.')
    await byTest(w, 'next-step')[0]!.trigger('click')
    await flushPromises()
    // No deal loaded: a visible placeholder, never the raw tag.
    const hint = byTest(w, 'step-hint')[0]!
    expect(hint.text()).toBe('Сделка: [название сделки]')
    expect(hint.text()).not.toContain('{{')
    expect(hint.find('.tag-empty').exists()).toBe(true)
  })

  it('keeps the pinned block above the current step at every step', async () => {
    const { wrapper: w } = await open(taggedApi('Иван'))
    for (const next of [null, 'Потребность', 'Итог']) {
      if (next) {
        await byTest(w, 'next-step').find((b) => b.text() === next)!.trigger('click')
        await flushPromises()
      }
      const block = byTest(w, 'pinned-block')
      expect(block).toHaveLength(1)
      expect(block[0]!.text()).toContain('Говорите с Иван вежливо')
      // Above the step: it comes first in the tab.
      const html = byTest(w, 'script-tab')[0]!.html()
      expect(html.indexOf('data-testid="pinned-block"')).toBeLessThan(html.indexOf('data-testid="step-title"'))
    }
    // On the pinned step itself, it is the step, not a block above it.
    await byTest(w, 'common-step').find((b) => b.text() === 'Памятка')!.trigger('click')
    await flushPromises()
    expect(byTest(w, 'pinned-block')).toHaveLength(0)
    expect(byTest(w, 'step-title')[0]?.text()).toBe('Памятка')
  })

  it('inserts a value holding markup as text', async () => {
    const evil = '<script>window.__pwned=2</script><b>x</b>'
    const { wrapper: w } = await open(taggedApi(evil))
    const hint = byTest(w, 'step-hint')[0]!
    expect(hint.text()).toBe(`Здравствуйте, ${evil}! Я Борис.`)
    expect(hint.find('script').exists()).toBe(false)
    expect(hint.find('b').exists()).toBe(false)
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })
})

describe('Untrusted text', () => {
  it('renders HTML in CRM data, script text and button names as text', async () => {
    const api = fakeApi()
      .on('GET', '/api/callcard/context', context({
        matches: [{ entity: 'contact', id: '7', title: xss }],
        buttons: [{ id: 'b1', name: xss, color: 'red;background:url(https://evil)', actions: [] }],
        scripts: [{ id: 's1', name: xss, version: 1 }]
      }))
      .on('GET', '/api/callcard/client', {
        sections: [contactSection({
          title: xss,
          fields: [{ entity: 'contact', code: 'COMMENTS', label: xss, type: 'string', editable: false, value: xss }]
        })]
      })
      .on('GET', '/api/callcard/scripts/s1', {
        ...script,
        name: xss,
        steps: [{ id: 'a', title: xss, hint: xss, fields: [], next: ['b'] }, { id: 'b', title: xss, hint: '', fields: [], next: [] }]
      })
      .on('POST', '/api/callcard/runs', { run_id: 'r' })
      .on('PUT', '/api/callcard/runs/r', {})
    const { wrapper: w } = await open(api)
    expect(document.querySelector('img')).toBeNull()
    expect(w.text()).toContain(xss)
    expect(byTest(w, 'step-title')[0]?.text()).toBe(xss)
    expect(byTest(w, 'step-hint')[0]?.text()).toBe(xss)
    expect(byTest(w, 'next-step')[0]?.text()).toBe(xss)
    expect(byTest(w, 'action-button')[0]?.text()).toBe(xss)
    expect(byTest(w, 'action-button')[0]?.attributes('style')).not.toContain('evil')
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })
})

describe('Language', () => {
  it('speaks English on English portals', async () => {
    const api = fakeApi().on('GET', '/api/callcard/context', context({ matches: [] }))
    const { wrapper: w } = await open(api, {}, 'en')
    expect(w.text()).toContain('No client with the number +79001234567 was found in the CRM.')
    expect(w.findAll('[role="tab"]').map((t) => t.text())).toEqual(['Client', 'Script'])
  })
})
