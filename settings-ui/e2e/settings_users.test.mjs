// «Пользователи» in the browser against the real opdesk and portal emulator: a manager gives a
// role and takes it away (seats «N из 7» follow), a refusal shows on the row it concerns (the
// last Supervisor keeps the role), every seat taken shows the upgrade prompt with the prices
// and the vendor's order link and contacts (and a 429 on the row), search, and an operator
// without the manage right gets «нет прав».
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
import { farAhead, setPlan, world } from './world.mjs'

async function userRow(frame, id) {
  return `[data-testid="row"][data-id="${id}"]`
}

async function apiUser(stack, id) {
  const r = await stack.api('GET', '/api/settings/users')
  return r.body.users.find((u) => u.user_id === id)
}

export const tests = [
  {
    name: 'a manager gives a role and takes it away, the seats follow',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const { page, frame } = await open(context, stack, use, '/users', { waitFor: '[data-testid="row"] [data-testid="role"]' })
      assert.equal(await text(frame, '[data-testid="seats"]'), 'Занято мест: 2 из 7')
      assert.match(await text(frame, '[data-testid="tariff"]'), /Тариф: Стандарт/)
      assert.match(await text(frame, '[data-testid="paid-until"]'), new RegExp(`Оплачен по ${farAhead}`))
      assert.equal(await text(frame, `${await userRow(frame, '2')} [data-testid="status"]`), 'Активен')
      assert.equal(await text(frame, `${await userRow(frame, '4')} [data-testid="status"]`), 'Отключён в Битрикс24')
      const row3 = await userRow(frame, '3')
      assert.equal(await text(frame, `${row3} [data-testid="status"]`), 'Без роли')
      // Give Вера the operators' role.
      await frame.selectOption(`${row3} [data-testid="role"]`, w.role)
      await frame.waitForSelector(`${row3} [data-testid="saved"]`)
      assert.equal(await text(frame, `${row3} [data-testid="status"]`), 'Активен')
      await frame.waitForFunction(() => document.querySelector('[data-testid="seats"]')?.textContent.includes('3 из 7'))
      assert.equal((await apiUser(stack, '3')).role_id, w.role)
      await settle(page, frame)
      // And take it away again.
      await frame.selectOption(`${row3} [data-testid="role"]`, '')
      await frame.waitForFunction(
        (sel) => document.querySelector(sel)?.textContent.trim() === 'Без роли',
        `${row3} [data-testid="status"]`
      )
      await frame.waitForFunction(() => document.querySelector('[data-testid="seats"]')?.textContent.includes('2 из 7'))
      assert.equal((await apiUser(stack, '3')).role_id, null)
      const audit = stack.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user.role' AND object_id = '3'")
      assert.ok(audit[0].n >= 2, 'both changes are in the log')
    }
  },
  {
    name: 'search narrows the list by name or e-mail',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/users', { waitFor: '[data-testid="row"] [data-testid="role"]' })
      await frame.fill('input[data-testid="search"], [data-testid="search"] input', 'бори')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="row"]').length === 1)
      assert.deepEqual(await texts(frame, '[data-testid="row"] [data-testid="name"]'), ['Борис Операторов'])
      await frame.fill('input[data-testid="search"], [data-testid="search"] input', 'никого-такого')
      await frame.waitForSelector('[data-testid="nobody"]')
      await settle(page, frame)
    }
  },
  {
    name: 'taking the role from the last Supervisor is refused next to that row',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/users', { waitFor: '[data-testid="row"] [data-testid="role"]' })
      const row1 = await userRow(frame, '1')
      await frame.selectOption(`${row1} [data-testid="role"]`, '')
      const error = await frame.waitForSelector(`${row1} [data-testid="field-error"]`)
      assert.equal(await error.getAttribute('data-field'), 'role_id')
      assert.match(await error.textContent(), /последний активный супервайзер/)
      assert.equal(await frame.inputValue(`${row1} [data-testid="role"]`), (await apiUser(stack, '1')).role_id, 'the select shows what is saved')
      assert.ok((await apiUser(stack, '1')).role_id, 'the Supervisor kept the role')
      await settle(page, frame)
    }
  },
  {
    name: 'every seat taken shows the upgrade prompt with prices, the order link and contacts',
    async run({ stack, context, use }) {
      const w = await world(stack)
      await setPlan(stack, 'free', undefined)
      try {
        const { page, frame } = await open(context, stack, use, '/users', { waitFor: '[data-testid="row"] [data-testid="role"]' })
        assert.equal(await text(frame, '[data-testid="seats"]'), 'Занято мест: 2 из 2')
        await frame.waitForSelector('[data-testid="upgrade"]')
        assert.deepEqual(await texts(frame, '[data-testid="price"]'), ['3 мес. — 5\u00a0970 ₽', '12 мес. — 21\u00a0492 ₽'])
        assert.equal(await frame.getAttribute('[data-testid="order"]', 'href'), stack.tariff.orderUrl)
        assert.match(await text(frame, '[data-testid="contacts"]'), /sales@opdesk\.example/)
        // Giving a third user a role: the server's 429 lands on that row.
        const row3 = await userRow(frame, '3')
        await frame.selectOption(`${row3} [data-testid="role"]`, w.role)
        const error = await frame.waitForSelector(`${row3} [data-testid="field-error"]`)
        assert.match(await error.textContent(), /Все места по тарифу заняты/)
        assert.equal((await apiUser(stack, '3')).role_id, null)
        await settle(page, frame)
      } finally {
        await setPlan(stack, 'standard', farAhead)
      }
    }
  },
  {
    name: 'an operator without the manage right sees «нет прав»',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/users', { userId: 2 })
      await frame.waitForSelector('[data-testid="no-rights"]')
      assert.match(await text(frame, '[data-testid="no-rights"]'), /Нет прав/)
      assert.equal(await frame.$('[data-testid="list"]'), null)
      assert.equal(await frame.$('[data-testid="role"]'), null)
      await settle(page, frame)
    }
  }
]
