// «Журнал» in the browser against the real opdesk and portal emulator: who did what, in words,
// with a readable before → after diff, paged with «Показать ещё», filtered by object and by
// user; a malformed filter is refused next to its field; an operator gets «нет прав».
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

// A button renamed many times: its updates fill more than one page of the log.
async function busyButton(stack) {
  const created = await settings(stack, 'POST', '/api/settings/buttons', {
    name: 'Журнал 0',
    color: '#2fc6f6',
    actions: [{ kind: 'comment', text: '' }]
  })
  let b = created
  for (let i = 1; i <= 55; i++) {
    b = await settings(stack, 'PUT', `/api/settings/buttons/${b.id}`, { ...b, name: `Журнал ${i}` })
  }
  return b
}

let busy = null

export const tests = [
  {
    name: 'the log shows who changed what with a diff, page by page',
    async run({ stack, context, use }) {
      await world(stack)
      busy = busy ?? (await busyButton(stack))
      const { page, frame } = await open(context, stack, use, '/audit', { waitFor: '[data-testid="entry"]' })
      assert.equal((await frame.$$('[data-testid="entry"]')).length, 50)
      const first = '[data-testid="entry"]:first-child'
      assert.equal(await text(frame, `${first} [data-testid="actor"]`), 'Анна Админова')
      assert.equal(await text(frame, `${first} [data-testid="action"]`), 'изменение')
      assert.equal(await text(frame, `${first} [data-testid="object"]`), `Кнопка ${busy.id}`)
      assert.deepEqual(await texts(frame, `${first} [data-testid="diff"] del, ${first} [data-testid="diff"] ins`), ['Журнал 54', 'Журнал 55'])
      await frame.click('[data-testid="more"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="entry"]').length > 50)
      const ids = await frame.$$eval('[data-testid="entry"]', (rows) => rows.map((r) => Number(r.dataset.id)))
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first, no repeats across pages')
      assert.equal(new Set(ids).size, ids.length)
      await settle(page, frame)
    }
  },
  {
    name: 'filters narrow the log to one object and to one user',
    async run({ stack, context, use }) {
      const w = await world(stack)
      busy = busy ?? (await busyButton(stack))
      const { page, frame } = await open(context, stack, use, '/audit', { waitFor: '[data-testid="entry"]' })
      await frame.selectOption('[data-testid="filter-type"]', 'role')
      await frame.fill('input[data-testid="filter-id"], [data-testid="filter-id"] input', String(w.role))
      await frame.click('[data-testid="apply"]')
      await frame.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="entry"]')].every((r) => r.dataset.action.startsWith('role.'))
      )
      const objects = await texts(frame, '[data-testid="entry"] [data-testid="object"]')
      assert.ok(objects.length >= 1)
      assert.ok(objects.every((o) => o === `Роль ${w.role}`), objects.join(', '))
      // By user: the system's entries only.
      await frame.click('[data-testid="reset"]')
      await frame.selectOption('[data-testid="filter-actor"]', 'system')
      await frame.click('[data-testid="apply"]')
      await frame.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="entry"] [data-testid="actor"]')].every((a) => a.textContent.trim() === 'Система')
      )
      assert.equal(await frame.$('[data-testid="more"]'), null)
      await settle(page, frame)
    }
  },
  {
    name: 'a malformed object id is refused next to its field',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/audit', { waitFor: '[data-testid="entry"]' })
      await frame.selectOption('[data-testid="filter-type"]', 'button')
      await frame.fill('input[data-testid="filter-id"], [data-testid="filter-id"] input', 'a b')
      await frame.click('[data-testid="apply"]')
      const error = await frame.waitForSelector('[data-testid="field-error"][data-field="object_id"]')
      assert.match(await error.textContent(), /object_id/)
      await settle(page, frame)
    }
  },
  {
    name: 'an operator without the manage right sees «нет прав»',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/audit', { userId: 2 })
      await frame.waitForSelector('[data-testid="no-rights"]')
      assert.equal(await frame.$('[data-testid="entry"]'), null)
      assert.equal(await frame.$('[data-testid="filters"]'), null)
      await settle(page, frame)
    }
  }
]
