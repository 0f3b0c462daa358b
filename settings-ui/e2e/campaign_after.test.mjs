// After a dialing task's call in the browser (FEATURES F6, F7): the managers' e-mail templates
// page (a variable inserted at the caret, an unknown one refused), the after-call panel as the
// operator sees it (the task's template rendered, «Отправлять письмо» sent with a copy to the
// operator, a recording of the wrong type refused and a real one uploaded with its progress
// bar), and the «Создать счёт» page (two products ticked, one price adjusted, a cancel date;
// the invoice's number shown). Effects are checked where they land: the portal emulator's
// activities, comments and smart invoices.
import assert from 'node:assert/strict'
import { until } from './harness.mjs'
import { open, settle, text } from './settings_helpers.mjs'
import { crmState, settings, world } from './world.mjs'

const clientPhone = '+79005550188'

// A running task worked by the operator (user 2), who has the client's number open, with a
// default template; once per stack.
const tasks = new WeakMap()
function afterWorld(stack) {
  if (!tasks.has(stack)) {
    tasks.set(
      stack,
      (async () => {
        const w = await world(stack)
        await stack.control('POST', '/_emu/seed', {
          contacts: [
            {
              NAME: 'Пётр',
              LAST_NAME: 'Покупателев',
              PHONE: [{ VALUE: clientPhone, VALUE_TYPE: 'WORK' }],
              EMAIL: [{ VALUE: 'petr@client.example', VALUE_TYPE: 'WORK' }]
            }
          ]
        })
        const task = await settings(stack, 'POST', '/api/campaigns', {
          name: 'Весенняя акция',
          description: '',
          script_id: w.scripts.outgoing.id,
          employee_ids: ['2']
        })
        // The import takes the text itself as its body.
        const imported = await fetch(`${stack.opdeskUrl}/api/campaigns/${task.id}/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await stack.sessionOf(1)}`, 'content-type': 'text/plain' },
          body: `${clientPhone};Пётр Покупателев`
        })
        assert.equal(imported.status, 200, await imported.text())
        await settings(stack, 'POST', `/api/campaigns/${task.id}/state`, { state: 'running', version: 1 }, 200)
        const tpl = await settings(stack, 'POST', '/api/campaign-templates', {
          name: 'Договорённости',
          subject: '{{TASK.NAME}}: договорённости',
          body: 'Здравствуйте, {{CONTACT.NAME}}! Это {{OPERATOR.NAME}}, как договорились.'
        })
        await settings(stack, 'PUT', `/api/campaigns/${task.id}/email-template`, { template_id: tpl.id }, 200)
        const next = await stack.api('POST', `/api/campaigns/${task.id}/next`, undefined, { user: 2 })
        assert.equal(next.status, 200, JSON.stringify(next.body))
        return { task: task.id, contact: next.body.contact.id }
      })()
    )
  }
  return tasks.get(stack)
}

async function clientId(stack) {
  const state = await crmState(stack)
  return state.contacts.find((c) => c.NAME === 'Пётр' && c.LAST_NAME === 'Покупателев').ID
}

const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(600 * 1024, 0x55)])

