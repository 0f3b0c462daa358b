// The reception wizard (FEATURES G1–G4) in the browser: the settings section «Приём обращений»
// saved through the page, and the wizard in the call card of a caller the CRM does not know —
// a transfer through the Mango emulator that succeeds, one that fails with Mango's code and goes
// on with another manager, a manager whose working day pauses while the wizard is open, an
// inquiry that becomes a lead with a task (Ctrl+Enter), and Esc asking before it cancels.
// The effects are checked where they land: the portal emulator's records, the Mango emulator's
// command log, opdesk's SQLite rows.
import assert from 'node:assert/strict'
import { fitFrame, openCallCard, until } from './harness.mjs'
import { open, settle } from './settings_helpers.mjs'
import { crmState, settings, world } from './world.mjs'

const salesSettings = {
  service_types: [
    { id: 'sales', name: 'Продажи' },
    { id: 'repair', name: 'Ремонт' }
  ],
  departments: [
    { department_id: '1', service_type_ids: ['sales'], all_users: true, manager_ids: [] },
    { department_id: '3', service_type_ids: ['repair'], all_users: false, manager_ids: ['1'] }
  ],
  inquiry_target: 'lead',
  transfer_method: 'blind'
}

// Stores the wizard's settings as the Supervisor (over whatever version is there).
async function setReception(stack, body = salesSettings) {
  const current = await settings(stack, 'GET', '/api/settings/reception')
  return settings(stack, 'PUT', '/api/settings/reception', { ...body, version: current.version })
}

// The VPBX connected and its webhooks pointed at opdesk (once per stack).
const connected = new WeakMap()
function connectMango(stack) {
  if (!connected.has(stack)) {
    connected.set(
      stack,
      (async () => {
        const m = await settings(stack, 'PUT', '/api/settings/mango', { api_key: stack.mango.key, api_salt: stack.mango.salt })
        await stack.mango.control('POST', '/_emu/config', { webhook_base: m.webhook_url, lockout_ms: 0 })
      })()
    )
  }
  return connected.get(stack)
}

// A call from `client` answered by 102 (user 2, the operator), talking for a while; resolves to
// the CRM call id opdesk registered for it once the operator's leg is connected.
async function talkingCall(stack, client) {
  await connectMango(stack)
  const { entry_id: entry } = await stack.mango.control('POST', '/_emu/scenario', {
    name: 'inbound_answered_after_ivr',
    speed: 3,
    line: '74951234567',
    client
  })
  let callId = ''
  // Registered in the CRM, and 102's leg of this very call talking as opdesk's own call data
  // says (an earlier test's call may still be talking on 102, so the managers' line state alone
  // does not tell).
  await until(
    'the call registered and talking',
    async () => {
      const row = stack.sql(`SELECT crm_call_id, state_json FROM calls WHERE entry_id = '${entry}'`)[0]
      callId = row?.crm_call_id ?? ''
      if (callId === '') return false
      const legs = JSON.parse(row.state_json).legs ?? []
      return legs.some((l) => l.extension === '102' && l.connected && !l.ended)
    },
    30_000
  )
  return { entry, callId }
}

async function openWizard(context, stack, use, phone, callId) {
  const { page, frame } = await openCallCard(context, stack, {
    userId: 2,
    placementOptions: { CALL_ID: callId, PHONE_NUMBER: phone },
    waitFor: '[data-testid="open-reception"]'
  })
  use(page)
  await frame.click('[data-testid="open-reception"]')
  await frame.waitForSelector('[data-testid="reception-wizard"]')
  return { page, frame }
}

async function chooseType(frame, id) {
  await frame.click(`[data-testid="service-types"] [data-type="${id}"]`)
  await frame.waitForSelector('[data-testid="managers"] li')
}

// The transfers the Mango emulator received, oldest first (their JSON payloads).
async function transfers(stack) {
  const { requests } = await stack.mango.control('GET', '/_emu/requests')
  return requests
    .filter((r) => r.path === 'commands/transfer')
    .map((r) => (typeof r.json === 'string' ? JSON.parse(r.json) : r.json))
}

