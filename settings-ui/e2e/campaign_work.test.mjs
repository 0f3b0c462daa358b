// The operator's work page (/campaigns/:id/work) in the browser against the real opdesk, the
// portal emulator and the Mango emulator: «Приступить к работе» hands out a contact, the task's
// pinned script version is shown (not the one published after the start), click-to-call connects
// through Mango, «Перезвонить» with a time is saved and the next contact follows; in list mode a
// contact another operator took meanwhile is refused with a clear message.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { uiDir } from './harness.mjs'
import { open, settle, text, texts } from './settings_helpers.mjs'
import { giveRole, publishScript, settings, world } from './world.mjs'

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

// A running task worked by `employees` over `numbers`, with a script whose version 1 is pinned
// and a version 2 published after the start.
async function runningTask(stack, name, employees, numbers) {
  const script = await publishScript(stack, `Скрипт ${name}`, 'hello', [
    { id: 'hello', title: 'Приветствие', hint: 'Версия 1: представьтесь и назовите акцию.', next: ['offer'] },
    { id: 'offer', title: 'Предложение', hint: 'Расскажите об акции.' }
  ])
  const task = await settings(stack, 'POST', '/api/campaigns', { name, script_id: script.id, employee_ids: employees })
  // The import takes the list itself as the body, not JSON.
  const imported = await fetch(`${stack.opdeskUrl}/api/campaigns/${task.id}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.sessionOf(1)}`, 'content-type': 'text/plain' },
    body: numbers.join('\n')
  })
  assert.equal(imported.status, 200, await imported.text())
  await settings(stack, 'POST', `/api/campaigns/${task.id}/state`, { state: 'running', version: task.version }, 200)
  const current = await settings(stack, 'GET', `/api/settings/scripts/${script.id}`)
  const draft = { ...current.draft, steps: current.draft.steps.map((s) => (s.id === 'hello' ? { ...s, hint: 'Версия 2: не показывать.' } : s)) }
  const saved = await settings(stack, 'PUT', `/api/settings/scripts/${script.id}`, { name: current.name, description: current.description, draft, version: current.version }, 200)
  await settings(stack, 'POST', `/api/settings/scripts/${script.id}/publish`, { version: saved.version }, 200)
  return task.id
}

async function shot(page, name) {
  await page.screenshot({ path: join(uiDir, 'test-artifacts', `campaign-work--${name}.png`), fullPage: true })
}

