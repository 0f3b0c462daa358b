// The script designer (seed 002, FEATURES D2, D3, H3, H7) in the browser against the real opdesk
// and portal emulator, with real mouse gestures (page.mouse): «+» makes a child step, a drag from
// «+» to another step links them, a selected link goes with Delete, the step menu deletes a step
// and adds CRM fields (one locked), undo brings a step back; the draft is autosaved and a
// conflict with another editor is shown, not overwritten; publishing lists what changed; a
// script designed here runs in the call card exactly as drawn, common answers included.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { openCallCard, uiDir, until } from './harness.mjs'
import { open, settle, text, texts } from './settings_helpers.mjs'
import { settings, updateRole, world } from './world.mjs'

// A script made through the API, its draft as given.
async function makeScript(stack, name, startStep, steps) {
  return settings(stack, 'POST', '/api/settings/scripts', {
    name,
    draft: { start_step: startStep, steps: steps.map((s) => ({ hint: '', x: 0, y: 0, fields: [], next: [], ...s })) }
  })
}
const getScript = (stack, id) => settings(stack, 'GET', `/api/settings/scripts/${id}`)
const step = (id) => `.vue-flow__node[data-id="${id}"]`

async function openDesigner(context, stack, use, id) {
  const opened = await open(context, stack, use, `/scripts/${id}`, { waitFor: '[data-testid="canvas"] .vue-flow__node' })
  return opened
}

