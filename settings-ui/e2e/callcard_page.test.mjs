// The call card page in the browser: the real shell, session and local bridge from opdesk and the
// portal harness, with /api/callcard/* answered in the browser by contract-shaped fixtures
// (e2e/fixtures.mjs). What the portal sees (disableAutoClose, EntityChanged) is real bridge traffic.
import assert from 'node:assert/strict'
import { openCallCard } from './harness.mjs'
import { contact, context, script, stubCallCardApi, xss } from './fixtures.mjs'

function standardApi(over = {}) {
  return {
    'GET /api/callcard/context': context(),
    'GET /api/callcard/client': { sections: [contact()] },
    'GET /api/callcard/scripts/s1': script,
    'POST /api/callcard/runs': { run_id: 'run-1' },
    'PUT /api/callcard/runs/run-1': { run_id: 'run-1', saved_at_ms: 1 },
    ...over
  }
}

export const tests = [
  {
    name: 'the operator sees the client with editors, walks the script and keeps the place',
    async run({ stack, context: browser, use }) {
      let seen
      const { page, frame } = await openCallCard(browser, stack, {
        userId: 2,
        beforeOpen: async (p) => (seen = await stubCallCardApi(p, standardApi())),
        waitFor: '[data-field="NAME"] input'
      })
      use(page)
      assert.equal(await frame.inputValue('[data-field="NAME"] input'), 'Иван')
      assert.equal(await frame.inputValue('[data-field="BIRTHDATE"] input'), '1990-05-01')
      assert.equal(await frame.inputValue('[data-field="SOURCE_ID"] select'), 'CALL')
      assert.equal(await frame.isVisible('[data-field="ID"] [data-testid="lock"]'), true)
      const context_ = seen.find((s) => s.key === 'GET /api/callcard/context')
      assert.equal(context_.url.searchParams.get('phone'), '+79001234567')
      assert.equal(context_.url.searchParams.get('call_id'), 'externalCall.browser.1')

      await frame.click('[role="tab"]:has-text("Скрипт")')
      await frame.waitForSelector('[data-testid="step-title"]:has-text("Приветствие")')
      assert.deepEqual(await frame.locator('[data-testid="next-step"]').allTextContents(), ['Потребность', 'Отказ'])
      await frame.click('[data-testid="next-step"]:has-text("Потребность")')
      await frame.waitForSelector('[data-testid="step-title"]:has-text("Потребность")')
      await frame.click('[role="tab"]:has-text("Клиент")')
      await frame.click('[role="tab"]:has-text("Скрипт")')
      assert.equal((await frame.textContent('[data-testid="step-title"]')).trim(), 'Потребность')
      await frame.click('[role="tab"]:has-text("Клиент")') // the screenshot shows the client
    }
  },
  {
    name: 'a keep-open role holds the card through the portal bridge until the operator is done',
    async run({ stack, context: browser, use }) {
      const { page, frame } = await openCallCard(browser, stack, {
        beforeOpen: (p) =>
          stubCallCardApi(p, standardApi({
            'GET /api/callcard/context': context({ role: { id: 'r1', name: 'Оператор', keep_card_open: true } })
          })),
        waitFor: '[data-testid="keep-open"]'
      })
      use(page)
      await page.waitForFunction(() => window.__portal.disableAutoClose >= 1)
      assert.equal(await page.evaluate(() => window.__portal.enableAutoClose), 0)
      await frame.click('[data-testid="keep-open"] button')
      await page.waitForFunction(() => window.__portal.enableAutoClose === 1)
    }
  },
  {
    name: 'CallCard::EntityChanged from the portal reloads the card for the new record',
    async run({ stack, context: browser, use }) {
      let seen
      const { page, frame } = await openCallCard(browser, stack, {
        beforeOpen: async (p) =>
          (seen = await stubCallCardApi(p, standardApi({
            'GET /api/callcard/context': (_req, url) =>
              url.searchParams.get('entity') === 'company'
                ? context({ matches: [{ entity: 'company', id: '9', title: 'ООО «Ромашка»' }] })
                : context(),
            'GET /api/callcard/client': (_req, url) =>
              url.searchParams.get('entity') === 'company'
                ? { sections: [{ entity: 'company', id: '9', title: 'ООО «Ромашка»', fields: [] }] }
                : { sections: [contact()] }
          }))),
        waitFor: '[data-field="NAME"]'
      })
      use(page)
      await page.evaluate(() => window.__emitEntityChanged({ PHONE_NUMBER: '+79001234567', CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 9 }))
      await frame.waitForSelector('text=Компания: ООО «Ромашка»')
      const contexts = seen.filter((s) => s.key === 'GET /api/callcard/context')
      assert.equal(contexts.length, 2)
      assert.equal(contexts[1].url.searchParams.get('entity_id'), '9')
    }
  },
  {
    name: 'a button press shows what will happen and runs once with one press_id',
    async run({ stack, context: browser, use }) {
      const presses = []
      const { page, frame } = await openCallCard(browser, stack, {
        beforeOpen: (p) =>
          stubCallCardApi(p, standardApi({
            'POST /api/callcard/buttons/b1/preview': {
              actions: [{ index: 0, kind: 'callback', summary: 'Звонок завтра в 10:00', deadline: '2030-01-02T10:00:00+03:00', text: 'Перезвонить', editable: ['deadline', 'text'] }]
            },
            'POST /api/callcard/buttons/b1/press': async (req) => {
              presses.push(req.postDataJSON())
              await new Promise((r) => setTimeout(r, 200)) // a slow CRM: room for a double click
              return { press_id: req.postDataJSON().press_id, actions: [{ index: 0, kind: 'callback', state: 'done' }] }
            }
          })),
        waitFor: '[data-testid="action-button"]'
      })
      use(page)
      const button = frame.locator('[data-testid="action-button"]')
      assert.equal((await button.textContent()).trim(), 'Перезвонить')
      assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 87, 82)')
      await button.click()
      await frame.waitForSelector('[data-testid="action-summary"]:has-text("Звонок завтра в 10:00")')
      await frame.fill('[data-testid="edit-deadline"] input, input[data-testid="edit-deadline"]', '2030-01-03T12:30')
      await frame.dblclick('[data-testid="run"]')
      await frame.waitForSelector('[data-testid="action-state"]:has-text("Готово")')
      assert.equal(presses.length, 1)
      assert.match(presses[0].press_id, /^[0-9a-f-]{36}$/)
      assert.deepEqual(presses[0].overrides, [{ index: 0, deadline: '2030-01-03T12:30' }])
    }
  },
  {
    name: 'a seat blocked by the tariff is explained in Russian with the supervisors and a link',
    async run({ stack, context: browser, use }) {
      let seen
      const { page, frame } = await openCallCard(browser, stack, {
        beforeOpen: async (p) =>
          (seen = await stubCallCardApi(p, {
            'GET /api/callcard/context': {
              user: { id: '3', name: 'Вера Менеджерова' },
              access: {
                state: 'blocked',
                supervisors: [{ id: '1', name: 'Анна Админова' }],
                settings_url: 'https://sandbox.bitrix24.ru/marketplace/app/opdesk/'
              }
            }
          })),
        waitFor: '[data-testid="no-seat"]'
      })
      use(page)
      assert.match(await frame.textContent('[data-testid="no-seat"]'), /Ваше место в opdesk заблокировано/)
      assert.deepEqual(await frame.locator('[data-testid="supervisors"] li').allTextContents(), ['Анна Админова'])
      assert.equal(await frame.getAttribute('[data-testid="settings-link"]', 'href'), 'https://sandbox.bitrix24.ru/marketplace/app/opdesk/')
      assert.deepEqual(seen.map((s) => s.key), ['GET /api/callcard/context'])
    }
  },
  {
    name: 'HTML in CRM data, script text and button names renders as text',
    async run({ stack, context: browser, use }) {
      const { page, frame } = await openCallCard(browser, stack, {
        beforeOpen: (p) =>
          stubCallCardApi(p, standardApi({
            'GET /api/callcard/context': context({
              matches: [{ entity: 'contact', id: '7', title: xss }],
              buttons: [{ id: 'b1', name: xss, color: '#2fc6f6', actions: [] }]
            }),
            'GET /api/callcard/client': {
              sections: [contact({ title: xss, fields: [{ entity: 'contact', code: 'COMMENTS', label: xss, type: 'string', editable: true, value: xss }] })]
            },
            'GET /api/callcard/scripts/s1': { ...script, steps: [{ id: 'a', title: xss, hint: xss, fields: [], next: ['b'] }, { id: 'b', title: xss, hint: '', fields: [], next: [] }] }
          })),
        waitFor: '[data-field="COMMENTS"] input'
      })
      use(page)
      await frame.click('[role="tab"]:has-text("Скрипт")')
      await frame.waitForSelector('[data-testid="step-title"]')
      assert.equal((await frame.textContent('[data-testid="step-title"]')).trim(), xss)
      assert.equal((await frame.textContent('[data-testid="next-step"]')).trim(), xss)
      assert.equal((await frame.textContent('[data-testid="action-button"]')).trim(), xss)
      assert.equal(await frame.inputValue('[data-field="COMMENTS"] input'), xss)
      assert.equal(await frame.evaluate(() => document.querySelectorAll('img').length), 0)
      assert.equal(await page.evaluate(() => window.__pwned), undefined)
    }
  }
]
