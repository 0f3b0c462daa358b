// «Интеграция» in the browser against the real opdesk, the portal emulator and the Mango
// emulator: connect a VPBX with its key and salt, copy the webhook address, «Проверить
// подключение» with the right key and with a wrong one (Mango's own refusal, in words), link an
// extension to a user by hand and unlink it, change call-handling flags (keys the page does not
// know travel back unchanged), a validation error next to its field, and the read-only view of
// an operator.
import assert from 'node:assert/strict'
import { open, settle as settleNow, text, texts } from './settings_helpers.mjs'

// Fits the frame and makes the window as tall as the frame: Chromium paints a cross-origin
// frame only where the window shows it, so the screenshot then has the whole page.
async function settle(page, frame) {
  await settleNow(page, frame)
  const height = await page.evaluate(() => document.getElementById('card').getBoundingClientRect().bottom)
  const size = page.viewportSize()
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height) + 20) })
  await page.waitForTimeout(300)
}
import { settings, world } from './world.mjs'

async function connectMango(stack, key = stack.mango.key, salt = stack.mango.salt) {
  return settings(stack, 'PUT', '/api/settings/mango', { api_key: key, api_salt: salt })
}

async function integration(stack) {
  return (await stack.api('GET', '/api/settings/integration')).body
}

export const tests = [
  {
    name: 'a manager connects Mango, copies the webhook address and checks the connection',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-testid="mango"]' })
      await frame.fill('input[data-testid="api-key"], [data-testid="api-key"] input', stack.mango.key)
      await frame.fill('input[data-testid="api-salt"], [data-testid="api-salt"] input', stack.mango.salt)
      await frame.click('[data-testid="save-keys"]')
      await frame.waitForSelector('[data-testid="webhook"]')
      const webhook = await frame.inputValue('[data-testid="webhook"]')
      assert.match(webhook, new RegExp(`^${stack.opdeskUrl}/mango/[\\w-]+/$`))
      // In a cross-origin frame the clipboard API may be refused; the page then copies the
      // selected field the old way. Either way it says «Скопировано».
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.opdeskUrl }).catch(() => {})
      await frame.click('[data-testid="copy"]')
      await frame.waitForFunction(() => document.querySelector('[data-testid="copy"]')?.textContent.includes('Скопировано'))
      await frame.click('[data-testid="check"]')
      const ok = await frame.waitForSelector('[data-testid="check-result"]', { timeout: 15_000 })
      assert.equal(await ok.getAttribute('data-ok'), 'true', await ok.textContent())
      assert.match(await ok.textContent(), /Подключение работает/)
      await settle(page, frame)
    }
  },
  {
    name: 'a wrong key: the check says in words that Mango refused it',
    async run({ stack, context, use }) {
      await world(stack)
      // Connecting queues a directory sync that meets the refusal too; without the emulator's
      // two-minute lock-out the check's own answer is Mango's key check, whichever comes first.
      await stack.mango.control('POST', '/_emu/config', { lockout_ms: 0 })
      await connectMango(stack, 'wrong-key', 'wrong-salt')
      try {
        const { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-testid="check"]' })
        await frame.click('[data-testid="check"]')
        const bad = await frame.waitForSelector('[data-testid="check-result"]', { timeout: 15_000 })
        assert.equal(await bad.getAttribute('data-ok'), 'false')
        assert.match(await bad.textContent(), /не принял уникальный код АТС/)
        await settle(page, frame)
      } finally {
        await connectMango(stack)
      }
    }
  },
  {
    name: 'an extension is linked to a user by hand and unlinked',
    async run({ stack, context, use }) {
      await world(stack)
      await connectMango(stack)
      const { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-testid="employee"]' })
      const row = '[data-testid="employee"][data-extension="101"]'
      await frame.selectOption(`${row} [data-testid="pick-user"]`, '3')
      await frame.click(`${row} [data-testid="link"]`)
      await frame.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim() === 'вручную', `${row} [data-testid="source"]`)
      assert.equal(await text(frame, `${row} [data-testid="linked-user"]`), 'Вера Менеджерова')
      const linked = (await stack.api('GET', '/api/settings/mango/employees')).body.employees.find((e) => e.extension === '101')
      assert.deepEqual([linked.crm_user_id, linked.source], ['3', 'manual'])
      await settle(page, frame)
      await frame.click(`${row} [data-testid="unlink"]`)
      await frame.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim() !== 'вручную', `${row} [data-testid="source"]`)
      const after = (await stack.api('GET', '/api/settings/mango/employees')).body.employees.find((e) => e.extension === '101')
      assert.notEqual(after.source, 'manual')
    }
  },
  {
    name: 'flags are changed and saved; what the page does not show is sent back unchanged',
    async run({ stack, context, use }) {
      await world(stack)
      const before = await integration(stack)
      const { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-testid="flag"]' })
      const labels = await texts(frame, '[data-testid="flag"] .settings-label')
      assert.ok(labels.includes('Принятый входящий звонок с нового номера'), labels.join(' | '))
      await frame.selectOption('[data-key="answered_new_number"] [data-testid="flag-input"]', 'client_and_deal')
      await frame.check('[data-key="outgoing_new_number_creates_client"] [data-testid="flag-input"]')
      await frame.click('[data-testid="add-line"]')
      await frame.fill('[data-testid="line-row"] >> nth=-1 >> input[data-testid="line-number"], [data-testid="line-number"] input', '74951234567')
      await frame.selectOption('[data-testid="line-row"] >> nth=-1 >> [data-testid="line-source"]', 'WEB')
      await frame.click('[data-testid="save"]')
      await frame.waitForSelector('[data-testid="saved"]')
      const after = await integration(stack)
      assert.equal(after.answered_new_number, 'client_and_deal')
      assert.equal(after.outgoing_new_number_creates_client, true)
      assert.deepEqual(after.crm_source_by_line, { ...before.crm_source_by_line, 74951234567: 'WEB' })
      assert.equal(after.version, before.version + 1)
      for (const k of Object.keys(before)) {
        if (['answered_new_number', 'outgoing_new_number_creates_client', 'crm_source_by_line', 'version'].includes(k)) continue
        assert.deepEqual(after[k], before[k], k)
      }
      await settle(page, frame)
      // Back as it was, for the other suites.
      await settings(stack, 'PUT', '/api/settings/integration', { ...before, version: after.version })
    }
  },
  {
    name: 'a validation error shows next to its field and nothing is saved',
    async run({ stack, context, use }) {
      await world(stack)
      const before = await integration(stack)
      const { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-testid="flag"]' })
      // Checked on the page: an extension is digits.
      await frame.fill('[data-key="missed_in_ivr_extension"] input[data-testid="flag-input"], [data-key="missed_in_ivr_extension"] [data-testid="flag-input"] input', '10a')
      await frame.waitForSelector('[data-key="missed_in_ivr_extension"] [data-testid="field-error"]')
      await frame.fill('[data-key="missed_in_ivr_extension"] input[data-testid="flag-input"], [data-key="missed_in_ivr_extension"] [data-testid="flag-input"] input', '')
      // Checked by the server: a catch-all card needs the user whose card it is.
      await frame.selectOption('[data-key="catch_all_user_id"] [data-testid="flag-input"]', '')
      await frame.selectOption('[data-key="unmapped_employee_calls"] [data-testid="flag-input"]', 'catch_all_card')
      await frame.click('[data-testid="save"]')
      const error = await frame.waitForSelector('[data-key="unmapped_employee_calls"] [data-testid="field-error"]')
      assert.equal(await error.getAttribute('data-field'), 'unmapped_employee_calls')
      assert.match(await error.textContent(), /catch_all_user_id/)
      assert.deepEqual(await integration(stack), before, 'nothing changed')
      await settle(page, frame)
    }
  },
  {
    name: 'a manager turns routing to the responsible on: greeting 7 s, one line 12 s, repeated calls get a deal if none is open',
    async run({ stack, context, use }) {
      await world(stack)
      const before = await integration(stack)
      await settings(stack, 'PUT', '/api/settings/integration', { ...before, route_to_responsible: false, route_greeting_seconds_by_line: {} })
      let { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-key="route_to_responsible"]' })
      assert.match(await text(frame, '[data-section="routing"] [data-testid="section-help"]'), /ожидать окончания/)
      assert.equal(await frame.$('[data-key="route_greeting_seconds"]'), null, 'the greeting is hidden while routing is off')
      await frame.check('[data-key="route_to_responsible"] [data-testid="flag-input"]')
      await frame.fill('[data-key="route_greeting_seconds"] input', '7')
      await frame.click('[data-key="route_greeting_seconds_by_line"] [data-testid="add-line-number"]')
      const row = frame.locator('[data-key="route_greeting_seconds_by_line"] [data-testid="line-number-row"]').last()
      await row.locator('input').nth(0).fill('74951234567')
      // 0 s is refused on the page, before anything is sent.
      await row.locator('input').nth(1).fill('0')
      const local = await frame.waitForSelector('[data-key="route_greeting_seconds_by_line"] [data-testid="field-error"]')
      assert.match(await local.textContent(), /от 1 до 60/)
      await row.locator('input').nth(1).fill('12')
      await frame.waitForSelector('[data-key="route_greeting_seconds_by_line"] [data-testid="field-error"]', { state: 'detached' })
      await frame.selectOption('[data-key="repeated_call_deal"] [data-testid="flag-input"]', 'if_none_open')
      await frame.click('[data-testid="save"]')
      await frame.waitForSelector('[data-testid="saved"]')
      const after = await integration(stack)
      assert.equal(after.route_to_responsible, true)
      assert.equal(after.route_greeting_seconds, 7)
      assert.deepEqual(after.route_greeting_seconds_by_line, { 74951234567: 12 })
      assert.equal(after.repeated_call_deal, 'if_none_open')
      // Opened again, the page shows what was saved.
      await page.close()
      ;({ page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-key="route_greeting_seconds_by_line"] [data-testid="line-number-row"]' }))
      assert.equal(await frame.inputValue('[data-key="route_greeting_seconds"] input'), '7')
      const shown = frame.locator('[data-key="route_greeting_seconds_by_line"] [data-testid="line-number-row"]').first().locator('input')
      assert.deepEqual([await shown.nth(0).inputValue(), await shown.nth(1).inputValue()], ['74951234567', '12'])
      assert.equal(await frame.inputValue('[data-key="repeated_call_deal"] [data-testid="flag-input"]'), 'if_none_open')
      assert.equal(await frame.isChecked('[data-key="route_to_responsible"] [data-testid="flag-input"]'), true)
      await settle(page, frame)
      await settings(stack, 'PUT', '/api/settings/integration', { ...before, version: after.version })
    }
  },
  {
    name: 'a per-line greeting the server refuses shows next to its field',
    async run({ stack, context, use }) {
      await world(stack)
      const before = await integration(stack)
      // The server's own answer to a 0 s greeting of a line: 400 naming the field.
      const refused = await stack.api('PUT', '/api/settings/integration', { ...before, route_greeting_seconds_by_line: { 74951234567: 0 } }, { user: 1 })
      assert.equal(refused.status, 400, JSON.stringify(refused.body))
      assert.equal(refused.body.error.field, 'route_greeting_seconds_by_line')
      await settings(stack, 'PUT', '/api/settings/integration', { ...before, route_to_responsible: true })
      const current = await integration(stack)
      const { page, frame } = await open(context, stack, use, '/integration', { waitFor: '[data-key="route_greeting_seconds_by_line"]' })
      // The page refuses 0 itself, so the save that reaches the server gets that same answer
      // (as if the server's rule were stricter than the page's).
      await page.context().route(`${stack.opdeskUrl}/api/settings/integration`, (r) =>
        r.request().method() === 'PUT' ? r.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(refused.body) }) : r.continue()
      )
      try {
        await frame.click('[data-key="route_greeting_seconds_by_line"] [data-testid="add-line-number"]')
        const row = frame.locator('[data-key="route_greeting_seconds_by_line"] [data-testid="line-number-row"]').last()
        await row.locator('input').nth(0).fill('74951234567')
        await row.locator('input').nth(1).fill('30')
        await frame.click('[data-testid="save"]')
        const error = await frame.waitForSelector('[data-key="route_greeting_seconds_by_line"] [data-testid="field-error"]')
        assert.equal(await error.getAttribute('data-field'), 'route_greeting_seconds_by_line')
        assert.ok((await error.textContent()).includes(refused.body.error.message), await error.textContent())
        assert.deepEqual(await integration(stack), current, 'nothing changed')
        await settle(page, frame)
      } finally {
        await page.context().unroute(`${stack.opdeskUrl}/api/settings/integration`)
        await settings(stack, 'PUT', '/api/settings/integration', { ...before, version: current.version })
      }
    }
  },
  {
    name: 'an operator sees the flags read-only and no Mango keys',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/integration', { userId: 2, waitFor: '[data-testid="flag"]' })
      await frame.waitForSelector('[data-testid="read-only"]')
      assert.equal(await frame.$('[data-testid="mango"]'), null)
      assert.equal(await frame.$('[data-testid="employees"]'), null)
      assert.equal(await frame.$('[data-testid="save"]'), null)
      const disabled = await frame.$$eval('[data-testid="flag"] select, [data-testid="flag"] input', (els) => els.every((e) => e.disabled))
      assert.ok(disabled, 'every control is disabled')
      await settle(page, frame)
    }
  }
]
