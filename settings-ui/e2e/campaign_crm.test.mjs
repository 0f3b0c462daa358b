// «Контакты из CRM» of a dialing task in the browser against the real opdesk and portal emulator:
// a manager searches the CRM's contacts, ticks two and adds them (the per-contact answer shown,
// and the task holding them as CRM contacts); then builds a filter of two conditions with the
// fields read from the CRM, checks how many match, saves it (the preview count shown) and sees
// an unknown field refused next to its row. The back link leads to the task's page by path.
import assert from 'node:assert/strict'
import { open, route, settle, text, texts } from './settings_helpers.mjs'
import { publishScript, settings, world } from './world.mjs'

const tag = () => Math.random().toString(36).slice(2, 7)

async function seedContacts(stack, contacts) {
  await stack.control('POST', '/_emu/seed', {
    contacts: contacts.map(([name, phone]) => ({ NAME: name, ...(phone ? { PHONE: [{ VALUE: phone, VALUE_TYPE: 'WORK' }] } : {}) }))
  })
}

async function newTask(stack, name) {
  const script = await publishScript(stack, `Обзвон ${name}`, 'a', [{ id: 'a', title: 'Приветствие' }])
  return settings(stack, 'POST', '/api/campaigns', { name, script_id: script.id, employee_ids: ['2'] })
}

export const tests = [
  {
    name: 'a manager picks two CRM contacts and saves a filter with its preview',
    async run({ stack, context, use }) {
      await world(stack)
      const family = `Браузеров${tag()}`
      await seedContacts(stack, [
        [`${family} Первый`, '+79031110001'],
        [`${family} Второй`, '+79031110002'],
        [`${family} Третий`, '']
      ])
      const task = await newTask(stack, `Обзвон CRM ${family}`)
      const { page, frame } = await open(context, stack, use, `/campaigns/${task.id}/crm`)
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Контакты из CRM')
      // The back link goes to the task's page by its path (the task page is another section's),
      // then the page is opened again.
      assert.ok((await frame.getAttribute('[data-testid="back"]', 'href')).endsWith(`#/campaigns/${task.id}`))
      await frame.click('[data-testid="back"]')
      await frame.waitForSelector('[data-testid="campaign-crm-page"]', { state: 'detached' })
      await frame.evaluate((id) => (location.hash = `#/campaigns/${id}/crm`), task.id)
      await frame.waitForSelector('[data-testid="campaign-crm-page"] [data-testid="filter"]')
      assert.equal(await route(frame), `/campaigns/${task.id}/crm`)

      // Search by name: three found; tick two and add them.
      await frame.fill('[data-testid="search-input"] input, input[data-testid="search-input"]', family)
      await frame.click('[data-testid="search"]')
      await frame.waitForSelector('[data-testid="found"]')
      const found = await texts(frame, '[data-testid="found"]')
      assert.equal(found.length, 3, found.join(' | '))
      assert.ok(found.some((f) => f.includes('нет телефона')), 'the contact without a number says so')
      const ids = await frame.$$eval('[data-testid="found"]', (els) => els.map((e) => e.dataset.id))
      await frame.check(`[data-pick="${ids[0]}"]`)
      await frame.check(`[data-pick="${ids[1]}"]`)
      assert.equal(await text(frame, '[data-testid="add-selected"]'), 'Добавить выбранные (2)')
      await frame.click('[data-testid="add-selected"]')
      await frame.waitForSelector('[data-testid="outcome"]')
      assert.equal(await text(frame, '[data-testid="added-count"]'), 'Добавлено: 2')
      assert.deepEqual(await texts(frame, '[data-testid="added"]'), [`${family} Первый`, `${family} Второй`])
      // The same one again is refused with its reason.
      await frame.check(`[data-pick="${ids[0]}"]`)
      await frame.click('[data-testid="add-selected"]')
      await frame.waitForSelector('[data-testid="refused"]')
      assert.equal(await text(frame, '[data-testid="refused"]'), `${family} Первый — уже в задании`)
      const contacts = await settings(stack, 'GET', `/api/campaigns/${task.id}/contacts`)
      assert.deepEqual(
        contacts.contacts.map((c) => [c.source, c.crm_contact_id, c.phone]),
        [
          ['crm_contact', ids[0], ''],
          ['crm_contact', ids[1], '']
        ]
      )

      // The filter: the fields come from the CRM; name contains the family, phone not empty.
      await frame.waitForSelector('[data-testid="condition"]')
      const fieldOptions = await texts(frame, '[data-testid="condition"] [data-testid="condition-field"] option')
      assert.ok(fieldOptions.includes('Имя') && fieldOptions.includes('Телефон'), fieldOptions.join(', '))
      await frame.selectOption('[data-row="0"] [data-testid="condition-field"]', 'NAME')
      await frame.selectOption('[data-row="0"] [data-testid="condition-op"]', 'contains')
      await frame.fill('[data-row="0"] [data-testid="condition-value"] input, [data-row="0"] input[data-testid="condition-value"]', family)
      await frame.click('[data-testid="add-condition"]')
      await frame.selectOption('[data-row="1"] [data-testid="condition-field"]', 'PHONE')
      await frame.selectOption('[data-row="1"] [data-testid="condition-op"]', 'not_empty')
      assert.equal(await frame.$('[data-row="1"] [data-testid="condition-value"]'), null, 'no value for «не пусто»')
      await frame.click('[data-testid="preview"]')
      await frame.waitForSelector('[data-testid="matching"]')
      assert.equal(await text(frame, '[data-testid="matching"]'), 'Подходит контактов: 2')
      await frame.click('[data-testid="save-filter"]')
      await frame.waitForSelector('[data-testid="taken"]')
      assert.equal(await text(frame, '[data-testid="matching"]'), 'Подходит контактов: 2')
      assert.equal(await text(frame, '[data-testid="taken"]'), 'Взято в задание: 0, пропущено: 0')
      const stored = await settings(stack, 'GET', `/api/campaigns/${task.id}/crm-filter`)
      assert.deepEqual(stored.conditions, [
        { field: 'NAME', op: 'contains', value: family },
        { field: 'PHONE', op: 'not_empty', value: '' }
      ])
      assert.equal(stored.version, 1)

      // A field the CRM does not have (a stale page): refused next to its row, nothing stored.
      await frame.evaluate(() => {
        const select = document.querySelector('[data-row="1"] [data-testid="condition-field"]')
        const option = document.createElement('option')
        option.value = 'UF_CRM_GONE'
        option.textContent = 'Удалённое поле'
        select.appendChild(option)
      })
      await frame.selectOption('[data-row="1"] [data-testid="condition-field"]', 'UF_CRM_GONE')
      await frame.click('[data-testid="save-filter"]')
      await frame.waitForSelector('[data-row="1"] [data-testid="condition-error"]')
      assert.match(await text(frame, '[data-row="1"] [data-testid="condition-error"]'), /^В CRM нет такого поля контакта/)
      assert.equal((await settings(stack, 'GET', `/api/campaigns/${task.id}/crm-filter`)).version, 1)
      await settle(page, frame)
    }
  }
]
