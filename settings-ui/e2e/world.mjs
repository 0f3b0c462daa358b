// The portal and opdesk set up for the browser tests and benchmarks the way a customer sets them
// up: through opdesk's settings API as the Supervisor (user 1, who installed the app) and the
// vendor admin API, with CRM records added to the emulated portal through /_emu/seed. Nothing
// here writes to opdesk's database or answers for opdesk.
//
// What it makes (once per stack; world(stack) returns the same promise again):
// - the plan 'standard' paid far ahead (7 seats), so a second and third user can hold roles;
// - CRM: the seeded contact 1 «Иван Клиентов» (+79001234567) gets an open deal «Поставка»; a lead
//   with its own number; a contact whose data is HTML and script payloads, with its own number;
// - two published scripts, «Входящий» (a → b | c, b asks for the contact's NAME) and «Исходящий»;
// - buttons «Итог звонка» (comment, callback, meeting, task, deal stage) and «Лид в работу» (lead
//   status, task);
// - the role «Оператор» (keep-open, client fields of every entity, both buttons and scripts),
//   given to user 2 (Борис Операторов). User 3 (Вера Менеджерова) holds no role.
import assert from 'node:assert/strict'

export const xss = '<img src=x onerror="top.__pwned=1"><script>top.__pwned=2</script>'
export const phones = {
  client: '+79001234567',
  lead: '+79005550101',
  xss: '+79007770011'
}
export const farAhead = '2099-12-31'

const worlds = new WeakMap()

export function world(stack) {
  if (!worlds.has(stack)) worlds.set(stack, build(stack))
  return worlds.get(stack)
}

// A settings call as the Supervisor that must answer `status`; returns the body.
export async function settings(stack, method, path, body, status) {
  const r = await stack.api(method, path, body, { user: 1 })
  const want = status ?? (method === 'POST' ? 201 : 200)
  assert.equal(r.status, want, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

export async function setPlan(stack, plan, until) {
  const r = await stack.admin('PUT', `/api/admin/tenants/${stack.memberId}/plan`, { plan, until })
  assert.equal(r.status, 200, `plan ${plan} until ${until} → ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

export async function giveRole(stack, userId, roleId) {
  return settings(stack, 'PUT', `/api/settings/users/${userId}`, { role_id: roleId })
}

export async function publishScript(stack, name, startStep, steps) {
  const created = await settings(stack, 'POST', '/api/settings/scripts', {
    name,
    draft: { start_step: startStep, steps: steps.map((s) => ({ hint: '', x: 0, y: 0, fields: [], next: [], ...s })) }
  })
  const published = await settings(stack, 'POST', `/api/settings/scripts/${created.id}/publish`, { version: created.version }, 200)
  return { id: created.id, version: published.published_version }
}

export async function createButton(stack, button) {
  return (await settings(stack, 'POST', '/api/settings/buttons', button)).id
}

// Reads a role and writes it back with `changes` (a PUT replaces the whole role).
export async function updateRole(stack, roleId, changes) {
  const role = await settings(stack, 'GET', `/api/settings/roles/${roleId}`)
  return settings(stack, 'PUT', `/api/settings/roles/${roleId}`, { ...role, ...changes })
}

// The emulator's CRM and requests.
export async function crmState(stack) {
  return stack.control('GET', '/_emu/state')
}

// The sequence number of the emulator's newest request: requestsSince(mark) lists what came after.
export async function requestMark(stack) {
  const { requests } = await stack.control('GET', '/_emu/requests')
  return requests.length === 0 ? 0 : requests[requests.length - 1].seq
}

export async function requestsSince(stack, mark, method) {
  const { requests } = await stack.control('GET', '/_emu/requests')
  return requests.filter((r) => r.seq > mark && (method === undefined || r.rest_method === method))
}

const clientFields = [
  { entity: 'contact', code: 'NAME' },
  { entity: 'contact', code: 'LAST_NAME' },
  { entity: 'contact', code: 'PHONE' },
  { entity: 'contact', code: 'EMAIL' },
  { entity: 'contact', code: 'COMMENTS' },
  { entity: 'company', code: 'TITLE' },
  { entity: 'deal', code: 'OPPORTUNITY' },
  { entity: 'lead', code: 'TITLE' },
  { entity: 'lead', code: 'NAME' }
]

async function build(stack) {
  await setPlan(stack, 'standard', farAhead)

  const seeded = await stack.control('POST', '/_emu/seed', {
    deals: [{ TITLE: 'Поставка', CONTACT_ID: '1', OPPORTUNITY: '1500', CATEGORY_ID: '0', STAGE_ID: 'NEW', ASSIGNED_BY_ID: '3' }],
    leads: [{ TITLE: 'Заявка с сайта', NAME: 'Пётр', PHONE: [{ VALUE: phones.lead, VALUE_TYPE: 'WORK' }], STATUS_ID: 'NEW' }],
    contacts: [{ NAME: xss, LAST_NAME: xss, COMMENTS: xss, PHONE: [{ VALUE: phones.xss, VALUE_TYPE: 'WORK' }] }]
  })
  const deal = seeded.deals.find((d) => d.TITLE === 'Поставка')
  const lead = seeded.leads.find((l) => l.TITLE === 'Заявка с сайта')
  const xssContact = seeded.contacts.find((c) => c.NAME === xss)

  const incoming = await publishScript(stack, 'Входящий', 'a', [
    { id: 'a', title: 'Приветствие', hint: 'Назовите компанию и своё имя.', next: ['b', 'c'] },
    { id: 'b', title: 'Потребность', hint: 'Уточните, как зовут клиента.', fields: [{ entity: 'contact', code: 'NAME', editable: true }] },
    { id: 'c', title: 'Отказ', hint: 'Поблагодарите за звонок.' }
  ])
  const outgoing = await publishScript(stack, 'Исходящий', 'x', [
    { id: 'x', title: 'Представиться', next: ['y'] },
    { id: 'y', title: 'Предложение' }
  ])

  const result = await createButton(stack, {
    name: 'Итог звонка',
    color: '#ff5752',
    actions: [
      { kind: 'comment', text: '' },
      { kind: 'callback', deadline: '{now+1d 10:00}', text: 'Перезвонить {client.name}' },
      { kind: 'meeting', deadline: '{now+2d 15:00}', text: 'Встреча в офисе' },
      { kind: 'task', title: 'КП для {client.name}', description: 'Сделка {deal.title}', deadline: '{now+3d 18:00}', responsible: 'client_responsible' },
      { kind: 'deal_stage', category_id: '0', stage_id: 'PREPARATION' }
    ]
  })
  const leadButton = await createButton(stack, {
    name: 'Лид в работу',
    color: '#2fc6f6',
    actions: [
      { kind: 'lead_status', status_id: 'IN_PROCESS' },
      { kind: 'task', title: 'Перезвонить {client.name}', description: '', deadline: '', responsible: 'operator' }
    ]
  })

  const role = await settings(stack, 'POST', '/api/settings/roles', {
    name: 'Оператор',
    keep_card_open: true,
    may_manage_settings: false,
    client_fields: clientFields,
    button_ids: [result, leadButton],
    script_ids: [incoming.id, outgoing.id]
  })
  await giveRole(stack, '2', role.id)

  return {
    role: role.id,
    clientFields,
    deal: deal.ID,
    lead: lead.ID,
    xssContact: xssContact.ID,
    scripts: { incoming, outgoing },
    buttons: { result, lead: leadButton }
  }
}
