// «Обзвоны» in the browser against the real opdesk and portal emulator: a manager creates a task,
// picks the script and an operator (a start without one is refused under «Операторы»), imports
// a pasted list with a bad line and a repeat and sees the per-line report, adds the good lines
// and starts the task; the task page filters by a status chip, deletes two contacts after a
// confirmation that says how many and exports the CSV of the filtered rows; an operator sees
// only the tasks they work, with «Приступить к работе»; a user without a seat is refused.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { uiDir } from './harness.mjs'
import { open, route, settle as settleNow, text, texts } from './settings_helpers.mjs'
import { settings, world } from './world.mjs'

// Fits the frame and makes the window as tall as the frame, so the screenshot has the whole page.
async function settle(page, frame) {
  await settleNow(page, frame)
  const height = await page.evaluate(() => document.getElementById('card').getBoundingClientRect().bottom)
  const size = page.viewportSize()
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height) + 20) })
  await page.waitForTimeout(300)
}

const waitText = (frame, selector, wanted) =>
  frame.waitForFunction(
    ([sel, want]) => document.querySelector(sel)?.textContent.replace(/\s+/g, ' ').trim() === want.replace(/\s+/g, ' '),
    [selector, wanted],
    { timeout: 10_000 }
  )

// POST /api/campaigns/{id}/import as the Supervisor: the body is the text itself.
async function importText(stack, id, body) {
  const r = await fetch(`${stack.opdeskUrl}/api/campaigns/${id}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.sessionOf(1)}`, 'content-type': 'text/plain; charset=utf-8' },
    body
  })
  return { status: r.status, body: await r.json() }
}

// A running task of five numbers worked by Борис (user 2): one refused (done), one in his work.
async function workedTask(stack, name) {
  const w = await world(stack)
  const task = await settings(stack, 'POST', '/api/campaigns', {
    name,
    script_id: w.scripts.outgoing.id,
    employee_ids: ['2'],
    retry: { max_attempts: 2, spacing_minutes: 30 }
  })
  const list = ['+79101000001;Первый', '+79101000002;Второй', '+79101000003;Третий', '+79101000004;Четвёртый', '+79101000005;Пятый']
  const imported = await importText(stack, task.id, list.join('\n'))
  assert.equal(imported.status, 200, JSON.stringify(imported.body))
  assert.equal(imported.body.added, 5)
  const started = await settings(stack, 'POST', `/api/campaigns/${task.id}/state`, { state: 'running', version: task.version }, 200)
  const first = await stack.api('POST', `/api/campaigns/${task.id}/next`, undefined, { user: 2 })
  assert.equal(first.status, 200, JSON.stringify(first.body))
  const done = await stack.api(
    'PUT',
    `/api/campaigns/${task.id}/contacts/${first.body.contact.id}/result`,
    { result: 'refused', comment: 'Не интересно', version: first.body.contact.version },
    { user: 2 }
  )
  assert.equal(done.status, 200, JSON.stringify(done.body))
  const second = await stack.api('POST', `/api/campaigns/${task.id}/next`, undefined, { user: 2 })
  assert.equal(second.status, 200, JSON.stringify(second.body))
  return { ...started, refused: done.body, inWork: second.body.contact }
}

async function contactsOf(stack, id, query = '') {
  const r = await stack.api('GET', `/api/campaigns/${id}/contacts${query}`)
  assert.equal(r.status, 200)
  return r.body
}

