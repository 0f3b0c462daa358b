// Answers for /api/callcard/* shaped exactly like docs/API.md, for browser tests of the page
// itself (real shell, session and bridge; the call card endpoints stubbed in the browser).
export const xss = '<img src=x onerror="top.__pwned=1">'

export function context(over = {}) {
  return {
    user: { id: '2', name: 'Борис Операторов' },
    access: { state: 'ok' },
    role: { id: 'r1', name: 'Оператор', keep_card_open: false },
    call: { call_id: 'externalCall.browser.1', phone: '+79001234567', direction: 'incoming', line: '+74950000000' },
    matches: [{ entity: 'contact', id: '7', title: 'Иван Петров' }],
    buttons: [{ id: 'b1', name: 'Перезвонить', color: '#ff5752', actions: [{ kind: 'callback' }] }],
    scripts: [{ id: 's1', name: 'Входящий', version: 2 }],
    ...over
  }
}

export function contact(over = {}) {
  return {
    entity: 'contact',
    id: '7',
    title: 'Иван Петров',
    fields: [
      { entity: 'contact', code: 'NAME', label: 'Имя', type: 'string', editable: true, value: 'Иван' },
      { entity: 'contact', code: 'PHONE', label: 'Телефон', type: 'phone', multiple: true, editable: true, value: [{ id: '41', value: '+79001234567', value_type: 'WORK' }] },
      { entity: 'contact', code: 'SOURCE_ID', label: 'Источник', type: 'crm_status', editable: true, items: [{ id: 'CALL', value: 'Звонок' }, { id: 'WEB', value: 'Сайт' }], value: 'CALL' },
      { entity: 'contact', code: 'BIRTHDATE', label: 'Дата рождения', type: 'date', editable: true, value: '1990-05-01T00:00:00+03:00' },
      { entity: 'contact', code: 'ID', label: 'ID', type: 'integer', editable: false, value: 7 }
    ],
    ...over
  }
}

export const script = {
  id: 's1',
  name: 'Входящий',
  version: 2,
  start_step: 'a',
  steps: [
    { id: 'a', title: 'Приветствие', hint: 'Назовите компанию и своё имя.', fields: [], next: ['b', 'c'] },
    { id: 'b', title: 'Потребность', hint: '', fields: [{ entity: 'contact', code: 'NAME', editable: true }], next: [] },
    { id: 'c', title: 'Отказ', hint: '', fields: [], next: [] }
  ]
}

// Routes /api/callcard/* of `page` to `answers` ({"GET /api/callcard/context": value or fn}).
// Returns the list of requests seen.
export async function stubCallCardApi(page, answers) {
  const seen = []
  await page.route('**/api/callcard/**', async (route) => {
    const req = route.request()
    const url = new URL(req.url())
    const key = `${req.method()} ${url.pathname}`
    seen.push({ key, url, body: req.postDataJSON?.() ?? null })
    const match = Object.keys(answers)
      .filter((k) => key.startsWith(k))
      .sort((a, b) => b.length - a.length)[0]
    if (!match) {
      return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'NOT_FOUND', message: key } }) })
    }
    const a = answers[match]
    const value = typeof a === 'function' ? await a(req, url) : a
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(value) })
  })
  return seen
}
