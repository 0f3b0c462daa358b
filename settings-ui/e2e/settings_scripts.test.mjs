// «Скрипты» in the browser against the real opdesk and portal emulator: create, rename, publish,
// duplicate, delete; export to a file and import it back; a bad file named and nothing created;
// the editor link to the designer (read-only for an operator); an operator's read-only list.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { open, settle, text, texts } from './settings_helpers.mjs'
import { publishScript, settings, world } from './world.mjs'

async function scriptsByName(stack) {
  const r = await stack.api('GET', '/api/settings/scripts')
  return Object.fromEntries(r.body.scripts.map((s) => [s.name, s]))
}
const row = (name) => `[data-testid="row"][data-name="${name}"]`

export const tests = [
  {
    name: 'a manager creates, renames, publishes, duplicates and deletes a script',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/scripts')
      await frame.waitForSelector('[data-testid="row"]')
      // A name is required (checked before sending).
      await frame.click('[data-testid="create"]')
      assert.equal(await text(frame, '[data-testid="new-name"] [data-testid="field-error"]'), 'Заполните это поле.')
      await frame.fill('[data-testid="new-name"] input', 'Повторная продажа')
      await frame.fill('[data-testid="new-description"] input', 'Для клиентов с заказом')
      await frame.click('[data-testid="create"]')
      await frame.waitForSelector(row('Повторная продажа'))
      assert.equal(await text(frame, `${row('Повторная продажа')} [data-testid="published"]`), 'Не опубликован')
      // A taken name is refused by the server, next to the name.
      await frame.fill('[data-testid="new-name"] input', 'Входящий')
      await frame.click('[data-testid="create"]')
      assert.match(await text(frame, '[data-testid="new-name"] [data-testid="field-error"]'), /exists/)

      await frame.click(`${row('Повторная продажа')} [data-testid="rename"]`)
      await frame.fill('[data-testid="rename-form"] input', 'Допродажа')
      await frame.click('[data-testid="rename-save"]')
      await frame.waitForSelector(row('Допродажа'))
      const renamed = (await scriptsByName(stack))['Допродажа']
      assert.equal(renamed.description, 'Для клиентов с заказом', 'renaming keeps the rest')

      // Publishing an empty script is refused by the server with its reason, on that row.
      await frame.click(`${row('Допродажа')} [data-testid="publish"]`)
      await frame.waitForSelector('[data-testid="row-error"]')
      assert.match(await text(frame, '[data-testid="row-error"]'), /step/)
      // «Исходящий» has a published version already; publishing again makes version 2.
      await frame.click(`${row('Исходящий')} [data-testid="publish"]`)
      await frame.waitForSelector('[data-testid="notice"]')
      assert.match(await text(frame, '[data-testid="notice"]'), /Опубликована версия \d+/)

      await frame.click(`${row('Допродажа')} [data-testid="duplicate"]`)
      await frame.waitForSelector(row('Допродажа (копия 1)'))
      await frame.click(`${row('Допродажа (копия 1)')} [data-testid="delete"]`)
      await frame.waitForSelector(row('Допродажа (копия 1)'), { state: 'detached' })
      const after = await scriptsByName(stack)
      assert.equal(after['Допродажа (копия 1)'], undefined)
      assert.ok(after['Допродажа'])
      await settle(page, frame)
    }
  },
  {
    name: 'a script is exported to a file and imported back; a bad file is named and creates nothing',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/scripts')
      await frame.waitForSelector(row('Входящий'))
      const [download] = await Promise.all([page.waitForEvent('download'), frame.click(`${row('Входящий')} [data-testid="export"]`)])
      assert.equal(download.suggestedFilename(), 'Входящий.json')
      const exported = JSON.parse(await readFile(await download.path(), 'utf8'))
      assert.equal(exported.format, 'opdesk.script')
      assert.equal(exported.steps.length, 3)

      const before = Object.keys(await scriptsByName(stack)).length
      // Not JSON at all: named before anything is sent.
      await frame.setInputFiles('[data-testid="import-file"]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "opdesk.script",') })
      assert.match(await text(frame, '[data-testid="import-error"]'), /Файл не является JSON/)
      // Well-formed, but a step links to a step that does not exist: the server names the field.
      const bad = { ...exported, name: 'Сломанный', steps: exported.steps.map((s, i) => (i === 0 ? { ...s, next: [...s.next, 'nowhere'] } : s)) }
      await frame.setInputFiles('[data-testid="import-file"]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) })
      await frame.waitForFunction(() => /ничего не создано/.test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ''))
      assert.match(await text(frame, '[data-testid="import-error"]'), /steps\[0\]\.next/)
      assert.equal(Object.keys(await scriptsByName(stack)).length, before, 'nothing half-imported')

      await frame.setInputFiles('[data-testid="import-file"]', { name: 'ok.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) })
      await frame.waitForSelector('[data-testid="notice"]')
      assert.match(await text(frame, '[data-testid="notice"]'), /Импортирован скрипт «Входящий \(копия \d+\)»/)
      const imported = Object.values(await scriptsByName(stack)).find((s) => /^Входящий \(копия \d+\)$/.test(s.name))
      assert.ok(imported)
      assert.equal(imported.published_version, null, 'an import is a draft')
      await settle(page, frame)
    }
  },
  {
    name: 'the published version is exported apart from a draft that has moved on',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await publishScript(stack, 'Версии', 'a', [{ id: 'a', title: 'Опубликованный шаг' }])
      const script = await settings(stack, 'GET', `/api/settings/scripts/${made.id}`)
      const edited = await settings(stack, 'PUT', `/api/settings/scripts/${made.id}`, {
        name: script.name,
        draft: { start_step: 'n', steps: [{ id: 'n', title: 'Черновой шаг', hint: '', x: 0, y: 0, fields: [], next: [] }] },
        version: script.version
      })
      const { page, frame } = await open(context, stack, use, '/scripts')
      await frame.waitForSelector(row('Версии'))
      assert.equal(await text(frame, `${row('Версии')} [data-testid="export-published"]`), `Экспорт версии ${made.version}`)
      const download = async (button) =>
        (await Promise.all([page.waitForEvent('download'), frame.click(`${row('Версии')} [data-testid="${button}"]`)]))[0]
      const published = await download('export-published')
      assert.equal(published.suggestedFilename(), `Версии-v${made.version}.json`)
      const doc = JSON.parse(await readFile(await published.path(), 'utf8'))
      assert.equal(doc.format, 'opdesk.script')
      assert.deepEqual(doc.steps.map((x) => x.title), ['Опубликованный шаг'])
      const draft = await download('export')
      assert.equal(draft.suggestedFilename(), 'Версии.json')
      assert.deepEqual(JSON.parse(await readFile(await draft.path(), 'utf8')).steps.map((x) => x.title), ['Черновой шаг'])
      // A script never published offers only the draft.
      const unpublished = await settings(stack, 'POST', '/api/settings/scripts', { name: 'Без публикации' })
      await frame.click('[data-section="buttons"]')
      await frame.click('[data-section="scripts"]')
      await frame.waitForSelector(row('Без публикации'))
      assert.equal(await frame.$(`${row('Без публикации')} [data-testid="export-published"]`), null)
      await frame.waitForSelector(`${row('Без публикации')} [data-testid="export"]`)
      await settle(page, frame)
      // The shared world keeps its scripts as the other tests expect them.
      await settings(stack, 'DELETE', `/api/settings/scripts/${made.id}?version=${edited.version}`, undefined, 204)
      await settings(stack, 'DELETE', `/api/settings/scripts/${unpublished.id}?version=${unpublished.version}`, undefined, 204)
    }
  },
  {
    name: 'the editor link opens the designer; an operator sees it read-only',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const { page, frame } = await open(context, stack, use, '/scripts')
      await frame.click(`${row('Входящий')} [data-testid="open"]`)
      await frame.waitForSelector('[data-testid="canvas"][data-ready]')
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Дизайнер скрипта «Входящий»')
      assert.deepEqual((await texts(frame, '[data-testid="step-title"]')).sort(), ['Отказ', 'Потребность', 'Приветствие'])
      assert.equal(await frame.evaluate(() => location.hash), `#/scripts/${w.scripts.incoming.id}`)
      await settle(page, frame)
      const operator = await open(context, stack, () => {}, `/scripts/${w.scripts.incoming.id}`, { userId: 2, waitFor: '[data-testid="canvas"][data-ready]' })
      await operator.frame.waitForSelector('[data-testid="read-only"]')
      assert.equal(await operator.frame.$('[data-testid="add-step"]'), null)
      assert.equal(await operator.frame.$('[data-testid="step-menu"]'), null)
      assert.equal(await operator.frame.$('[data-testid="publish"]'), null)
      assert.match(await text(operator.frame, '[data-testid="designer-help"]'), /только для просмотра/)
      // A double click edits nothing.
      const title = await (await operator.frame.$('[data-step="a"] [data-testid="step-title"]')).boundingBox()
      await operator.page.mouse.dblclick(title.x + title.width / 2, title.y + title.height / 2)
      assert.equal(await operator.frame.$('[data-testid="title-input"]'), null)
      await operator.page.close()
    }
  },
  {
    name: 'an operator sees the scripts read-only; a user without a seat does not see them',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/scripts', { userId: 2 })
      await frame.waitForSelector('[data-testid="row"]')
      await frame.waitForSelector('[data-testid="read-only"]')
      assert.equal(await frame.$('[data-testid="create-form"]'), null)
      assert.equal(await frame.$('[data-testid="delete"]'), null)
      assert.equal(await frame.$('[data-testid="import"]'), null)
      assert.ok(await frame.$('[data-testid="open"]'), 'the steps can be looked at')
      await settle(page, frame)
      const other = await open(context, stack, () => {}, '/scripts', { userId: 3 })
      await other.frame.waitForSelector('[data-testid="no-rights"]')
      assert.equal(await other.frame.$('[data-testid="row"]'), null)
      await other.page.close()
    }
  }
]