export const tests = [
  {
    name: 'a manager creates a task, picks the script and an operator, imports a list with a bad line and starts it',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const draft = await settings(stack, 'POST', '/api/settings/scripts', { name: 'Черновик обзвона' })
      const { page, frame } = await open(context, stack, use, '/campaigns', { waitFor: '[data-testid="campaigns-page"] [data-testid="intro"]' })
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Обзвоны')
      await frame.click('[data-testid="create"]')
      await frame.waitForSelector('[data-testid="editor"]')
      assert.equal(await route(frame), '/campaigns/new')
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Новое задание')
      // A name is required (checked before sending).
      await frame.click('[data-testid="save"]')
      assert.equal(await text(frame, '[data-testid="name"] [data-testid="field-error"]'), 'Заполните это поле.')
      await frame.fill('[data-testid="name"] input', 'Весенняя акция')
      await frame.fill('[data-testid="description"] textarea', 'Предложите скидку 10 % постоянным клиентам.')
      // A script never published is named as such.
      await frame.selectOption('[data-testid="script"] select', draft.id)
      assert.match(await text(frame, '[data-testid="script-warning"]'), /У скрипта «Черновик обзвона» нет опубликованной версии/)
      await frame.selectOption('[data-testid="script"] select', w.scripts.outgoing.id)
      assert.equal(await frame.$('[data-testid="script-warning"]'), null)
      // Only the users holding a seat are offered: the Supervisor and Борис, not Вера.
      const offered = await frame.$$eval('[data-testid="employee"]', (els) => els.map((e) => e.dataset.id))
      assert.deepEqual(offered.sort(), ['1', '2'])
      await frame.click('[data-testid="save"]')
      await frame.waitForFunction(() => /^#\/campaigns\/\d+$/.test(location.hash))
      const id = (await route(frame)).split('/')[2]
      await frame.waitForSelector('[data-testid="import"]')
      assert.equal(await text(frame, '[data-testid="state"]'), 'Черновик')

      // Starting without an operator: the server's refusal under «Операторы».
      await frame.click('[data-testid="start"]')
      await waitText(frame, '[data-testid="employees"] [data-testid="field-error"]', 'Добавьте хотя бы одного оператора: без операторов задание не запустить.')
      await settle(page, frame)
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-campaigns--start-refused.png'), fullPage: true })
      assert.equal((await settings(stack, 'GET', `/api/campaigns/${id}`)).state, 'draft')
      await frame.check('[data-testid="employee"][data-id="2"] input')
      await frame.click('[data-testid="save"]')
      await frame.waitForSelector('[data-testid="saved"]')
      assert.deepEqual((await settings(stack, 'GET', `/api/campaigns/${id}`)).employee_ids, ['2'])

      // The import: a header, two good lines, a word and a repeat.
      await frame.click('[data-tab="import"]')
      const pasted = ['Телефон;Имя', '+7 900 111-22-33;Анна Смирнова', 'привет', '8 (900) 222-33-44, Олег', '+79001112233'].join('\n')
      await frame.fill('[data-testid="paste"] textarea', pasted)
      await frame.click('[data-testid="check"]')
      await frame.waitForSelector('[data-testid="report"]')
      assert.equal(await text(frame, '[data-testid="summary"]'), 'Строк: 5. Подходят: 2. С ошибками: 2.')
      assert.equal(await text(frame, '[data-testid="header-skipped"]'), 'Первая строка — заголовок, пропущена.')
      const rows = await frame.$$eval('[data-testid="report-row"]', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()))
      )
      assert.deepEqual(rows, [
        ['3', 'Это не номер телефона', 'привет'],
        ['5', 'Этот номер уже есть выше в списке', '+79001112233']
      ])
      assert.equal((await contactsOf(stack, id)).counts.total, 0, 'the check adds nothing')
      await settle(page, frame)
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-campaigns--import-report.png'), fullPage: true })
      assert.equal(await text(frame, '[data-testid="add"]'), 'Добавить 2 контакта')
      await frame.click('[data-testid="add"]')
      await waitText(frame, '[data-testid="added"]', 'Добавлено контактов: 2. Всего в задании: 2.')
      const stored = await contactsOf(stack, id)
      assert.deepEqual(stored.contacts.map((c) => [c.phone, c.name]).sort(), [
        ['+79001112233', 'Анна Смирнова'],
        ['+79002223344', 'Олег']
      ])
      // «Добавить из CRM» leads to the task's CRM page.
      assert.match(await frame.getAttribute('[data-testid="from-crm"]', 'href'), new RegExp(`#/campaigns/${id}/crm$`))

      await frame.click('[data-testid="start"]')
      await waitText(frame, '[data-testid="state"]', 'Идёт')
      assert.equal(await text(frame, '[data-testid="notice"]'), 'Задание запущено: операторы получают контакты.')
      const running = await settings(stack, 'GET', `/api/campaigns/${id}`)
      assert.equal(running.state, 'running')
      // The version published now is pinned (other tests may have published it again).
      const outgoing = await settings(stack, 'GET', `/api/settings/scripts/${w.scripts.outgoing.id}`)
      assert.equal(running.script_version, outgoing.published_version)
      assert.equal(await text(frame, '[data-testid="pinned"]'), `Операторы работают по версии ${outgoing.published_version} скрипта.`)
      const audit = stack.sql(`SELECT action FROM audit_log WHERE object_id = '${id}' AND action LIKE 'campaign.%' ORDER BY id`)
      assert.deepEqual(audit.map((a) => a.action), ['campaign.create', 'campaign.update', 'campaign.import', 'campaign.start'])

      // The list shows it with its state and counts.
      await frame.click('[data-testid="back"]')
      const row = `[data-testid="row"][data-id="${id}"]`
      await frame.waitForSelector(row)
      assert.equal(await text(frame, `${row} [data-testid="state"]`), 'Идёт')
      assert.equal(await text(frame, `${row} [data-testid="counts"]`), 'Новые 2 · В работе 0 · Завершены 0 из 2')
      assert.equal(await frame.getAttribute(`${row} [data-testid="progress"]`, 'data-percent'), '0')
      await settings(stack, 'DELETE', `/api/settings/scripts/${draft.id}?version=${draft.version}`, undefined, 204)
      await settle(page, frame)
    }
  },
  {
    name: 'a CSV file is checked with an upload progress and added; a file over 2 MB is refused before sending',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const task = await settings(stack, 'POST', '/api/campaigns', { name: 'Из файла', script_id: w.scripts.outgoing.id, employee_ids: ['2'] })
      const { page, frame } = await open(context, stack, use, `/campaigns/${task.id}`, { waitFor: '[data-tab="import"]' })
      await frame.click('[data-tab="import"]')
      // Too big: said at once, nothing sent.
      const requests = []
      page.on('request', (r) => r.url().includes('/import') && requests.push(r.url()))
      await frame.setInputFiles('[data-testid="file"]', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(2 * 1024 * 1024 + 10, 'a') })
      assert.equal(await text(frame, '[data-testid="import-error"]'), 'Это 2.0 MB, а можно не больше 2 МБ: разделите список на части.')
      // 20,000 lines (about 1.3 MB) with a BOM, CRLF and a header; one line is broken.
      const lines = ['\ufeffphone;name']
      for (let i = 0; i < 20_000 - 1; i++) lines.push(`+7920${String(i).padStart(7, '0')};Клиент номер ${i} из длинного списка`)
      lines[500] = '"+79200000499;Незакрытая кавычка'
      const body = Buffer.from(lines.join('\r\n'), 'utf8')
      await frame.setInputFiles('[data-testid="file"]', { name: 'clients.csv', mimeType: 'text/csv', buffer: body })
      assert.match(await text(frame, '[data-testid="file-name"]'), /^Файл «clients\.csv», 1\.\d MB$/)
      assert.equal(await frame.$('[data-testid="paste"]'), null, 'a chosen file replaces the box')
      // Record what the progress bar showed while the file went up.
      await frame.evaluate(() => {
        window.__progress = []
        new MutationObserver(() => {
          const bar = document.querySelector('[data-testid="upload-progress"]')
          if (bar) window.__progress.push(Number(bar.dataset.percent))
        }).observe(document.body, { subtree: true, childList: true, attributes: true })
      })
      await frame.click('[data-testid="check"]')
      await frame.waitForSelector('[data-testid="report"]', { timeout: 30_000 })
      assert.equal(await text(frame, '[data-testid="summary"]'), 'Строк: 20\u00a0000. Подходят: 19\u00a0998. С ошибками: 1.')
      assert.deepEqual(await texts(frame, '[data-testid="report-row"] [data-testid="reason"]'), ['Непарные кавычки'])
      const seen = await frame.evaluate(() => window.__progress)
      assert.ok(seen.length > 0, 'the progress bar was shown')
      assert.ok(seen.every((p) => p >= 0 && p <= 100))
      assert.equal(requests.length, 1, 'only the check was sent')
      await frame.click('[data-testid="add"]')
      await waitText(frame, '[data-testid="added"]', 'Добавлено контактов: 19\u00a0998. Всего в задании: 19\u00a0998.')
      assert.equal((await settings(stack, 'GET', `/api/campaigns/${task.id}`)).counts.total, 19998)
      // The contacts come 100 at a time.
      await frame.click('[data-tab="contacts"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 100)
      assert.equal(await text(frame, '[data-testid="shown"]'), 'Показано 100 из 19\u00a0998')
      await frame.click('[data-testid="more"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 200)
      const shownPhones = await frame.$$eval('[data-testid="contact"]', (trs) => trs.map((tr) => tr.dataset.phone))
      assert.equal(new Set(shownPhones).size, 200, 'no row twice')
      await frame.click('[data-tab="import"]')
      // Added again: every line is now a repeat, nothing to add.
      await frame.setInputFiles('[data-testid="file"]', { name: 'clients.csv', mimeType: 'text/csv', buffer: body })
      await frame.click('[data-testid="check"]')
      await frame.waitForSelector('[data-testid="nothing"]', { timeout: 30_000 })
      assert.equal(await text(frame, '[data-testid="report-row"][data-line="3"] [data-testid="reason"]'), 'Этот номер уже есть в задании')
      // A long report shows its first 50 lines until asked; the server lists at most 1000.
      assert.equal((await frame.$$('[data-testid="report-row"]')).length, 50)
      assert.equal(await text(frame, '[data-testid="show-all"]'), 'Показать все ошибки (1\u00a0000)')
      assert.equal(await text(frame, '[data-testid="summary"]'), 'Строк: 20\u00a0000. Подходят: 0. С ошибками: 19\u00a0999.')
      await settle(page, frame)
    }
  },
  {
    name: 'the task page filters by a status chip, deletes two contacts after a confirmation and exports the CSV',
    async run({ stack, context, use }) {
      const task = await workedTask(stack, 'Обзвон должников')
      const { page, frame } = await open(context, stack, use, `/campaigns/${task.id}`, { waitFor: '[data-testid="contacts-table"]' })
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Задание «Обзвон должников»')
      const chips = (await texts(frame, '[data-testid="chip"]')).map((s) => s.replace(/\s+/g, ' '))
      assert.deepEqual(chips, ['Все 5', 'Новый 3', 'В работе 1', 'Завершён 1'])
      assert.equal(await text(frame, '[data-testid="progress-text"]'), 'Завершено 1 из 5 (20%)')
      assert.equal((await frame.$$('[data-testid="contact"]')).length, 5)

      // A chip filters at once.
      await frame.click('[data-testid="chip"][data-status="done"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 1)
      assert.equal(await text(frame, '[data-testid="contact"] [data-testid="result"]'), 'Отказ')
      assert.equal(await text(frame, '[data-testid="contact"] [data-testid="operator"]'), 'Борис Операторов')
      assert.equal(await text(frame, '[data-testid="contact"] [data-testid="comment"]'), 'Не интересно')
      assert.match(await text(frame, '[data-testid="contact"] [data-testid="last-call"]'), /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/)
      await frame.click('[data-testid="chip"][data-status="new"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 3)
      // The text filter narrows the chip's rows.
      await frame.fill('[data-testid="filter-q"] input', 'Пят')
      await frame.click('[data-testid="apply"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 1)
      assert.equal(await text(frame, '[data-testid="contact"] [data-testid="name"]'), 'Пятый')
      await frame.click('[data-testid="reset"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 5)
      // Dates: added today (in the page's zone) finds all; from tomorrow on, none; «по» before «с» is named.
      const day = (plus) => frame.evaluate((p) => {
        const d = new Date()
        d.setDate(d.getDate() + p)
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
      }, plus)
      await frame.fill('[data-testid="filter-created"] [data-testid="from"]', await day(0))
      await frame.fill('[data-testid="filter-created"] [data-testid="to"]', await day(0))
      await frame.click('[data-testid="apply"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 5)
      await frame.fill('[data-testid="filter-created"] [data-testid="from"]', await day(1))
      assert.equal(await text(frame, '[data-testid="filter-created"] [data-testid="field-error"]'), 'Дата «по» раньше даты «с».')
      await frame.fill('[data-testid="filter-created"] [data-testid="to"]', await day(2))
      await frame.click('[data-testid="apply"]')
      await waitText(frame, '[data-testid="contacts-empty"]', 'Под фильтр не подходит ни один контакт. Измените или сбросьте фильтр.')
      await frame.click('[data-testid="reset"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 5)
      await frame.click('[data-testid="chip"][data-status="new"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 3)

      // Select two new ones and delete them; the dialog says how many; «Отмена» keeps them.
      const phones = await frame.$$eval('[data-testid="contact"]', (trs) => trs.map((tr) => tr.dataset.phone))
      const [gone1, gone2, kept] = phones
      await frame.check(`[data-testid="contact"][data-phone="${gone1}"] [data-testid="select"]`)
      await frame.check(`[data-testid="contact"][data-phone="${gone2}"] [data-testid="select"]`)
      assert.match(await text(frame, '[data-testid="shown"]'), /Выбрано: 2/)
      await frame.click('[data-testid="delete-selected"]')
      await frame.waitForSelector('[data-testid="confirm-text"]')
      assert.equal(await text(frame, '[data-testid="confirm-text"]'), 'Удалить 2 контакта из задания? Это нельзя отменить.')
      await settle(page, frame)
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-campaigns--delete-dialog.png') })
      await frame.click('[data-testid="confirm-cancel"]')
      await frame.waitForSelector('[data-testid="confirm-text"]', { state: 'detached' })
      assert.equal((await contactsOf(stack, task.id)).counts.total, 5, 'cancel deletes nothing')
      await frame.click('[data-testid="delete-selected"]')
      await frame.click('[data-testid="confirm-delete"]')
      await waitText(frame, '[data-testid="contacts-notice"]', 'Удалено контактов: 2.')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 1)
      const left = await contactsOf(stack, task.id)
      assert.equal(left.counts.total, 3)
      assert.deepEqual(left.contacts.map((c) => c.phone).filter((p) => p === gone1 || p === gone2), [])
      assert.equal(await text(frame, '[data-testid="progress-text"]'), 'Завершено 1 из 3 (33%)')

      // The export carries the filter: only the new contact that is left.
      const [download] = await Promise.all([page.waitForEvent('download'), frame.click('[data-testid="export"]')])
      assert.equal(download.suggestedFilename(), 'Обзвон должников.csv')
      const csv = await readFile(await download.path(), 'utf8')
      assert.equal(csv.charCodeAt(0), 0xfeff, 'a BOM for spreadsheets')
      const lines = csv.slice(1).trim().split(/\r?\n/)
      assert.equal(lines[0], 'id;phone;name;status;result;attempts;operator_id;due_at;last_call_at;comment')
      assert.equal(lines.length, 2, csv)
      assert.match(lines[1], new RegExp(`^\\d+;\\${kept};[^;]+;Новый;`))
      // All of them without the filter.
      await frame.click('[data-testid="chip"][data-status=""]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 3)
      const [all] = await Promise.all([page.waitForEvent('download'), frame.click('[data-testid="export"]')])
      const allLines = (await readFile(await all.path(), 'utf8')).slice(1).trim().split(/\r?\n/)
      assert.equal(allLines.length, 4)
      assert.ok(allLines.some((l) => l.includes(';Завершён;Отказ;') && l.endsWith(';Не интересно')), allLines.join('\n'))
      await settle(page, frame)
    }
  },
  {
    name: 'an operator sees only the tasks they work, with «Приступить к работе»',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const mine = await workedTask(stack, 'Задание Бориса')
      const paused = await settings(stack, 'POST', '/api/campaigns', { name: 'Ещё не запущено', script_id: w.scripts.outgoing.id, employee_ids: ['2'] })
      const other = await settings(stack, 'POST', '/api/campaigns', { name: 'Чужое задание', script_id: w.scripts.outgoing.id, employee_ids: ['1'] })
      const { page, frame } = await open(context, stack, use, '/campaigns', { userId: 2, waitFor: '[data-testid="list"]' })
      assert.match(await text(frame, '[data-testid="intro"]'), /в которых вы оператор/)
      assert.equal(await frame.$('[data-testid="create"]'), null)
      const ids = await frame.$$eval('[data-testid="row"]', (trs) => trs.map((tr) => tr.dataset.id))
      assert.ok(ids.includes(mine.id) && ids.includes(paused.id))
      assert.ok(!ids.includes(other.id), 'a task one does not work is not listed')
      const api = await stack.api('GET', '/api/campaigns', undefined, { user: 2 })
      assert.deepEqual(ids.sort(), api.body.tasks.map((t) => t.id).sort())
      const row = (id) => `[data-testid="row"][data-id="${id}"]`
      assert.equal(await text(frame, `${row(mine.id)} [data-testid="work"]`), 'Приступить к работе')
      assert.match(await frame.getAttribute(`${row(mine.id)} [data-testid="work"]`, 'href'), new RegExp(`#/campaigns/${mine.id}/work$`))
      assert.equal(await text(frame, `${row(paused.id)} [data-testid="work-note"]`), 'Задание не запущено')
      assert.equal(await text(frame, `${row(mine.id)} [data-testid="counts"]`), 'Новые 3 · В работе 1 · Завершены 1 из 5')
      await settle(page, frame)
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-campaigns--operator-list.png'), fullPage: true })
      // The task page is read-only for him.
      await frame.click(`${row(mine.id)} [data-testid="name"]`)
      await frame.waitForSelector('[data-testid="contacts-table"]')
      assert.match(await text(frame, '[data-testid="operator-note"]'), /менять его может супервайзер/)
      assert.match(await frame.getAttribute('[data-testid="work"]', 'href'), new RegExp(`#/campaigns/${mine.id}/work$`))
      assert.equal(await frame.$('[data-testid="start"], [data-testid="pause"], [data-testid="export"], [data-testid="select"], [data-tab="import"]'), null)
      // His own name is known to him; the operators of others are not listed to him.
      await frame.click('[data-testid="chip"][data-status="in_work"]')
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="contact"]').length === 1)
      assert.equal(await text(frame, '[data-testid="contact"] [data-testid="operator"]'), 'Борис Операторов')
      await settle(page, frame)
    }
  },
  {
    name: 'a task is deleted after a confirmation; the pages speak English to an English portal',
    async run({ stack, context, use }) {
      const task = await workedTask(stack, 'На удаление')
      let asked = ''
      let answer = 'dismiss'
      const { page, frame } = await open(context, stack, use, `/campaigns/${task.id}`, {
        lang: 'en',
        waitFor: '[data-testid="contacts-table"]',
        dialogs: (d) => {
          asked = d.message()
          return answer === 'accept' ? d.accept() : d.dismiss()
        }
      })
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Task “На удаление”')
      assert.deepEqual((await texts(frame, '[data-testid="chip"]')).map((s) => s.replace(/\s+/g, ' ')), ['All 5', 'New 3', 'In work 1', 'Done 1'])
      assert.equal(await text(frame, '[data-testid="progress-text"]'), 'Done 1 of 5 (20%)')
      await frame.click('[data-tab="settings"]')
      await frame.click('[data-testid="delete"]')
      assert.equal(asked, 'Delete the task “На удаление” with all its contacts (5)? This cannot be undone.')
      assert.equal((await stack.api('GET', `/api/campaigns/${task.id}`)).status, 200, 'dismissed: kept')
      answer = 'accept'
      await frame.click('[data-testid="delete"]')
      await frame.waitForFunction(() => location.hash === '#/campaigns')
      await frame.waitForSelector('[data-testid="list"], [data-testid="empty"]')
      assert.equal(await frame.$(`[data-testid="row"][data-id="${task.id}"]`), null)
      assert.equal((await stack.api('GET', `/api/campaigns/${task.id}`)).status, 404)
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Dialing tasks')
      await settle(page, frame)
    }
  },
  {
    name: 'a user without a seat is refused',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/campaigns', { userId: 3, waitFor: '[data-testid="no-rights"]' })
      assert.equal(await text(frame, '[data-testid="no-rights"]'), 'У вас нет роли в opdesk, поэтому настройки недоступны. Назначить роль может супервайзер.')
      assert.equal(await frame.$('[data-testid="list"]'), null)
      assert.equal(await frame.$('[data-testid="create"]'), null)
      assert.equal((await stack.api('GET', '/api/campaigns', undefined, { user: 3 })).status, 403)
      await settle(page, frame)
    }
  }
]
