// The call card against the real opdesk and the portal emulator: the portal harness frames the
// card, the page talks to opdesk's /api/callcard/*, and opdesk to the emulated portal. Setup goes
// through the settings and admin APIs (e2e/world.mjs); each test checks the real effects — the
// CRM records and REST requests in the emulator, the rows in opdesk's SQLite database, what the
// portal saw through the frame bridge. Tests share one stack: each leaves the world as it found
// it where later tests depend on it, and the tariff test, which blocks a seat, runs last.
import assert from 'node:assert/strict'
import { openCallCard, until } from './harness.mjs'
import {
  crmState,
  giveRole,
  phones,
  publishScript,
  createButton,
  requestMark,
  requestsSince,
  setPlan,
  settings,
  updateRole,
  world,
  xss,
  farAhead
} from './world.mjs'

// Opens the card for a call from `phone` as `userId`; the portal's CALL_ID is `callId`.
function openFor(browser, stack, userId, phone, callId, extra = {}) {
  const { placementOptions, ...rest } = extra
  return openCallCard(browser, stack, {
    userId,
    placementOptions: { CALL_ID: callId, PHONE_NUMBER: phone, ...placementOptions },
    ...rest
  })
}

const contactOf = async (stack, id) => (await crmState(stack)).contacts.find((c) => c.ID === String(id))
const fieldError = (frame, section, code) => frame.locator(`[data-section="${section}"] [data-field="${code}"] .field-error`)

// Waits until every action of the open press dialog shows a final state; returns the states.
async function settledStates(frame, count) {
  const states = frame.locator('[data-testid="action-state"]')
  await until(
    'every action settled',
    async () => {
      const texts = await states.allTextContents()
      return texts.length === count && texts.every((t) => t.trim() !== 'В очереди')
    },
    20_000
  )
  return (await states.allTextContents()).map((t) => t.trim())
}

