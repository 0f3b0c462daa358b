// The settings pages' shell against the real opdesk and portal emulator: POST /b24/app answers
// the built settings.html with its bootstrap, the navigation lists the sections in order, the
// frame fits itself through the bridge, routes live after '#' (the page is a POST answer), the
// page also works posted at the top level without a portal around it, and who may do what comes
// from GET /api/settings/me.
import assert from 'node:assert/strict'
import { currentSections, open, route, settle, text, texts } from './settings_helpers.mjs'
import { until } from './harness.mjs'
import { world } from './world.mjs'

const sectionsRu = ['Начало работы', 'Кнопки', 'Скрипты', 'Роли', 'Обзвоны', 'Пользователи', 'Интеграция', 'Приём обращений', 'Журнал']
const sectionsEn = ['Getting started', 'Buttons', 'Scripts', 'Roles', 'Dialing tasks', 'Users', 'Integration', 'Reception', 'Log']

export const tests = [
  {
    name: 'the app page answers the settings shell with the sections in order and fits the frame',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame, response } = await open(context, stack, use, '/buttons')
      assert.equal(response.status(), 200)
      const headers = await response.allHeaders()
      assert.match(headers['content-security-policy'], new RegExp(`^frame-ancestors https://127\\.0\\.0\\.1:${stack.emuPort};`))
      const boot = await frame.evaluate(() => JSON.parse(document.getElementById('opdesk-bootstrap').textContent))
      assert.equal(boot.placement, 'DEFAULT')
      assert.equal(boot.user.id, '1')
      assert.deepEqual(await texts(frame, '[data-testid="nav"] a'), sectionsRu)
      assert.match(await text(frame, '[data-testid="signed-in"]'), /Вы вошли как .+ · Супервайзер/)
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Кнопки')
      assert.equal(await frame.getAttribute('[data-section="buttons"]', 'class').then((c) => c.includes('nav-item--active')), true)
      assert.deepEqual(await currentSections(frame), ['buttons'])
      // Each section is reached from the navigation; the route lives after '#'.
      for (const [name, title] of [['scripts', 'Скрипты'], ['roles', 'Роли'], ['users', 'Пользователи'], ['integration', 'Интеграция'], ['audit', 'Журнал']]) {
        await frame.click(`[data-section="${name}"]`)
        await frame.waitForFunction((t) => document.querySelector('[data-testid="page-title"]')?.textContent.trim() === t, title)
        assert.equal(await route(frame), `/${name}`)
        assert.deepEqual(await currentSections(frame), [name], `only «${title}» is the current page`)
      }
      assert.equal(await frame.evaluate(() => location.pathname), '/b24/app', 'a reload posts to the same page')
      await until('resize requests', async () => (await page.evaluate(() => window.__portal.resizes.length)) > 0)
      const height = await page.evaluate(() => window.__portal.resizes.at(-1))
      assert.ok(height > 200, `the page asks for its height: ${height}`)
      await settle(page, frame)
    }
  },
  {
    name: 'an English portal gets the pages in English',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/roles', { lang: 'en' })
      assert.deepEqual(await texts(frame, '[data-testid="nav"] a'), sectionsEn)
      assert.equal(await text(frame, '[data-testid="page-title"]'), 'Roles')
      assert.equal(await frame.evaluate(() => document.documentElement.lang), 'en')
      await frame.waitForSelector('[data-testid="row"]')
      await settle(page, frame)
    }
  },
  {
    name: 'the page posted at the top level without the portal frame works without a bridge',
    async run({ stack, context, use }) {
      await world(stack)
      const page = await context.newPage()
      use(page)
      await page.setViewportSize({ width: 1200, height: 800 })
      const url = `${stack.emuUrl}/_emu/portal/open?user_id=1&placement=DEFAULT&url=${encodeURIComponent(stack.opdeskUrl + '/b24/app')}`
      await page.goto(url)
      await page.waitForSelector('[data-testid="page-title"]', { timeout: 15_000 })
      assert.equal(new URL(page.url()).pathname, '/b24/app')
      // A Supervisor who has not dismissed the guided start lands there.
      assert.equal(await text(page, '[data-testid="page-title"]'), 'Начало работы')
      await page.click('[data-section="buttons"]')
      await page.waitForSelector('[data-testid="row"]')
      const names = await texts(page, '[data-testid="row"] [data-testid="name"]')
      assert.ok(names.includes('Итог звонка'), names.join(', '))
    }
  },
  {
    name: 'a user without a seat sees why, and no section data',
    async run({ stack, context, use }) {
      await world(stack)
      const { page, frame } = await open(context, stack, use, '/buttons', { userId: 3 })
      await frame.waitForSelector('[data-testid="no-rights"]')
      assert.match(await text(frame, '[data-testid="no-rights"]'), /нет роли/)
      assert.equal(await frame.$('[data-testid="list"]'), null)
      assert.equal(await frame.$('[data-testid="create"]'), null)
      const me = await stack.api('GET', '/api/settings/me', undefined, { user: 3 })
      assert.equal(me.status, 200)
      assert.equal(me.body.seat, 'no_role')
      await settle(page, frame)
    }
  }
]