// The centre of an element in page coordinates (the frame's elements included).
async function centre(frame, selector) {
  const box = await (await frame.waitForSelector(selector)).boundingBox()
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

// Waits until the server has the draft `check` accepts (the autosave ran).
async function savedDraft(stack, id, check, what) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const s = await getScript(stack, id)
    if (check(s.draft)) return s
    if (Date.now() > deadline) throw new Error(`the draft was not saved: ${what}; it is ${JSON.stringify(s.draft)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}


// Drags with the real mouse from one page point to another in small moves.
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 12, from.y + ((to.y - from.y) * i) / 12)
  await page.mouse.up()
}

// A point on the middle of the drawn link `id` in page coordinates.
async function edgePoint(page, frame, id) {
  const inFrame = await frame.evaluate((edgeId) => {
    const path = document.querySelector(`.vue-flow__edge[data-id="${edgeId}"] path.vue-flow__edge-path`)
    const p = path.getPointAtLength(path.getTotalLength() / 2)
    const m = path.getScreenCTM()
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f }
  }, id)
  const box = await (await page.$('iframe#card')).boundingBox()
  return { x: box.x + inFrame.x, y: box.y + inFrame.y }
}

const stepIds = (d) => d.steps.map((x) => x.id)
const stepOf = (d, id) => d.steps.find((x) => x.id === id)

export const tests = [
  {
    name: 'the designer shows the script as a graph',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const { page, frame } = await openDesigner(context, stack, use, w.scripts.incoming.id)
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Дизайнер скрипта «Входящий»')
      assert.deepEqual((await texts(frame, '[data-testid="step-title"]')).sort(), ['Отказ', 'Потребность', 'Приветствие'])
      assert.equal(await frame.$$eval('.vue-flow__edge', (e) => e.length), 2)
      await settle(page, frame)
    }
  },
  {
    name: 'the designer’s code (Vue Flow, dagre) loads only when the designer opens',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/start')
      const designerCode = () =>
        frame.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((r) => new URL(r.name).pathname)
            .filter((p) => /\/assets\/(ScriptDesigner|layout|vue-flow|dagre)[-.]/i.test(p))
        )
      for (const section of ['buttons', 'scripts', 'roles', 'users', 'integration', 'reception', 'audit', 'start']) {
        await frame.click(`[data-section="${section}"]`)
        await frame.waitForFunction((name) => location.hash === `#/${name}`, section)
        await frame.waitForSelector('[data-testid="page-title"]')
      }
      await frame.waitForTimeout(300)
      assert.deepEqual(await designerCode(), [], 'no section but the designer loads its code')
      await frame.click('[data-section="scripts"]')
      await frame.click(`[data-testid="row"][data-name="Входящий"] [data-testid="open"]`)
      await frame.waitForSelector('[data-testid="canvas"][data-ready]')
      const loaded = await designerCode()
      assert.ok(loaded.some((p) => /\/ScriptDesigner-[\w-]+\.js$/.test(p)), `the designer's chunk loads with it: ${loaded.join(', ')}`)
      await settle(page, frame)
    }
  },
  {
    name: 'seed 002 with the mouse: «+» makes a child, a drag links, Delete drops a link, the menu deletes a step and locks a field, undo',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await makeScript(stack, 'Мышью', 'a', [
        { id: 'a', title: 'Приветствие', x: 0, y: 0 },
        { id: 'b', title: 'Отказ', x: 420, y: 0 }
      ])
      const { page, frame } = await openDesigner(context, stack, use, made.id)
      // The canvas says what is wrong: nothing leads to «Отказ» yet.
      await frame.waitForSelector(`${step('b')} [data-issue="unreachable"]`)
      assert.equal(await text(frame, '[data-testid="problem-count"]'), 'Замечаний: 1')
      // A click on «+» makes a child step and opens its title for typing.
      const plus = await centre(frame, `${step('a')} [data-testid="plus"]`)
      await page.mouse.click(plus.x, plus.y)
      await frame.waitForSelector('[data-testid="title-input"]')
      await frame.fill('[data-testid="title-input"]', 'Потребность')
      await frame.press('[data-testid="title-input"]', 'Enter')
      let d = (await savedDraft(stack, made.id, (x) => stepOf(x, 's1')?.title === 'Потребность', 'the child')).draft
      assert.deepEqual(stepOf(d, 'a').next, ['s1'])
      assert.ok(stepOf(d, 's1').y > stepOf(d, 'a').y, 'the child sits below its parent')

      // Dragging from the child's «+» onto «Отказ» links them.
      await drag(page, await centre(frame, `${step('s1')} [data-testid="plus"]`), await centre(frame, `${step('b')} [data-testid="step-title"]`))
      await frame.waitForSelector('.vue-flow__edge[data-id="s1->b"]')
      d = (await savedDraft(stack, made.id, (x) => stepOf(x, 's1')?.next.includes('b'), 'the link')).draft
      assert.deepEqual(stepOf(d, 's1').next, ['b'])

      // A click selects the link; Delete removes it.
      const mid = await edgePoint(page, frame, 's1->b')
      await page.mouse.click(mid.x, mid.y)
      await frame.waitForSelector('.vue-flow__edge.selected[data-id="s1->b"]')
      await page.keyboard.press('Delete')
      await frame.waitForSelector('.vue-flow__edge[data-id="s1->b"]', { state: 'detached' })
      d = (await savedDraft(stack, made.id, (x) => stepOf(x, 's1')?.next.length === 0, 'the link removed')).draft
      assert.deepEqual(stepIds(d), ['a', 'b', 's1'], 'the steps stay')

      // Double clicks edit the title and the hint in place.
      const hint = await centre(frame, `${step('s1')} [data-testid="step-hint"]`)
      await page.mouse.dblclick(hint.x, hint.y)
      await frame.fill('[data-testid="hint-input"]', 'Спросите, что важно клиенту.')
      await frame.press('[data-testid="hint-input"]', 'Control+Enter')
      const title = await centre(frame, `${step('b')} [data-testid="step-title"]`)
      await page.mouse.dblclick(title.x, title.y)
      await frame.fill('[data-testid="title-input"]', 'Не интересно')
      await frame.press('[data-testid="title-input"]', 'Enter')
      d = (await savedDraft(stack, made.id, (x) => stepOf(x, 'b')?.title === 'Не интересно' && stepOf(x, 's1')?.hint !== '', 'the edits in place')).draft
      assert.equal(stepOf(d, 's1').hint, 'Спросите, что важно клиенту.')

      // The step menu adds a CRM field, locked.
      await frame.click(`${step('s1')} [data-testid="step-menu"]`)
      await frame.click('[data-testid="menu"] [data-action="fields"]')
      await frame.waitForSelector('[data-testid="fields-dialog"]')
      await frame.selectOption('[data-testid="field-entity"]', 'contact')
      await frame.selectOption('[data-testid="field-code"]', 'NAME')
      await frame.click('[data-testid="field-add"]')
      await frame.click('[data-testid="field-row"][data-field="NAME"] [data-testid="lock-toggle"]')
      assert.equal(await frame.getAttribute('[data-testid="field-row"][data-field="NAME"] [data-testid="lock-toggle"]', 'aria-pressed'), 'true')
      await frame.click('[data-testid="fields-done"]')
      await frame.waitForSelector(`${step('s1')} [data-field="NAME"] [data-testid="lock"]`)
      d = (await savedDraft(stack, made.id, (x) => stepOf(x, 's1')?.fields.length === 1 && stepOf(x, 's1').fields[0].editable === false, 'the locked field')).draft
      assert.deepEqual(stepOf(d, 's1').fields, [{ entity: 'contact', code: 'NAME', editable: false }])

      // The menu deletes a step; undo brings it back, redo removes it again.
      await frame.click('[data-testid="fit"]')
      await frame.waitForTimeout(300)
      await frame.click(`${step('b')} [data-testid="step-menu"]`)
      await frame.click('[data-testid="menu"] [data-action="delete"]')
      await frame.waitForSelector(step('b'), { state: 'detached' })
      await savedDraft(stack, made.id, (x) => !stepOf(x, 'b'), 'the step deleted')
      await frame.click('[data-testid="undo"]')
      await frame.waitForSelector(step('b'))
      d = (await savedDraft(stack, made.id, (x) => !!stepOf(x, 'b'), 'the step back by undo')).draft
      assert.equal(stepOf(d, 'b').title, 'Не интересно')
      await page.keyboard.press('Control+Shift+Z')
      await frame.waitForSelector(step('b'), { state: 'detached' })
      await page.keyboard.press('Control+Z')
      await frame.waitForSelector(step('b'))

      // Zoom: the controls' buttons and the wheel change the scale.
      const scale = () => frame.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.vue-flow__transformationpane')).transform).a)
      const before = await scale()
      await frame.click('.vue-flow__controls-zoomin')
      await frame.waitForFunction((s) => new DOMMatrix(getComputedStyle(document.querySelector('.vue-flow__transformationpane')).transform).a > s, before)
      const pane = await centre(frame, '.vue-flow__pane')
      await page.mouse.move(pane.x, pane.y)
      const zoomed = await scale()
      await page.mouse.wheel(0, 400)
      await frame.waitForFunction((s) => new DOMMatrix(getComputedStyle(document.querySelector('.vue-flow__transformationpane')).transform).a < s, zoomed)
      await frame.click('[data-testid="fit"]')
      await savedDraft(stack, made.id, (x) => !!stepOf(x, 'b'), 'saved after undo')
      await frame.waitForSelector('[data-testid="save-state"][data-state="saved"]')
      await settle(page, frame)
    }
  },
  {
    name: 'the keyboard adds, links and deletes steps',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await makeScript(stack, 'Клавиатурой', 'a', [
        { id: 'a', title: 'Приветствие', x: 0, y: 0 },
        { id: 'b', title: 'Отказ', x: 420, y: 0 }
      ])
      const { page, frame } = await openDesigner(context, stack, use, made.id)
      await frame.focus(step('a'))
      await page.keyboard.press('Insert')
      await frame.waitForSelector('[data-testid="title-input"]')
      await frame.waitForFunction(() => document.activeElement?.dataset.testid === 'title-input')
      await page.keyboard.type('Интерес')
      await page.keyboard.press('Enter')
      await savedDraft(stack, made.id, (x) => stepOf(x, 's1')?.title === 'Интерес' && stepOf(x, 'a').next.includes('s1'), 'the child by Insert')
      // L opens the links of the focused step; a step is chosen and linked without the mouse.
      await frame.focus(step('s1'))
      await page.keyboard.press('l')
      await frame.waitForSelector('[data-testid="links-dialog"]')
      await frame.selectOption('[data-testid="link-target"]', 'b')
      await frame.focus('[data-testid="link-add"]')
      await page.keyboard.press('Enter')
      await frame.waitForSelector('[data-testid="link-row"][data-to="b"]')
      await frame.focus('[data-testid="links-done"]')
      await page.keyboard.press('Enter')
      await savedDraft(stack, made.id, (x) => stepOf(x, 's1')?.next.includes('b'), 'the link by keyboard')
      // The step menu is reachable by Tab and works with the arrows and Enter.
      await frame.focus(`${step('s1')} [data-testid="step-menu"]`)
      await page.keyboard.press('Enter')
      await frame.waitForSelector('[data-testid="menu"]')
      assert.equal(await frame.evaluate(() => document.activeElement?.dataset.action), 'child')
      await page.keyboard.press('Escape')
      await frame.waitForSelector('[data-testid="menu"]', { state: 'detached' })
      // Enter selects the focused step, Delete removes it.
      await frame.focus(step('b'))
      await page.keyboard.press('Enter')
      await page.keyboard.press('Delete')
      await frame.waitForSelector(step('b'), { state: 'detached' })
      const d = (await savedDraft(stack, made.id, (x) => !stepOf(x, 'b'), 'the step deleted by keyboard')).draft
      assert.deepEqual(stepOf(d, 's1').next, [], 'its links went with it')
      await settle(page, frame)
    }
  },
  {
    name: 'a 5-step script designed here, published with its summary, runs in the call card as drawn, common answer included',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const made = await settings(stack, 'POST', '/api/settings/scripts', { name: 'Окна', description: 'Продажа окон' })
      const { page, frame } = await open(context, stack, use, `/scripts/${made.id}`, { waitFor: '[data-testid="designer-empty"]' })
      const typeTitle = async (title) => {
        // (That the new step's title takes the keyboard at once is the keyboard test's check.)
        await frame.waitForSelector('[data-testid="title-input"]')
        await frame.fill('[data-testid="title-input"]', title)
        await frame.press('[data-testid="title-input"]', 'Enter')
        await frame.waitForSelector('[data-testid="title-input"]', { state: 'detached' })
      }
      const plusOf = async (title) => {
        const id = await frame.getAttribute(`.vue-flow__node:has([data-testid="step-title"]:text-is("${title}"))`, 'data-id')
        // Playwright's own click waits until the «+» stands still and is the element under the
        // pointer: the canvas may still be moving to the step made a moment ago.
        await frame.click(`${step(id)} [data-testid="plus"]`)
      }
      await frame.click('[data-testid="add-first"]')
      await typeTitle('Приветствие')
      await plusOf('Приветствие')
      await typeTitle('Интересно')
      await plusOf('Приветствие')
      await typeTitle('Не интересно')
      await plusOf('Интересно')
      await typeTitle('Встреча')
      await frame.click('[data-testid="add-common"]')
      await typeTitle('Дорого')
      // A hint, by double click.
      await frame.click('[data-testid="fit"]')
      await frame.waitForTimeout(300)
      const hint = await centre(frame, `${step('s1')} [data-testid="step-hint"]`)
      await page.mouse.dblclick(hint.x, hint.y)
      await frame.fill('[data-testid="hint-input"]', 'Назовите компанию и своё имя.')
      await frame.press('[data-testid="hint-input"]', 'Control+Enter')
      await frame.waitForSelector('[data-testid="lane"]')
      await frame.click('[data-testid="arrange"]')
      await frame.waitForSelector('[data-testid="problem-count"]', { state: 'detached' })

      // Publishing lists what the version brings.
      await frame.click('[data-testid="publish"]')
      await frame.waitForSelector('[data-testid="publish-dialog"]')
      const listed = await texts(frame, '[data-testid="change"]')
      for (const title of ['Приветствие', 'Интересно', 'Не интересно', 'Встреча', 'Дорого']) assert.ok(listed.includes(`Добавлен шаг «${title}»`), listed.join('; '))
      assert.ok(listed.includes('Новый переход «Приветствие» → «Интересно»'), listed.join('; '))
      await frame.click('[data-testid="publish-confirm"]')
      await frame.waitForSelector('[data-testid="notice"]')
      assert.equal(await text(frame, '[data-testid="notice"]'), 'Опубликована версия 1.')
      const version = await settings(stack, 'GET', `/api/settings/scripts/${made.id}/versions/1`)
      assert.deepEqual(version.steps.map((x) => [x.title, x.common]), [
        ['Приветствие', false],
        ['Интересно', false],
        ['Не интересно', false],
        ['Встреча', false],
        ['Дорого', true]
      ])
      // An edit after publishing shows up as the only change.
      await frame.click('[data-testid="fit"]')
      await frame.waitForTimeout(300)
      const meet = await centre(frame, `${step('s4')} [data-testid="step-title"]`)
      await page.mouse.dblclick(meet.x, meet.y)
      await frame.fill('[data-testid="title-input"]', 'Встреча в офисе')
      await frame.press('[data-testid="title-input"]', 'Enter')
      await frame.click('[data-testid="publish"]')
      assert.deepEqual(await texts(frame, '[data-testid="change"]'), ['Шаг «Встреча» переименован в «Встреча в офисе»'])
      await frame.click('[data-testid="publish-confirm"]')
      await frame.waitForSelector('[data-testid="notice"]:has-text("Опубликована версия 2.")')
      await settle(page, frame)

      // The operator's role gets the script; the card runs version 2 exactly as drawn.
      const role = await settings(stack, 'GET', `/api/settings/roles/${w.role}`)
      await updateRole(stack, w.role, { script_ids: [...role.script_ids, made.id] })
      try {
        const callId = 'externalCall.designer.1'
        const card = await openCallCard(context, stack, { userId: 2, placementOptions: { CALL_ID: callId }, waitFor: '[role="tab"]' })
        const cf = card.frame
        await cf.click('[role="tab"]:has-text("Скрипт")')
        await cf.click('[data-testid="script-option"]:has-text("Окна")')
        await cf.waitForSelector('[data-testid="step-title"]:has-text("Приветствие")')
        assert.equal(await text(cf, '[data-testid="step-hint"]'), 'Назовите компанию и своё имя.')
        assert.deepEqual(await texts(cf, '[data-testid="next-step"]'), ['Интересно', 'Не интересно'])
        assert.deepEqual(await texts(cf, '[data-testid="common-step"]'), ['Дорого'])
        await cf.click('[data-testid="next-step"]:has-text("Интересно")')
        await cf.waitForSelector('[data-testid="step-title"]:has-text("Интересно")')
        // The common answer from here, and back to where the operator was.
        await cf.click('[data-testid="common-step"]:has-text("Дорого")')
        await cf.waitForSelector('[data-testid="step-title"]:has-text("Дорого")')
        assert.equal(await text(cf, '[data-testid="return"]'), 'Вернуться: Интересно')
        await cf.click('[data-testid="return"]')
        await cf.waitForSelector('[data-testid="step-title"]:has-text("Интересно")')
        assert.deepEqual(await texts(cf, '[data-testid="next-step"]'), ['Встреча в офисе'])
        await cf.click('[data-testid="next-step"]')
        await cf.waitForSelector('[data-testid="script-end"]')
        await card.page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-designer--the-designed-script-in-the-call-card.png') })
        let run
        await until('the run stored with its version', () => {
          run = stack.sql(`SELECT * FROM script_runs WHERE call_id = '${callId}'`)[0]
          return run?.current_step === 's4' && JSON.parse(run.path_json).length === 5
        })
        assert.equal(Number(run.version), 2, 'the call records the version it ran (H3)')
        assert.deepEqual(JSON.parse(run.path_json).map((p) => p.step_id), ['s1', 's2', 's5', 's2', 's4'])
        await card.page.close()
      } finally {
        // The shared world keeps the role as the other tests expect it.
        await updateRole(stack, w.role, { script_ids: role.script_ids })
      }
    }
  },
  {
    name: 'autosave meets another editor’s save: the conflict is shown and their draft is not overwritten',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await makeScript(stack, 'Два редактора', 'a', [{ id: 'a', title: 'Приветствие', x: 0, y: 0 }])
      const { page, frame } = await openDesigner(context, stack, use, made.id)
      // Someone else saves first.
      const theirs = await settings(stack, 'PUT', `/api/settings/scripts/${made.id}`, {
        name: 'Два редактора',
        draft: { start_step: 'a', steps: [{ id: 'a', title: 'Их приветствие', hint: '', x: 0, y: 0, fields: [], next: [] }] },
        version: made.version
      })
      const plus = await centre(frame, `${step('a')} [data-testid="plus"]`)
      await page.mouse.click(plus.x, plus.y)
      await frame.press('[data-testid="title-input"]', 'Enter')
      await frame.waitForSelector('[data-testid="conflict"]')
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-designer--the-conflict-shown.png') })
      const now = await getScript(stack, made.id)
      assert.equal(now.version, theirs.version, 'nothing saved over theirs')
      assert.deepEqual(now.draft.steps.map((x) => x.title), ['Их приветствие'])
      // Edits stop; loading their version shows it.
      assert.equal(await frame.$('[data-testid="add-step"]'), null)
      await frame.click('[data-testid="conflict-reload"]')
      await frame.waitForSelector('[data-testid="step-title"]:has-text("Их приветствие")')
      assert.equal(await frame.$('[data-testid="conflict"]'), null)
      await settle(page, frame)
    }
  },
  {
    name: 'F1/F2: the settings panel binds the script, the menu pins a step, the tag picker inserts a tag at the caret',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await makeScript(stack, 'Настройки F1', 'a', [
        { id: 'a', title: 'Приветствие', hint: 'Здравствуйте, !', x: 0, y: 0, next: ['b'] },
        { id: 'b', title: 'Памятка', hint: 'Говорите спокойно.', x: 0, y: 220 }
      ])
      const { page, frame } = await openDesigner(context, stack, use, made.id)
      await frame.waitForSelector('[data-testid="canvas"][data-ready]')
      assert.equal(await text(frame, '[data-testid="binding-summary"]'), 'Любой звонок')

      // Bindings and the number field.
      await frame.click('[data-testid="open-settings"]')
      await frame.waitForSelector('[data-testid="settings-dialog"]')
      await frame.check('[data-testid="call-type-incoming"]')
      await frame.selectOption('[data-testid="activity-type"]', { label: 'Звонок' })
      await frame.selectOption('[data-testid="deal-type"]', { label: 'Продажа' })
      await frame.selectOption('[data-testid="number-field"]', { label: 'Контакт: Набранный номер' })
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-designer--script-settings.png') })
      await frame.click('[data-testid="settings-done"]')
      await frame.waitForSelector('[data-testid="settings-dialog"]', { state: 'detached' })
      assert.equal(await text(frame, '[data-testid="binding-summary"]'), 'Входящие · Продажа · Звонок')
      await savedDraft(stack, made.id, (d) => d.settings?.call_type === 'incoming' && d.settings?.number_field?.code === 'UF_CRM_DIALED', 'the settings')
      const saved = (await getScript(stack, made.id)).draft.settings
      assert.deepEqual(saved, {
        call_type: 'incoming',
        activity_type: '2',
        deal_type: 'SALE',
        number_field: { entity: 'contact', code: 'UF_CRM_DIALED' }
      })

      // Pin «Памятка» from its menu.
      await frame.click(`${step('b')} [data-testid="step-menu"]`)
      assert.equal(await text(frame, '[data-testid="menu"] [data-action="pin"]'), 'Закрепить вверху')
      await frame.click('[data-testid="menu"] [data-action="pin"]')
      await frame.waitForSelector(`${step('b')} [data-testid="mark-pinned"]`)
      await savedDraft(stack, made.id, (d) => stepOf(d, 'b')?.pinned === true, 'the pinned step')

      // The tag picker puts {{CONTACT.NAME}} where the caret is (before «!»).
      const hint = await centre(frame, `${step('a')} [data-testid="step-hint"]`)
      await page.mouse.dblclick(hint.x, hint.y)
      await frame.waitForSelector('[data-testid="hint-input"]')
      await frame.evaluate(() => {
        const el = document.querySelector('[data-testid="hint-input"]')
        el.setSelectionRange(14, 14)
        el.dispatchEvent(new KeyboardEvent('keyup'))
      })
      await frame.selectOption('[data-testid="tag-picker"]', 'CONTACT.NAME')
      assert.equal(await frame.inputValue('[data-testid="hint-input"]'), 'Здравствуйте, {{CONTACT.NAME}}!')
      await page.screenshot({ path: join(uiDir, 'test-artifacts', 'settings-designer--tag-picker.png') })
      await frame.press('[data-testid="hint-input"]', 'Control+Enter')
      await savedDraft(stack, made.id, (d) => stepOf(d, 'a')?.hint === 'Здравствуйте, {{CONTACT.NAME}}!', 'the tag')

      // What was designed publishes as is.
      const ready = await getScript(stack, made.id)
      const published = await settings(stack, 'POST', `/api/settings/scripts/${made.id}/publish`, { version: ready.version }, 200)
      const version = await settings(stack, 'GET', `/api/settings/scripts/${made.id}/versions/${published.published_version}`)
      assert.equal(version.settings.call_type, 'incoming')
      assert.equal(version.steps.find((x) => x.id === 'b').pinned, true)
      await settle(page, frame)
    }
  }
]