export const tests = [
  {
    name: 'an operator starts work, runs the pinned script, calls, sets a callback and gets the next contact',
    async run({ stack, context, use }) {
      await world(stack)
      await connectMango(stack)
      const id = await runningTask(stack, 'Весна', ['2'], ['+79001230001', '+79001230002'])
      const { page, frame } = await open(context, stack, use, `/campaigns/${id}/work`, { userId: 2 })
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Работа по обзвону «Весна»')
      await frame.click('[data-testid="start"]')
      await frame.waitForSelector('[data-testid="contact"]')
      assert.equal(await text(frame, '[data-testid="contact-phone"]'), '+79001230001')
      assert.equal(await text(frame, '[data-testid="contact-status"]'), 'В работе')
      assert.equal(await text(frame, '[data-testid="contact-attempts"]'), 'Попыток: 0')
      // The pinned version 1, not version 2 published after the start.
      assert.equal(await text(frame, '[data-testid="work-script"] [data-testid="step-hint"]'), 'Версия 1: представьтесь и назовите акцию.')
      await frame.click('[data-testid="work-script"] [data-testid="next-step"]')
      assert.equal(await text(frame, '[data-testid="work-script"] [data-testid="step-title"]'), 'Предложение')

      // Click-to-call: Mango rings the operator, then the contact.
      await frame.click('[data-testid="call"]')
      await frame.waitForFunction(() => document.querySelector('[data-testid="call-state"]')?.textContent.trim() === 'Соединено', null, { timeout: 20_000 })
      const { requests } = await stack.mango.control('GET', '/_emu/requests')
      const callback = requests.filter((r) => r.path === 'commands/callback').pop()
      assert.ok(callback, 'commands/callback was sent')
      const sent = typeof callback.json === 'string' ? JSON.parse(callback.json) : callback.json
      assert.equal(sent.to_number, '79001230001')
      assert.equal(sent.from.extension, '102')
      await shot(page, 'contact-open')

      // «Перезвонить» needs a time: refused without one, saved with one.
      await frame.check('[data-testid="result-call_back"]')
      await frame.click('[data-testid="save-result"]')
      assert.equal(await text(frame, '[data-testid="result-form"] [role="alert"]'), 'Укажите дату и время.')
      const at = new Date(Date.now() + 24 * 3600 * 1000)
      at.setHours(10, 0, 0, 0)
      const pad = (n) => String(n).padStart(2, '0')
      const local = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T10:00`
      await frame.fill('[data-testid="result-at"]', local)
      await frame.fill('[data-testid="result-comment"] textarea', 'Просил перезвонить утром')
      await frame.click('[data-testid="save-result"]')
      assert.equal(await text(frame, '[data-testid="result-saved"]'), 'Результат сохранён: Перезвонить.')
      const stored = stack.sql(`SELECT result, due_at_ms, comment FROM campaign_contacts WHERE task_id = ${id} AND phone = '+79001230001'`)[0]
      assert.equal(stored.result, 'call_back')
      assert.equal(Number(stored.due_at_ms), at.getTime())
      assert.equal(stored.comment, 'Просил перезвонить утром')
      // The region another panel mounts in after the call is there.
      assert.equal(await frame.locator('[data-testid="result-form"] [data-after-call]').count(), 1)

      await frame.click('[data-testid="next-contact"]')
      await frame.waitForFunction(() => document.querySelector('[data-testid="contact-phone"]')?.textContent.trim() === '+79001230002')
      assert.equal(await frame.locator('[data-testid="call-state"]').count(), 0, 'a fresh contact has no call yet')
      // The last one done: nothing to call, and when the callback becomes due.
      await frame.check('[data-testid="result-refused"]')
      await frame.click('[data-testid="save-result"]')
      await frame.waitForSelector('[data-testid="result-saved"]')
      await frame.click('[data-testid="next-contact"]')
      await frame.waitForSelector('[data-testid="nothing"]')
      assert.match(await text(frame, '[data-testid="nothing"]'), /Следующий контакт появится \d\d\.\d\d\.\d{4} 10:00/)
      await settle(page, frame)
    }
  },
  {
    name: 'list mode opens a contact and says so clearly when another operator took it meanwhile',
    async run({ stack, context, use }) {
      const w = await world(stack)
      // A second operator of their own (user 3 stays without a role for the other tests).
      await stack.control('POST', '/_emu/seed', { users: [{ ID: 31, NAME: 'Дарья', LAST_NAME: 'Второва', UF_PHONE_INNER: '131' }] })
      await giveRole(stack, '31', w.role)
      try {
        const id = await runningTask(stack, 'Осень', ['2', '31'], ['+79001240001', '+79001240002', '+79001240003'])
        const { page, frame } = await open(context, stack, use, `/campaigns/${id}/work`, { userId: 2 })
        await frame.click('[data-testid="mode-list"]')
        await frame.waitForSelector('[data-testid="list-row"]')
        assert.deepEqual((await texts(frame, '[data-testid="list-row"] td:first-child')), ['+79001240001', '+79001240002', '+79001240003'])

        // The other operator takes the first one while the list is on the screen.
        const taken = await stack.api('POST', `/api/campaigns/${id}/next`, undefined, { user: 31 })
        assert.equal(taken.status, 200, JSON.stringify(taken.body))
        assert.equal(taken.body.contact.phone, '+79001240001')
        await frame.click('[data-testid="list-row"]:nth-child(1) [data-testid="list-open"]')
        await frame.waitForSelector('[data-testid="notice"]')
        assert.match(await text(frame, '[data-testid="notice"]'), /^Контакт уже занят: /)
        await frame.waitForFunction(() => document.querySelectorAll('[data-testid="list-row"]').length === 2)
        await shot(page, 'list-taken')

        // Another one opens.
        await frame.click('[data-testid="list-row"]:nth-child(2) [data-testid="list-open"]')
        await frame.waitForSelector('[data-testid="contact"]')
        assert.equal(await text(frame, '[data-testid="contact-phone"]'), '+79001240003')
        assert.equal(await text(frame, '[data-testid="contact-status"]'), 'В работе')
        await settle(page, frame)
      } finally {
        await settings(stack, 'PUT', '/api/settings/users/31', { role_id: null })
      }
    }
  }
]