export const tests = [
  {
    name: 'the supervisor’s card looks the caller up in the CRM',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await openFor(context, stack, 1, phones.client, 'externalCall.supervisor.1', {
        waitFor: '[data-section="contact:1"]'
      })
      use(page)
      assert.match(await frame.textContent('[data-testid="phone"]'), /\+79001234567/)
      assert.match(await frame.textContent('[data-section="contact:1"] h2'), /Контакт: Иван .*Клиентов/)
      assert.equal(await frame.isVisible('[data-testid="client-tab"]'), true)
    }
  },
  {
    name: 'a field edited in the Client tab is written to the CRM as the operator; refusals sit by the field',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await openFor(context, stack, 2, phones.client, 'externalCall.client.1', {
        waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
      })
      use(page)
      const section = frame.locator('[data-section="contact:1"]')
      const before = await contactOf(stack, 1)
      assert.equal(await section.locator('[data-field="NAME"] input').inputValue(), before.NAME)
      assert.deepEqual(
        await frame.locator('[data-section]').evaluateAll((s) => s.map((e) => e.getAttribute('data-section'))),
        ['contact:1', `deal:${(await world(stack)).deal}`],
        'the contact and its open deal'
      )

      const mark = await requestMark(stack)
      await section.locator('[data-field="NAME"] input').fill('Иван Петрович')
      await section.locator('[data-testid="save"]').click()
      await section.locator('[data-testid="saved"]').waitFor()
      const after = await contactOf(stack, 1)
      assert.equal(after.NAME, 'Иван Петрович')
      assert.equal(after.MODIFY_BY_ID, '2', 'written as the operator')
      const updates = await requestsSince(stack, mark, 'crm.contact.update')
      assert.equal(updates.length, 1)
      assert.equal(updates[0].user_id, 2, "with the operator's own token")
      assert.equal(updates[0].params.fields.NAME, 'Иван Петрович')
      assert.deepEqual(Object.keys(updates[0].params.fields), ['NAME'], 'only what changed')

      // opdesk's own check: a phone needs 5 to 20 digits. Nothing reaches the CRM.
      const mark2 = await requestMark(stack)
      await section.locator('[data-field="PHONE"] input').first().fill('12')
      await section.locator('[data-testid="save"]').click()
      await fieldError(frame, 'contact:1', 'PHONE').waitFor()
      assert.equal((await fieldError(frame, 'contact:1', 'PHONE').textContent()).trim(), 'Телефон должен содержать от 5 до 20 цифр')
      assert.equal((await requestsSince(stack, mark2, 'crm.contact.update')).length, 0)
      await section.locator('[data-field="PHONE"] input').first().fill(phones.client)

      // The CRM's own refusal, naming the field by its label, shows under that field.
      await stack.control('POST', '/_emu/faults', {
        method: 'crm.contact.update',
        status: 400,
        error: 'ERROR_CORE',
        description: 'Поле "Фамилия" содержит недопустимые символы.',
        count: 1
      })
      try {
        await section.locator('[data-field="LAST_NAME"] input').fill('Клиентов№1')
        await section.locator('[data-testid="save"]').click()
        await fieldError(frame, 'contact:1', 'LAST_NAME').waitFor()
        assert.equal(
          (await fieldError(frame, 'contact:1', 'LAST_NAME').textContent()).trim(),
          'Поле "Фамилия" содержит недопустимые символы.'
        )
        assert.equal(await fieldError(frame, 'contact:1', 'PHONE').count(), 0)
        assert.equal((await contactOf(stack, 1)).LAST_NAME, 'Клиентов', 'the refusal changed nothing')
      } finally {
        await stack.control('DELETE', '/_emu/faults')
      }
    }
  },
  {
    name: 'the Client tab shows the client’s history: calls with outcome and recording, to-dos, comments, deals',
    async run({ stack, context, use }) {
      await world(stack)
      await stack.control('POST', '/_emu/seed', {
        activities: [
          { ID: 9001, OWNER_TYPE_ID: '3', OWNER_ID: '1', TYPE_ID: '2', PROVIDER_ID: 'VOXIMPLANT_CALL', DIRECTION: '1', SUBJECT: 'Входящий', START_TIME: '2026-11-20T10:00:00+03:00', CREATED: '2026-11-20T10:00:00+03:00', RESPONSIBLE_ID: '2', COMPLETED: 'Y' },
          { ID: 9002, OWNER_TYPE_ID: '3', OWNER_ID: '1', TYPE_ID: '6', PROVIDER_ID: 'CRM_TODO', SUBJECT: 'Отправить КП', CREATED: '2026-11-20T11:00:00+03:00', DEADLINE: '2026-11-21T10:00:00+03:00', RESPONSIBLE_ID: '3', COMPLETED: 'N' }
        ],
        comments: [{ ENTITY_TYPE: 'contact', ENTITY_ID: 1, AUTHOR_ID: '2', COMMENT: 'Просил перезвонить после обеда', CREATED: '2026-11-20T10:05:00+03:00' }],
        call_statistics: [
          { CRM_ACTIVITY_ID: '9001', CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: '1', CALL_FAILED_CODE: '200', CALL_DURATION: 95, CALL_START_DATE: '2026-11-20T10:00:00+03:00', CALL_RECORD_URL: 'https://127.0.0.1/records/9001.mp3' }
        ]
      })
      await stack.api('GET', '/api/settings/users') // names of people, as the Users page reads them
      const mark = await requestMark(stack)
      const { page, frame } = await openFor(context, stack, 2, phones.client, 'externalCall.history.1', {
        waitFor: '[data-testid="history-item"][data-kind="call"]'
      })
      use(page)
      const call = frame.locator('[data-testid="history-item"][data-kind="call"]', { hasText: 'Входящий звонок' }).first()
      assert.match(await call.textContent(), /разговор 1 мин 35 с/)
      assert.match(await call.textContent(), /Борис Операторов/)
      assert.equal(await call.locator('[data-testid="recording"]').getAttribute('href'), 'https://127.0.0.1/records/9001.mp3')
      assert.match(await frame.locator('[data-testid="history-item"]', { hasText: 'Отправить КП' }).textContent(), /Дело/)
      assert.equal(await frame.locator('[data-testid="history-item"][data-kind="comment"]', { hasText: 'Просил перезвонить после обеда' }).count(), 1)
      const deal = frame.locator('[data-testid="history-deal"]', { hasText: 'Поставка' })
      assert.match(await deal.locator('[data-testid="deal-stage"]').textContent(), /\S/)
      // One batch for the page: every list of the history came in the same request.
      const children = await requestsSince(stack, mark)
      const comments = children.filter((r) => r.rest_method === 'crm.timeline.comment.list')
      assert.equal(comments.length, 1, 'one history page read')
      const parent = comments[0].batch_parent
      const inBatch = children.filter((r) => r.batch_parent === parent).map((r) => r.rest_method).sort()
      assert.deepEqual(inBatch, ['crm.activity.list', 'crm.activity.list', 'crm.deal.list', 'crm.timeline.comment.list', 'voximplant.statistic.get'])
      assert.equal(children.find((r) => r.seq === parent)?.user_id, 2, "with the operator's own token")
      await frame.locator('[data-testid="history"]').scrollIntoViewIfNeeded() // for the screenshot
    }
  },
  {
    name: 'a script walked through is stored with its version and path',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const callId = 'externalCall.script.1'
      const { page, frame } = await openFor(context, stack, 2, phones.client, callId, {
        waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
      })
      use(page)
      await frame.click('[role="tab"]:has-text("Скрипт")')
      // The role has two scripts: the operator chooses.
      await frame.waitForSelector('[data-testid="script-chooser"]')
      assert.deepEqual((await frame.locator('[data-testid="script-option"]').allTextContents()).map((t) => t.trim()), ['Входящий', 'Исходящий'])
      await frame.click('[data-testid="script-option"]:has-text("Входящий")')
      await frame.waitForSelector('[data-testid="step-title"]:has-text("Приветствие")')
      assert.equal((await frame.textContent('[data-testid="step-hint"]')).trim(), 'Назовите компанию и своё имя.')
      assert.deepEqual((await frame.locator('[data-testid="next-step"]').allTextContents()).map((t) => t.trim()), ['Потребность', 'Отказ'])

      await frame.click('[data-testid="next-step"]:has-text("Потребность")')
      await frame.waitForSelector('[data-testid="step-title"]:has-text("Потребность")')
      const answer = frame.locator('[data-testid="script-tab"] [data-field="NAME"] input')
      assert.equal(await answer.inputValue(), (await contactOf(stack, 1)).NAME, "the step's field starts at the CRM's value")
      await answer.fill('Иван Иванович')
      // Leaving the tab and coming back keeps the place and the answer.
      await frame.click('[role="tab"]:has-text("Клиент")')
      await frame.click('[role="tab"]:has-text("Скрипт")')
      assert.equal((await frame.textContent('[data-testid="step-title"]')).trim(), 'Потребность')
      assert.equal(await answer.inputValue(), 'Иван Иванович')
      await frame.click('[data-testid="back"]')
      await frame.waitForSelector('[data-testid="step-title"]:has-text("Приветствие")')
      await frame.click('[data-testid="next-step"]:has-text("Отказ")')
      await frame.waitForSelector('[data-testid="script-end"]')

      let run
      await until('the run stored at its last step', () => {
        run = stack.sql(`SELECT * FROM script_runs WHERE call_id = '${callId}'`)[0]
        return run?.current_step === 'c' && JSON.parse(run.path_json).length === 4
      })
      assert.equal(String(run.script_id), w.scripts.incoming.id)
      assert.equal(Number(run.version), w.scripts.incoming.version)
      assert.equal(run.user_id, '2')
      const path = JSON.parse(run.path_json)
      assert.deepEqual(
        path.map((p) => p.step_id ?? p.step),
        ['a', 'b', 'a', 'c'],
        run.path_json
      )
      assert.match(run.path_json, /Иван Иванович/, 'the answer given at step b')
      assert.equal(stack.sql(`SELECT COUNT(*) AS n FROM script_runs WHERE call_id = '${callId}'`)[0].n, 1)
      assert.equal((await contactOf(stack, 1)).NAME !== 'Иван Иванович', true, 'an answer is not a CRM edit')
    }
  },
  {
    name: 'every action of a button reaches the CRM once as the operator, with the operator’s changes',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const callId = 'externalCall.buttons.1'
      const { page, frame } = await openFor(context, stack, 2, phones.client, callId, {
        waitFor: '[data-section="contact:1"]'
      })
      use(page)
      const contact = await contactOf(stack, 1)
      const clientName = `${contact.NAME} ${contact.LAST_NAME}`
      const button = frame.locator('[data-testid="action-button"]:has-text("Итог звонка")')
      assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 87, 82)')
      const mark = await requestMark(stack)
      await button.click()
      await until('the preview', async () => (await frame.locator('[data-testid="action-summary"]').count()) === 5)
      const action = (i) => frame.locator(`[data-testid="press-dialog"] [data-action="${i}"]`)
      assert.equal(await action(1).locator('textarea').inputValue(), `Перезвонить ${clientName}`)
      assert.match(await action(4).locator('[data-testid="action-summary"]').textContent(), /Подготовка документов/)
      await action(0).locator('textarea').fill('Клиент думает')
      await action(1).locator('input[type="datetime-local"]').fill('2031-05-06T11:30')
      await action(1).locator('textarea').fill('Перезвонить после обеда')
      const pressId = await frame.getAttribute('[data-testid="press-dialog"]', 'data-press-id')
      await frame.dblclick('[data-testid="run"]')
      assert.deepEqual(await settledStates(frame, 5), ['Готово', 'Готово', 'Готово', 'Готово', 'Готово'])

      const sent = async (method) => requestsSince(stack, mark, method)
      const comments = await sent('crm.timeline.comment.add')
      assert.equal(comments.length, 1, 'a double click creates once')
      assert.deepEqual(comments[0].params.fields, { ENTITY_ID: '1', ENTITY_TYPE: 'contact', COMMENT: 'Клиент думает' })
      assert.equal(comments[0].user_id, 2)
      const todos = await sent('crm.activity.todo.add')
      assert.equal(todos.length, 2)
      assert.equal(todos[0].params.deadline, '2031-05-06T11:30:00+03:00')
      assert.equal(todos[0].params.description, 'Перезвонить после обеда')
      assert.equal(String(todos[0].params.ownerTypeId), '3')
      assert.equal(String(todos[0].params.ownerId), '1')
      assert.equal(todos[1].params.description, 'Встреча в офисе')
      assert.match(todos[1].params.deadline, /T15:00:00\+03:00$/)
      assert.ok(todos.every((t) => t.user_id === 2))
      const tasks = await sent('tasks.task.add')
      assert.equal(tasks.length, 1)
      assert.equal(tasks[0].params.fields.TITLE, `КП для ${clientName}`)
      assert.equal(tasks[0].params.fields.DESCRIPTION, 'Сделка Поставка')
      assert.equal(tasks[0].params.fields.RESPONSIBLE_ID, '3', "the client's responsible")
      assert.deepEqual(tasks[0].params.fields.UF_CRM_TASK, ['C_1'])
      const moves = await sent('crm.deal.update')
      assert.equal(moves.length, 1)
      assert.equal(String(moves[0].params.id), w.deal)
      assert.deepEqual(moves[0].params.fields, { STAGE_ID: 'PREPARATION' })
      const st = await crmState(stack)
      assert.equal(st.deals.find((d) => d.ID === w.deal).STAGE_ID, 'PREPARATION')
      assert.equal(st.comments.filter((c) => c.COMMENT === 'Клиент думает').length, 1)
      const presses = stack.sql(`SELECT press_id FROM button_presses WHERE call_id = '${callId}'`)
      assert.deepEqual(presses, [{ press_id: pressId }])
    }
  },
  {
    name: 'a lead’s card sets the lead status; an action the CRM refuses shows the CRM’s reason',
    async run({ stack, context, use }) {
      const w = await world(stack)
      await stack.control('POST', '/_emu/faults', {
        method: 'tasks.task.add',
        status: 400,
        error: 'ERROR_CORE',
        description: 'Сотрудник не может быть ответственным за задачу',
        count: 1
      })
      try {
        const { page, frame } = await openFor(context, stack, 2, phones.lead, 'externalCall.lead.1', {
          waitFor: `[data-section="lead:${w.lead}"]`
        })
        use(page)
        const mark = await requestMark(stack)
        await frame.click('[data-testid="action-button"]:has-text("Лид в работу")')
        await until('the preview', async () => (await frame.locator('[data-testid="action-summary"]').count()) === 2)
        await frame.click('[data-testid="run"]')
        assert.deepEqual(await settledStates(frame, 2), ['Готово', 'Ошибка'])
        assert.equal(
          (await frame.textContent('[data-action="1"] [data-testid="action-error"]')).trim(),
          'Сотрудник не может быть ответственным за задачу'
        )
        const updates = await requestsSince(stack, mark, 'crm.lead.update')
        assert.equal(updates.length, 1)
        assert.equal(String(updates[0].params.id), w.lead)
        assert.deepEqual(updates[0].params.fields, { STATUS_ID: 'IN_PROCESS' })
        assert.equal((await crmState(stack)).leads.find((l) => l.ID === w.lead).STATUS_ID, 'IN_PROCESS')
        const tasks = await requestsSince(stack, mark, 'tasks.task.add')
        assert.equal(tasks.length, 1, 'a refused action is not retried')
        assert.equal(tasks[0].params.fields.RESPONSIBLE_ID, '2')
      } finally {
        await stack.control('DELETE', '/_emu/faults')
      }
    }
  },
  {
    name: 'a keep-open role holds the card through the bridge and re-arms; a role without the flag never does',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const installClock = (p) => p.clock.install()
      const first = await openFor(context, stack, 2, phones.client, 'externalCall.keep.1', {
        beforeOpen: installClock,
        waitFor: '[data-testid="keep-open"]'
      })
      use(first.page)
      await first.page.waitForFunction(() => window.__portal.disableAutoClose === 1)
      // The portal lets a hold lapse after about a minute: the card arms it again before that.
      await first.page.clock.fastForward(46_000)
      await first.page.waitForFunction(() => window.__portal.disableAutoClose === 2)
      assert.equal(await first.page.evaluate(() => window.__portal.enableAutoClose), 0)
      await first.frame.click('[data-testid="keep-open"] button')
      await first.page.waitForFunction(() => window.__portal.enableAutoClose === 1)
      await first.page.clock.fastForward(46_000)
      assert.equal(await first.page.evaluate(() => window.__portal.disableAutoClose), 2, 'released for good')
      await first.page.close()

      await updateRole(stack, w.role, { keep_card_open: false })
      try {
        const second = await openFor(context, stack, 2, phones.client, 'externalCall.keep.2', {
          beforeOpen: installClock,
          waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
        })
        use(second.page)
        // The bridge is up (the card has told the portal its height) and the data is shown.
        await second.page.waitForFunction(() => window.__portal.resizes.length >= 1)
        await second.page.clock.fastForward(46_000)
        await second.page.waitForFunction(() => window.__portal.calls.length >= 1)
        assert.equal(await second.frame.locator('[data-testid="keep-open"]').count(), 0)
        const calls = await second.page.evaluate(() => window.__portal.calls)
        assert.ok(!calls.includes('disableAutoClose') && !calls.includes('enableAutoClose'), calls.join(', '))
      } finally {
        await updateRole(stack, w.role, { keep_card_open: true })
      }
    }
  },
  {
    name: 'a user without a role is told in Russian who can give one, with a link',
    async run({ stack, context, use }) {
      await world(stack)
      const mark = await requestMark(stack)
      const { page, frame } = await openFor(context, stack, 3, phones.client, 'externalCall.norole.1', {
        waitFor: '[data-testid="no-seat"]'
      })
      use(page)
      assert.match(await frame.textContent('[data-testid="no-seat"]'), /У вас нет роли в opdesk, поэтому карточка звонка недоступна\./)
      assert.deepEqual(await frame.locator('[data-testid="supervisors"] li').allTextContents(), ['Анна Админова'])
      assert.equal(
        await frame.getAttribute('[data-testid="settings-link"]', 'href'),
        `https://127.0.0.1:${stack.emuPort}/marketplace/app/7/`
      )
      assert.equal((await requestsSince(stack, mark, 'crm.duplicate.findbycomm')).length, 0, 'no CRM lookups for them')
      assert.equal(await frame.locator('[data-testid="action-button"]').count(), 0)
    }
  },
  {
    name: 'the bindings open the incoming script; its pinned block stays above every step and a tag shows the client’s name',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const draft = (name, callType, steps) =>
        settings(stack, 'POST', '/api/settings/scripts', {
          name,
          draft: {
            start_step: 'a',
            steps: steps.map((s) => ({ hint: '', x: 0, y: 0, fields: [], next: [], ...s })),
            settings: { call_type: callType, activity_type: '', deal_type: '', number_field: null }
          }
        })
      const publish = async (made) => settings(stack, 'POST', `/api/settings/scripts/${made.id}/publish`, { version: made.version }, 200)
      const outgoing = await draft('Исходящий F1', 'outgoing', [{ id: 'a', title: 'Алло', hint: 'Исходящий' }])
      const incoming = await draft('Входящий F1', 'incoming', [
        { id: 'a', title: 'Приветствие', hint: 'Здравствуйте, {{CONTACT.NAME}}! Меня зовут {{EMPLOYEE.NAME}}.', next: ['b'] },
        { id: 'b', title: 'Потребность', hint: 'Сделка: {{DEAL.TITLE}}', next: ['c'] },
        { id: 'c', title: 'Итог', hint: 'Спасибо за звонок.' },
        { id: 'p', title: 'Памятка', hint: 'Клиент {{CONTACT.NAME}}: говорите спокойно, не перебивайте.', common: true, pinned: true }
      ])
      await publish(outgoing)
      await publish(incoming)
      const role = await settings(stack, 'POST', '/api/settings/roles', {
        name: 'Входящая линия',
        client_fields: w.clientFields,
        button_ids: [],
        script_ids: [outgoing.id, incoming.id]
      })
      await giveRole(stack, '3', role.id)
      try {
        const { page, frame } = await openFor(context, stack, 3, phones.client, 'externalCall.bound.1', {
          placementOptions: { CALL_DIRECTION: 'incoming' },
          waitFor: '[data-section="contact:1"] [data-field="NAME"] input'
        })
        use(page)
        const name = (await contactOf(stack, 1)).NAME
        await frame.click('[role="tab"]:has-text("Скрипт")')
        // Two scripts in the role, but the call is incoming: no chooser.
        await frame.waitForSelector('[data-testid="step-title"]:has-text("Приветствие")')
        assert.equal(await frame.locator('[data-testid="script-chooser"]').count(), 0)
        const hint = (await frame.textContent('[data-testid="step-hint"]')).trim()
        assert.ok(hint.startsWith(`Здравствуйте, ${name}! Меня зовут `), hint)
        assert.ok(!hint.includes('{{'), hint)
        for (const next of ['Потребность', 'Итог']) {
          const pinned = frame.locator('[data-testid="pinned-block"]')
          assert.ok(await pinned.isVisible(), `the pinned block is shown before «${next}»`)
          assert.match(await pinned.textContent(), new RegExp(`Клиент ${name}: говорите спокойно`))
          await frame.click(`[data-testid="next-step"]:has-text("${next}")`)
          await frame.waitForSelector(`[data-testid="step-title"]:has-text("${next}")`)
        }
        assert.ok(await frame.locator('[data-testid="pinned-block"]').isVisible(), 'still there at the last step')
        const box = await frame.locator('[data-testid="pinned-block"]').boundingBox()
        const title = await frame.locator('[data-testid="step-title"]').boundingBox()
        assert.ok(box.y < title.y, 'the block is above the step')
        // Back at «Потребность»: the tag shows the title of the client's open deal the card loaded.
        await frame.click('[data-testid="back"]')
        await frame.waitForSelector('[data-testid="step-title"]:has-text("Потребность")')
        const dealHint = (await frame.textContent('[data-testid="step-hint"]')).trim()
        const titles = ((await crmState(stack)).deals ?? []).map((d) => d.TITLE)
        assert.ok(titles.some((t) => dealHint === `Сделка: ${t}`), `${dealHint} names a deal of the CRM: ${titles.join(', ')}`)
        await frame.waitForTimeout(300)
      } finally {
        await giveRole(stack, '3', null)
      }
    }
  },
  {
    name: 'HTML and scripts in CRM data, script text and button names render as text',
    async run({ stack, context, use }) {
      const w = await world(stack)
      // A second role for user 3 whose script and button carry the payloads.
      const script = await publishScript(stack, 'Проверка <b>разметки</b>', 's', [
        { id: 's', title: xss, hint: xss, next: ['t'] },
        { id: 't', title: `${xss} 2` }
      ])
      const button = await createButton(stack, { name: xss.slice(0, 64), color: '#2fc6f6', actions: [{ kind: 'comment', text: xss }] })
      const role = await settings(stack, 'POST', '/api/settings/roles', {
        name: 'Проверка',
        client_fields: w.clientFields,
        button_ids: [button],
        script_ids: [script.id]
      })
      await giveRole(stack, '3', role.id)
      const pwned = () => window.__pwned
      try {
        const { page, frame } = await openFor(context, stack, 3, phones.xss, 'externalCall.xss.1', {
          waitFor: `[data-section="contact:${w.xssContact}"] [data-field="COMMENTS"] input`
        })
        use(page)
        const section = frame.locator(`[data-section="contact:${w.xssContact}"]`)
        assert.equal((await section.locator('h2').textContent()).trim(), `Контакт: ${xss} ${xss}`)
        assert.equal(await section.locator('[data-field="NAME"] input').inputValue(), xss)
        assert.equal(await section.locator('[data-field="COMMENTS"] input').inputValue(), xss)
        assert.equal((await frame.textContent('[data-testid="action-button"]')).trim(), xss.slice(0, 64))

        await frame.click('[role="tab"]:has-text("Скрипт")')
        await frame.waitForSelector('[data-testid="step-title"]')
        assert.equal((await frame.textContent('[data-testid="step-title"]')).trim(), xss)
        assert.equal((await frame.textContent('[data-testid="step-hint"]')).trim(), xss)
        assert.equal((await frame.textContent('[data-testid="next-step"]')).trim(), `${xss} 2`)
        assert.match(await frame.textContent('[data-testid="script-tab"]'), /Проверка <b>разметки<\/b>/)

        await frame.click('[data-testid="action-button"]')
        await frame.waitForSelector('[data-testid="action-summary"]')
        assert.equal(await frame.locator('[data-testid="press-dialog"] textarea').inputValue(), xss)
        assert.match(await frame.textContent('[role="dialog"]'), /<img src=x/)

        assert.equal(await frame.evaluate(() => document.querySelectorAll('img, b').length), 0, 'no element injected')
        assert.equal(await frame.evaluate(() => document.querySelectorAll('script').length), 2, 'bootstrap + entry')
        assert.equal(await frame.evaluate(pwned), undefined)
        assert.equal(await page.evaluate(pwned), undefined)
      } finally {
        await giveRole(stack, '3', null)
      }
    }
  },
  {
    name: 'CallCard::EntityChanged from the portal reloads the card for the new record',
    async run({ stack, context, use }) {
      await world(stack)
      const contexts = []
      const { page, frame } = await openFor(context, stack, 2, phones.client, 'externalCall.entity.1', {
        beforeOpen: (p) =>
          p.on('response', async (r) => {
            if (new URL(r.url()).pathname === '/api/callcard/context') contexts.push({ url: new URL(r.url()), body: await r.json() })
          }),
        waitFor: '[data-section="contact:1"]'
      })
      use(page)
      await page.evaluate(() => window.__emitEntityChanged({ PHONE_NUMBER: '+79001234567', CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 1 }))
      await frame.waitForSelector('[data-section="company:1"]')
      assert.equal((await frame.textContent('[data-section="company:1"] h2')).trim(), 'Компания: ООО Ромашка')
      assert.equal(await frame.inputValue('[data-section="company:1"] [data-field="TITLE"] input'), 'ООО Ромашка')
      await until('both answers', () => contexts.length === 2)
      assert.equal(contexts[1].url.searchParams.get('entity'), 'company')
      assert.equal(contexts[1].url.searchParams.get('entity_id'), '1')
      assert.deepEqual(contexts[1].body.matches[0], { entity: 'company', id: '1', title: 'ООО Ромашка' })
      assert.equal(await frame.locator('[data-section="contact:1"]').count(), 0)
    }
  },
  {
    // Last: it ends the paid period, which blocks a seat (and renews it afterwards).
    name: 'a seat blocked by the tariff is explained in Russian with the supervisors and a link',
    async run({ stack, context, use }) {
      const w = await world(stack)
      await giveRole(stack, '3', w.role)
      try {
        await setPlan(stack, 'standard', '2020-01-31')
        // The free plan's 2 seats: the Supervisor and one of users 2 and 3, chosen at random.
        let users
        await until('one of the operators blocked', async () => {
          users = (await settings(stack, 'GET', '/api/settings/users')).users
          return users.filter((u) => u.status === 'blocked').length === 1
        })
        const blocked = users.find((u) => u.status === 'blocked')
        const kept = users.find((u) => ['2', '3'].includes(u.user_id) && u.status === 'active')
        assert.ok(['2', '3'].includes(blocked.user_id), JSON.stringify(users))
        assert.ok(kept, JSON.stringify(users))
        assert.equal(users.find((u) => u.user_id === '1').status, 'active', 'the Supervisor stays')

        const mark = await requestMark(stack)
        const { page, frame } = await openFor(context, stack, Number(blocked.user_id), phones.client, 'externalCall.blocked.1', {
          waitFor: '[data-testid="no-seat"]'
        })
        use(page)
        assert.match(
          await frame.textContent('[data-testid="no-seat"]'),
          /Ваше место в opdesk заблокировано: оплаченный период тарифа закончился или мест не хватает\./
        )
        assert.deepEqual(await frame.locator('[data-testid="supervisors"] li').allTextContents(), ['Анна Админова'])
        assert.equal(
          await frame.getAttribute('[data-testid="settings-link"]', 'href'),
          `https://127.0.0.1:${stack.emuPort}/marketplace/app/7/`
        )
        assert.equal((await requestsSince(stack, mark, 'crm.duplicate.findbycomm')).length, 0)
        const direct = await stack.api('GET', '/api/callcard/client?entity=contact&id=1', undefined, { user: Number(blocked.user_id) })
        assert.equal(direct.status, 403, 'the data stays closed to them')
      } finally {
        await setPlan(stack, 'standard', farAhead)
        await until('the seats restored', async () =>
          (await settings(stack, 'GET', '/api/settings/users')).users.every((u) => u.status !== 'blocked')
        )
        await giveRole(stack, '3', null)
      }
    }
  }
]