const managerRows = (frame) =>
  frame.$$eval('[data-testid="managers"] li', (els) =>
    els.map((e) => ({ user: e.dataset.user, line: e.dataset.line, day: e.dataset.workDay }))
  )

const managerIds = (frame) => frame.$$eval('[data-testid="managers"] li', (els) => els.map((e) => e.dataset.user))

export const tests = [
  {
    name: 'the settings section saves service types, departments and managers',
    async run({ stack, context, use }) {
      await world(stack)
      await setReception(stack, { service_types: [], departments: [], inquiry_target: 'lead', transfer_method: 'blind' })
      const { page, frame } = await open(context, stack, use, '/reception', { waitFor: '[data-testid="departments"] [data-department="2"]' })
      assert.deepEqual(
        await frame.$$eval('[data-department]', (els) => els.map((e) => e.dataset.department)),
        ['1', '2', '3'],
        'the portal tree: the company, then its departments by SORT'
      )
      await frame.click('[data-testid="add-type"]')
      await frame.fill('[data-testid="type-name"] input, input[data-testid="type-name"]', 'Продажи')
      await frame.click('[data-testid="add-type"]')
      await frame.locator('[data-testid="type-name"] input, input[data-testid="type-name"]').nth(1).fill('Ремонт')
      const sales = frame.locator('[data-department="2"]')
      await sales.locator('input[data-serves]').first().check()
      const service = frame.locator('[data-department="3"]')
      await service.locator('input[data-serves]').nth(1).check()
      await service.locator('[data-testid="all-users"]').uncheck()
      // A chosen list must name someone: the server refuses, the page shows it at the department.
      await frame.click('[data-testid="save"]')
      await service.locator('[data-testid="department-error"]').waitFor()
      await service.locator('[data-testid="chosen"] input[data-user]').first().waitFor()
      assert.match(await service.locator('[data-testid="department-error"]').textContent(), /Выберите хотя бы одного сотрудника/)
      await service.locator('[data-testid="chosen"] input[data-user]').first().check()
      await frame.click('[data-testid="inquiry-target"] [data-value="deal"]')
      await frame.click('[data-testid="save"]')
      await frame.waitForSelector('[data-testid="saved"]')
      await settle(page, frame)
      const stored = await settings(stack, 'GET', '/api/settings/reception')
      assert.deepEqual(stored.service_types.map((t) => t.name), ['Продажи', 'Ремонт'])
      assert.equal(stored.inquiry_target, 'deal')
      const byId = Object.fromEntries(stored.departments.map((d) => [d.department_id, d]))
      assert.deepEqual(byId['2'].service_type_ids, [stored.service_types[0].id])
      assert.equal(byId['3'].all_users, false)
      assert.equal(byId['3'].manager_ids.length, 1)
      const audit = stack.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'reception.update' AND actor = 'user:1'")
      assert.ok(audit[0].n >= 2, 'every save is in the audit log')
    }
  },
  {
    name: 'the wizard transfers the unknown caller to a free manager and closes',
    async run({ stack, context, use }) {
      await world(stack)
      await setReception(stack)
      const phone = '+79005550301'
      const { callId } = await talkingCall(stack, '79005550301')
      const { page, frame } = await openWizard(context, stack, use, phone, callId)
      assert.equal(await frame.inputValue('[data-testid="reception-phone"] input, input[data-testid="reception-phone"]'), phone)
      await chooseType(frame, 'sales')
      // The operator (2) is talking, so they come last; Вера (3) and Анна (1) are free.
      await until('the operator last', async () => (await managerIds(frame)).at(-1) === '2')
      assert.equal(await frame.getAttribute('[data-testid="managers"] li[data-user="2"]', 'data-line'), 'talking')
      await frame.click('[data-testid="managers"] li[data-user="3"]')
      await frame.click('[data-testid="method"] [data-method="hold"]')
      await fitFrame(page)
      await frame.click('[data-testid="transfer"]')
      await frame.waitForSelector('[data-testid="reception-finished"]', { timeout: 20_000 })
      assert.match(await frame.textContent('[data-testid="reception-finished"]'), /Звонок переведён менеджеру Вера/)
      await fitFrame(page)
      await page.screenshot({ path: 'test-artifacts/reception--transfer-done.png', fullPage: true }).catch(() => {})
      // The wizard closes by itself and the card says what happened.
      await frame.waitForSelector('[data-testid="reception-outcome"]', { timeout: 10_000 })
      assert.equal(await frame.$('[data-testid="reception-wizard"]'), null)
      const mine = (await transfers(stack)).at(-1)
      assert.equal(mine.to_number, '103')
      assert.equal(mine.initiator, '102')
      assert.equal(mine.method, 'hold')
      assert.equal(stack.sql(`SELECT result FROM mango_commands WHERE command_id = '${mine.command_id}'`)[0].result, 1000)
    }
  },
  {
    name: 'a failed transfer says why in words and goes on with another manager',
    async run({ stack, context, use }) {
      await world(stack)
      await setReception(stack)
      const { callId } = await talkingCall(stack, '79005550302')
      const { page, frame } = await openWizard(context, stack, use, '+79005550302', callId)
      await chooseType(frame, 'sales')
      await stack.mango.control('POST', '/_emu/faults', { path: 'commands/transfer', code: 4100, async: true, count: 1 })
      await frame.click('[data-testid="managers"] li[data-user="3"]')
      // The list is refreshed every few seconds: accept only once the choice shows.
      await frame.waitForSelector('[data-testid="managers"] li[data-user="3"][aria-selected="true"]')
      await page.keyboard.press('Control+Enter')
      await frame.waitForSelector('[data-testid="transfer-failed"]', { timeout: 20_000 })
      assert.match(await frame.textContent('[data-testid="transfer-failed"]'), /Перевод невозможен для этого звонка сейчас/)
      assert.match(await frame.textContent('[data-testid="transfer-failed"]'), /Mango 4100/)
      await fitFrame(page)
      await page.screenshot({ path: 'test-artifacts/reception--transfer-failed.png', fullPage: true }).catch(() => {})
      await frame.click('[data-testid="another"]')
      await frame.click('[data-testid="managers"] li[data-user="1"]')
      await frame.click('[data-testid="transfer"]')
      await frame.waitForSelector('[data-testid="reception-finished"]', { timeout: 20_000 })
      assert.match(await frame.textContent('[data-testid="reception-finished"]'), /Анна/)
      assert.deepEqual((await transfers(stack)).slice(-2).map((t) => t.to_number), ['103', '101'])
    }
  },
  {
    name: 'a manager who pauses the working day moves down while the wizard is open',
    async run({ stack, context, use }) {
      await world(stack)
      await setReception(stack)
      const { page, frame } = await openWizard(context, stack, use, '+79005550303', 'externalCall.reception.none')
      await chooseType(frame, 'sales')
      // The first manager is free and at work (earlier tests' calls may still be talking).
      let first = ''
      await until(
        'a free manager at work first',
        async () => {
          const rows = await managerRows(frame)
          first = rows[0]?.user ?? ''
          return rows[0]?.line === 'free' && rows[0]?.day === 'opened'
        },
        30_000
      )
      await stack.control('POST', '/_emu/presence', { user_id: Number(first), status: 'PAUSED', online: false })
      try {
        // Their day pauses: the badge says so and everyone free and at work comes before them.
        await until(
          'the paused manager below the free ones at work',
          async () => {
            const rows = await managerRows(frame)
            const at = rows.findIndex((r) => r.user === first)
            return rows[at]?.day === 'paused' && rows.every((r, i) => !(r.line === 'free' && r.day === 'opened') || i < at)
          },
          20_000
        )
        assert.match(await frame.textContent(`li[data-user="${first}"]`), /Перерыв/)
        assert.match(await frame.textContent(`li[data-user="${first}"]`), /Не в сети/)
        assert.notEqual((await managerRows(frame))[0].user, first)
        await fitFrame(page)
      } finally {
        await stack.control('POST', '/_emu/presence', { user_id: Number(first), status: 'OPENED', online: true })
      }
    }
  },
  {
    name: 'the inquiry form becomes one lead with a task for the chosen manager (Ctrl+Enter)',
    async run({ stack, context, use }) {
      await world(stack)
      await setReception(stack)
      const { page, frame } = await openWizard(context, stack, use, '+79005550304', 'externalCall.reception.inquiry')
      await chooseType(frame, 'sales')
      await frame.click('[data-testid="managers"] li[data-user="3"]')
      await frame.click('[data-testid="to-inquiry"]')
      // The server names what is wrong; the form shows it by the field.
      await frame.fill('[data-testid="field-topic"] input, input[data-testid="field-topic"]', 'Монтаж котла')
      await frame.fill('[data-testid="field-email"] input, input[data-testid="field-email"]', 'не почта')
      await page.keyboard.press('Control+Enter')
      await frame.waitForSelector('[data-testid="error-email"]')
      assert.equal((await frame.textContent('[data-testid="error-email"]')).trim(), 'Это не похоже на адрес e-mail.')
      await frame.fill('[data-testid="field-email"] input, input[data-testid="field-email"]', 'oleg@teplo.ru')
      await frame.fill('[data-testid="field-todo"] textarea, textarea[data-testid="field-todo"]', 'Позвонить завтра утром')
      await frame.fill('[data-testid="field-name"] input, input[data-testid="field-name"]', 'Олег')
      await frame.fill('[data-testid="field-company"] input, input[data-testid="field-company"]', 'ООО Тепло')
      await fitFrame(page)
      await page.screenshot({ path: 'test-artifacts/reception--inquiry-form.png', fullPage: true }).catch(() => {})
      await page.keyboard.press('Control+Enter')
      await page.keyboard.press('Control+Enter')
      await frame.waitForSelector('[data-testid="reception-finished"]', { timeout: 15_000 })
      assert.match(await frame.textContent('[data-testid="reception-finished"]'), /лид № \d+ для менеджера Вера/)
      const state = await crmState(stack)
      const leads = state.leads.filter((l) => l.TITLE === 'Монтаж котла')
      assert.equal(leads.length, 1, 'one lead however often Ctrl+Enter is pressed')
      assert.equal(leads[0].ASSIGNED_BY_ID, '3')
      assert.equal(leads[0].NAME, 'Олег')
      assert.equal(leads[0].COMPANY_TITLE, 'ООО Тепло')
      assert.match(leads[0].COMMENTS, /Позвонить завтра утром/)
      const tasks = state.tasks.filter((t) => String(t.title).includes('Монтаж котла'))
      assert.equal(tasks.length, 1)
      assert.equal(String(tasks[0].responsibleId), '3')
    }
  },
  {
    name: 'Esc asks before cancelling the wizard',
    async run({ stack, context, use }) {
      await world(stack)
      await setReception(stack)
      const { page, frame } = await openWizard(context, stack, use, '+79005550305', 'externalCall.reception.esc')
      await chooseType(frame, 'sales')
      await page.keyboard.press('Escape')
      await frame.waitForSelector('[data-testid="reception-confirm"]')
      assert.match(await frame.textContent('[data-testid="reception-confirm"]'), /Отменить приём обращения\?/)
      await fitFrame(page)
      await page.screenshot({ path: 'test-artifacts/reception--esc-confirm.png', fullPage: true }).catch(() => {})
      await frame.click('[data-testid="confirm-no"]')
      assert.equal(await frame.$('[data-testid="reception-confirm"]'), null)
      assert.notEqual(await frame.$('[data-testid="reception-wizard"]'), null, 'still open')
      await page.keyboard.press('Escape')
      await frame.click('[data-testid="confirm-yes"]')
      await frame.waitForSelector('[data-testid="reception-outcome"]')
      assert.equal(await frame.$('[data-testid="reception-wizard"]'), null)
      assert.match(await frame.textContent('[data-testid="reception-outcome"]'), /отменён/)
      assert.notEqual(await frame.$('[data-testid="open-reception"]'), null, 'it can be opened again')
    }
  }
]