export const tests = [
  {
    name: 'the manager writes a template with variables on the templates page',
    async run({ stack, context, use }) {
      await afterWorld(stack)
      const { page, frame } = await open(context, stack, use, '/campaigns/templates', {
        waitFor: '[data-testid="template-list"]'
      })
      await frame.click('[data-testid="add-template"]')
      await frame.fill('[data-testid="template-name"] input, input[data-testid="template-name"]', 'Счёт отправлен')
      await frame.fill('[data-testid="template-subject"]', 'Счёт по заданию ')
      await frame.click('[data-testid="template-subject"]')
      await frame.press('[data-testid="template-subject"]', 'End')
      await frame.click('[data-variable="TASK.NAME"]')
      await frame.fill('[data-testid="template-body"]', 'Здравствуйте, ! Счёт {{DEAL.SUM}}')
      await frame.click('[data-testid="save-template"]')
      await frame.waitForSelector('[data-testid="field-error"][data-field="body"]')
      await frame.fill('[data-testid="template-body"]', 'Здравствуйте, ! Счёт во вложении.')
      // The caret after "Здравствуйте, " and the variable put there.
      await frame.evaluate(() => {
        const el = document.querySelector('[data-testid="template-body"]')
        el.focus()
        el.setSelectionRange(14, 14)
        el.dispatchEvent(new KeyboardEvent('keyup'))
      })
      await frame.click('[data-variable="CONTACT.NAME"]')
      await frame.click('[data-testid="save-template"]')
      await frame.waitForSelector('[data-testid="saved"]')
      const stored = (await settings(stack, 'GET', '/api/campaign-templates')).templates.find((t) => t.name === 'Счёт отправлен')
      assert.equal(stored.subject, 'Счёт по заданию {{TASK.NAME}}')
      assert.equal(stored.body, 'Здравствуйте, {{CONTACT.NAME}}! Счёт во вложении.')
      await frame.click(`[data-template="${stored.id}"] .template-name`)
      await settle(page, frame)
    }
  },
  {
    name: 'the operator saves the result with the e-mail and the recording, then goes to the invoice',
    async run({ stack, context, use }) {
      const { task } = await afterWorld(stack)
      const client = await clientId(stack)
      const { page, frame } = await open(context, stack, use, `/campaigns/${task}/work`, { userId: 2 })
      await frame.click('[data-testid="start"]')
      await frame.waitForSelector('[data-testid="contact"] [data-testid="after-call-panel"] [data-testid="send-email"]')
      await frame.check('[data-testid="result-talked"]')
      await frame.check('[data-testid="remind-none"]')
      await frame.check('[data-testid="send-email"]')
      await frame.waitForSelector('[data-testid="email-editor"]')
      assert.equal(await frame.inputValue('[data-testid="email-subject"] input, input[data-testid="email-subject"]'), 'Весенняя акция: договорённости')
      assert.match(await frame.inputValue('[data-testid="email-body"]'), /^Здравствуйте, Пётр Покупателев! Это Борис Операторов/)
      assert.equal(await frame.inputValue('[data-testid="email-to"] input, input[data-testid="email-to"]'), 'petr@client.example')
      // A bad address is refused where it was typed.
      await frame.fill('[data-testid="email-to"] input, input[data-testid="email-to"]', 'petr@')
      await frame.click('[data-testid="email-send"]')
      await frame.waitForSelector('[data-testid="field-error"][data-field="to"]')
      assert.match(await text(frame, '[data-testid="field-error"][data-field="to"]'), /Это не адрес e-mail/)
      await frame.fill('[data-testid="email-to"] input, input[data-testid="email-to"]', 'petr@client.example')
      await frame.waitForSelector('[data-testid="field-error"][data-field="to"]', { state: 'detached' })
      await frame.check('[data-testid="copy-to-me"]')

      // A file that is not audio is refused before it is sent, one named .mp3 by the server;
      // a real one shows its progress and lands in the client's timeline.
      await frame.setInputFiles('[data-testid="recording-file"]', { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7') })
      assert.match(await text(frame, '[data-testid="recording-error"]'), /mp3, wav или ogg/)
      await frame.setInputFiles('[data-testid="recording-file"]', { name: 'fake.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('%PDF-1.7 not audio') })
      await frame.click('[data-testid="recording-upload"]')
      await frame.waitForSelector('[data-testid="recording-error"]')
      assert.match(await text(frame, '[data-testid="recording-error"]'), /Нужен файл mp3, wav или ogg/)
      await frame.setInputFiles('[data-testid="recording-file"]', { name: 'call.mp3', mimeType: 'audio/mpeg', buffer: mp3 })
      await frame.click('[data-testid="recording-upload"]')
      await frame.waitForSelector('[data-testid="actions"] [data-kind="recording"][data-state="done"]', { timeout: 20_000 })
      const comment = (await crmState(stack)).comments.find((c) => String(c.ENTITY_ID) === client && c.FILES)
      assert.equal(comment.FILES[0].name, 'call.mp3')
      assert.equal(comment.FILES[0].size, mp3.length)
      await settle(page, frame)
      await page.screenshot({ path: 'test-artifacts/campaign-after--panel-on-the-work-page.png', fullPage: true })

      // «Сохранить и создать счёт»: the result, then the e-mail, then the invoice page.
      await frame.click('[data-testid="save-and-invoice"]')
      await frame.waitForSelector('[data-testid="invoice-page"]', { timeout: 15_000 })
      await until(
        'the e-mail in the client timeline',
        async () => (await crmState(stack)).activities.some((a) => a.TYPE_ID === '4' && a.OWNER_ID === client),
        20_000
      )
      const emails = (await crmState(stack)).activities.filter((a) => a.TYPE_ID === '4' && a.OWNER_ID === client)
      assert.equal(emails.length, 1)
      assert.equal(emails[0].SUBJECT, 'Весенняя акция: договорённости')
      assert.deepEqual(emails[0].COMMUNICATIONS.map((c) => c.VALUE), ['petr@client.example', 'user2@example.test'])
      await settle(page, frame)
    }
  },
  {
    name: 'the operator makes an invoice with two products and an adjusted price',
    async run({ stack, context, use }) {
      const { task, contact } = await afterWorld(stack)
      const client = await clientId(stack)
      const { page, frame } = await open(context, stack, use, `/campaigns/${task}/contacts/${contact}/invoice`, {
        userId: 2,
        waitFor: '[data-testid="invoice-page"]'
      })
      await frame.click('[data-testid="invoice-save"]')
      await frame.waitForSelector('[data-testid="field-error"][data-field="lines"]')
      await frame.click('[data-testid="add-product"]')
      await frame.waitForSelector('[data-testid="product-picker"] [data-product="2"]')
      await frame.check('[data-product="2"] input')
      await frame.check('[data-product="3"] input')
      await frame.click('[data-testid="apply-products"]')
      await frame.waitForSelector('[data-line="3"]')
      // «Бизнес» for the difference to the paid «Старт», two setups.
      await frame.fill('[data-line="2"] [data-testid="line-price"] input, [data-line="2"] input[data-testid="line-price"]', '10000')
      await frame.fill('[data-line="3"] [data-testid="line-quantity"] input, [data-line="3"] input[data-testid="line-quantity"]', '2')
      assert.match(await text(frame, '[data-testid="invoice-total"]'), /19\s000,00/)
      await frame.fill('[data-testid="cancel-date"]', '2027-01-31')
      await frame.click('[data-testid="invoice-save"]')
      await frame.waitForSelector('[data-testid="invoice-created"]', { timeout: 20_000 })
      const invoices = (await crmState(stack)).invoices.filter((i) => String(i.contactId) === client)
      assert.equal(invoices.length, 1)
      assert.match(await text(frame, '[data-testid="invoice-created"]'), new RegExp(`№ ${invoices[0].id}`))
      assert.deepEqual(
        invoices[0].productRows.map((r) => [r.productId, r.price, r.quantity]),
        [
          [2, 10000, 1],
          [3, 4500, 2]
        ]
      )
      assert.equal(invoices[0].closedate, '2027-01-31')
      await until('the save stays disabled', async () => frame.isDisabled('[data-testid="invoice-save"]'))
      await settle(page, frame)
    }
  }
]
