// «Кнопки» in the browser against the real opdesk and portal emulator: create (with the portal's
// own lead statuses, the variables helper and the live preview), edit, a stale-version conflict
// with «Обновить», a server validation error next to its field, delete, the leave guard, and the
// read-only view of an operator.
import assert from 'node:assert/strict'
import { currentSections, open, route, settle, text, texts } from './settings_helpers.mjs'
import { world } from './world.mjs'

async function buttonsByName(stack) {
  const r = await stack.api('GET', '/api/settings/buttons')
  return Object.fromEntries(r.body.buttons.map((b) => [b.name, b]))
}

export const tests = [
  {
    name: 'a manager creates a button with a callback and a lead status, seeing the preview',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/buttons')
      await frame.waitForSelector('[data-testid="row"]')
      await frame.click('[data-testid="create"]')
      await frame.waitForSelector('[data-testid="button-editor"] [data-testid="action"]')
      await frame.fill('[data-testid="name"] input', 'Перезвонить завтра')
      await frame.selectOption('[data-action="0"] [data-testid="kind"]', 'callback')
      // The deadline's preview renders the moment: tomorrow at 10:00.
      const preview = await text(frame, '[data-action="0"] [data-field="deadline"] [data-testid="preview"]')
      assert.match(preview, /^Пример: \d{2}\.\d{2}\.\d{4} 10:00$/)
      // The helper inserts a variable where the cursor is; the preview fills in a sample.
      await frame.fill('[data-action="0"] [data-field="text"] textarea', 'Перезвонить ')
      await frame.click('[data-action="0"] [data-field="text"] textarea')
      await frame.click('[data-var="client.name"]')
      assert.equal(await frame.inputValue('[data-action="0"] [data-field="text"] textarea'), 'Перезвонить {client.name}')
      assert.equal(await text(frame, '[data-action="0"] [data-field="text"] [data-testid="preview"]'), 'Пример: Перезвонить Иван Петров')
      // A lead status chosen among the portal's own.
      await frame.click('[data-testid="add-action"]')
      await frame.selectOption('[data-action="1"] [data-testid="kind"]', 'lead_status')
      const statuses = await texts(frame, '[data-action="1"] [data-testid="status"] option')
      assert.ok(statuses.length > 2, statuses.join(', '))
      await frame.selectOption('[data-action="1"] [data-testid="status"]', 'IN_PROCESS')
      await frame.click('[data-testid="save"]')
      await frame.waitForFunction(() => /^#\/buttons\/\d+$/.test(location.hash))
      await frame.waitForSelector('[data-testid="saved"]')
      const saved = (await buttonsByName(stack))['Перезвонить завтра']
      assert.deepEqual(saved.actions, [
        { kind: 'callback', deadline: '{now+1d 10:00}', text: 'Перезвонить {client.name}' },
        { kind: 'lead_status', status_id: 'IN_PROCESS' }
      ])
      assert.equal(await route(frame), `/buttons/${saved.id}`)
      assert.deepEqual(await currentSections(frame), ['buttons'], 'the editor belongs to «Кнопки»')
      await settle(page, frame)
    }
  },
  {
    name: 'a server validation error shows next to the field it names',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/buttons/new')
      await frame.waitForSelector('[data-testid="action"]')
      await frame.fill('[data-testid="name"] input', 'Со стадией')
      await frame.selectOption('[data-action="0"] [data-testid="kind"]', 'deal_stage')
      await frame.selectOption('[data-action="0"] [data-testid="category"]', '0')
      const stages = await frame.$$eval('[data-action="0"] [data-testid="stage"] option', (o) => o.map((x) => x.value))
      assert.ok(stages.includes('PREPARATION'), stages.join(', '))
      await frame.selectOption('[data-action="0"] [data-testid="stage"]', 'PREPARATION')
      // A task whose title names a variable the server does not know.
      await frame.click('[data-testid="add-action"]')
      await frame.selectOption('[data-action="1"] [data-testid="kind"]', 'task')
      await frame.fill('[data-action="1"] [data-field="title"] input', 'КП для {client.nam}')
      assert.match(await text(frame, '[data-action="1"] [data-field="title"] [data-testid="template-problem"]'), /Неизвестная переменная \{client\.nam\}/)
      await frame.click('[data-testid="save"]')
      const error = await frame.waitForSelector('[data-action="1"] [data-field="title"] [data-testid="field-error"]')
      assert.match(await error.textContent(), /unknown variable \{client\.nam\}/)
      assert.equal(await frame.getAttribute('[data-action="1"] [data-field="title"] [data-testid="field-error"]', 'data-field'), 'actions[1].title')
      assert.equal((await buttonsByName(stack))['Со стадией'], undefined, 'nothing was created')
      assert.equal(await route(frame), '/buttons/new')
      await settle(page, frame)
    }
  },
  {
    name: 'a stale version offers «Обновить», which shows the newer button',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await stack.api('POST', '/api/settings/buttons', { name: 'Встреча', color: '#9dcf00', actions: [{ kind: 'meeting', deadline: '{now+2d 12:00}', text: '' }] })
      assert.equal(made.status, 201)
      const { page, frame } = await open(context, stack, use, `/buttons/${made.body.id}`)
      await frame.waitForSelector('[data-testid="action"]')
      assert.equal(await frame.inputValue('[data-testid="name"] input'), 'Встреча')
      // Someone else saves first.
      const other = await stack.api('PUT', `/api/settings/buttons/${made.body.id}`, { ...made.body, name: 'Встреча в офисе' })
      assert.equal(other.status, 200)
      await frame.fill('[data-testid="name"] input', 'Встреча у клиента')
      await frame.click('[data-testid="save"]')
      await frame.waitForSelector('[data-testid="conflict"]')
      await frame.click('[data-testid="conflict-reload"]')
      await frame.waitForFunction(() => document.querySelector('[data-testid="name"] input')?.value === 'Встреча в офисе')
      assert.equal(await frame.$('[data-testid="conflict"]'), null)
      assert.equal((await buttonsByName(stack))['Встреча у клиента'], undefined)
      await settle(page, frame)
    }
  },
  {
    name: 'unsaved changes are not lost on navigation without asking',
    async run({ stack, context, use }) {
      await world(stack)
      let answer = 'dismiss'
      const asked = []
      const { page, frame } = await open(context, stack, use, '/buttons/new', {
        dialogs: (d) => {
          asked.push(d.message())
          return answer === 'dismiss' ? d.dismiss() : d.accept()
        }
      })
      await frame.waitForSelector('[data-testid="action"]')
      await frame.fill('[data-testid="name"] input', 'Черновик кнопки')
      await frame.click('[data-section="scripts"]')
      await frame.waitForTimeout(200)
      assert.equal(asked.length, 1)
      assert.match(asked[0], /несохранённые изменения/)
      assert.equal(await route(frame), '/buttons/new', 'stayed on the form')
      assert.equal(await frame.inputValue('[data-testid="name"] input'), 'Черновик кнопки')
      answer = 'accept'
      await frame.click('[data-section="scripts"]')
      await frame.waitForFunction(() => location.hash === '#/scripts')
      await settle(page, frame)
    }
  },
  {
    name: 'a manager deletes a button from the list',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await stack.api('POST', '/api/settings/buttons', { name: 'Удалить меня', color: '#a8adb4', actions: [{ kind: 'comment', text: '' }] })
      const { page, frame } = await open(context, stack, use, '/buttons')
      const row = `[data-testid="row"][data-id="${made.body.id}"]`
      await frame.waitForSelector(row)
      await frame.click(`${row} [data-testid="delete"]`)
      await frame.waitForSelector(row, { state: 'detached' })
      assert.equal((await stack.api('GET', `/api/settings/buttons/${made.body.id}`)).status, 404)
      await settle(page, frame)
    }
  },
  {
    name: 'an operator sees the buttons read-only',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const { page, frame } = await open(context, stack, use, '/buttons', { userId: 2 })
      await frame.waitForSelector('[data-testid="read-only"]')
      await frame.waitForSelector('[data-testid="row"]')
      assert.equal(await frame.$('[data-testid="create"]'), null)
      assert.equal(await frame.$('[data-testid="delete"]'), null)
      await frame.click(`[data-testid="row"][data-id="${w.buttons.result}"] [data-testid="name"]`)
      await frame.waitForSelector('[data-testid="action"]')
      assert.equal(await frame.$('[data-testid="save"]'), null)
      assert.equal(await frame.$eval('[data-testid="form"]', (f) => f.disabled), true)
      await settle(page, frame)
    }
  }
]
