// «Роли» in the browser against the real opdesk and portal emulator: create a role with flags,
// Client-tab fields, buttons and scripts; edit; a taken name refused next to the name; the
// Supervisor role's rules (no delete, manage always on) and the refusal to delete a held role
// shown on its row; delete; an operator's read-only view.
import assert from 'node:assert/strict'
import { currentSections, open, route, settle, text, texts } from './settings_helpers.mjs'
import { world } from './world.mjs'

async function rolesByName(stack) {
  const r = await stack.api('GET', '/api/settings/roles')
  return Object.fromEntries(r.body.roles.map((x) => [x.name, x]))
}
const row = (name) => `[data-testid="row"][data-name="${name}"]`

export const tests = [
  {
    name: 'a manager creates a role with fields per entity, buttons and scripts, then edits it',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const { page, frame } = await open(context, stack, use, '/roles')
      await frame.waitForSelector(row('Оператор'))
      await frame.click('[data-testid="create"]')
      await frame.waitForSelector('[data-testid="client-fields"] [data-entity="lead"] [data-code="TITLE"]')
      await frame.fill('[data-testid="name"] input', 'Менеджер продаж')
      await frame.click('[data-testid="keep-open"] [role="checkbox"]')
      await frame.check('[data-entity="lead"] [data-code="TITLE"] input')
      await frame.check('[data-entity="contact"] [data-code="NAME"] input')
      await frame.check('[data-entity="deal"] [data-code="OPPORTUNITY"] input')
      await frame.check(`[data-testid="buttons"] [data-id="${w.buttons.lead}"] input`)
      await frame.check(`[data-testid="scripts"] [data-id="${w.scripts.incoming.id}"] input`)
      await frame.click('[data-testid="save"]')
      await frame.waitForFunction(() => /^#\/roles\/\d+$/.test(location.hash))
      let role = (await rolesByName(stack))['Менеджер продаж']
      assert.equal(role.keep_card_open, true)
      assert.equal(role.may_manage_settings, false)
      assert.deepEqual(role.client_fields, [
        { entity: 'lead', code: 'TITLE' },
        { entity: 'contact', code: 'NAME' },
        { entity: 'deal', code: 'OPPORTUNITY' }
      ])
      assert.deepEqual(role.button_ids, [w.buttons.lead])
      assert.deepEqual(role.script_ids, [w.scripts.incoming.id])
      assert.equal(await route(frame), `/roles/${role.id}`)

      await frame.uncheck('[data-entity="deal"] [data-code="OPPORTUNITY"] input')
      await frame.click('[data-testid="manage"] [role="checkbox"]')
      await frame.click('[data-testid="save"]')
      await frame.waitForSelector('[data-testid="saved"]')
      role = (await rolesByName(stack))['Менеджер продаж']
      assert.equal(role.may_manage_settings, true)
      assert.equal(role.client_fields.length, 2)
      await settle(page, frame)
    }
  },
  {
    name: 'a taken role name is refused next to the name and nothing is created',
    async run({ stack, context, use }) {
      await world(stack)
      const before = Object.keys(await rolesByName(stack)).length
      const { page, frame } = await open(context, stack, use, '/roles/new')
      await frame.waitForSelector('[data-testid="name"] input')
      await frame.fill('[data-testid="name"] input', 'Оператор')
      await frame.click('[data-testid="save"]')
      const error = await frame.waitForSelector('[data-testid="name"] [data-testid="field-error"]')
      assert.match(await error.textContent(), /Роль с таким названием уже есть/)
      assert.equal(Object.keys(await rolesByName(stack)).length, before)
      await settle(page, frame)
    }
  },
  {
    name: 'the Supervisor role cannot be deleted nor lose the manage right; a held role is not deleted',
    async run({ stack, context, use }) {
      await world(stack)
      const roles = await rolesByName(stack)
      const supervisor = Object.values(roles).find((r) => r.system)
      assert.equal(supervisor.name, 'Супервайзер')
      const { page, frame } = await open(context, stack, use, '/roles')
      await frame.waitForSelector(row('Супервайзер'))
      assert.equal(await frame.$(`${row('Супервайзер')} [data-testid="delete"]`), null)
      // «Оператор» is held by user 2: the server refuses, and says so on that row.
      await frame.click(`${row('Оператор')} [data-testid="delete"]`)
      await frame.waitForSelector('[data-testid="row-error"]')
      assert.match(await text(frame, '[data-testid="row-error"]'), /назначена пользователям/)
      assert.ok((await rolesByName(stack))['Оператор'], 'still there')

      await frame.click(`${row('Супервайзер')} [data-testid="name"]`)
      await frame.waitForSelector('[data-testid="supervisor-note"]')
      assert.equal(await frame.getAttribute('[data-testid="manage"] [role="checkbox"]', 'aria-checked'), 'true')
      assert.ok((await frame.$('[data-testid="manage"] [role="checkbox"][disabled], [data-testid="manage"] [role="checkbox"][data-disabled]')) !== null)
      // The server refuses a PUT without the flag; the page would show it under the flag.
      const refused = await stack.api('PUT', `/api/settings/roles/${supervisor.id}`, { ...supervisor, may_manage_settings: false })
      assert.equal(refused.status, 409)
      assert.equal(refused.body.error.field, 'may_manage_settings')
      await settle(page, frame)
    }
  },
  {
    name: 'a manager deletes a role nobody holds',
    async run({ stack, context, use }) {
      await world(stack)
      const made = await stack.api('POST', '/api/settings/roles', { name: 'Временная' })
      assert.equal(made.status, 201)
      const { page, frame } = await open(context, stack, use, '/roles')
      await frame.waitForSelector(row('Временная'))
      await frame.click(`${row('Временная')} [data-testid="delete"]`)
      await frame.waitForSelector(row('Временная'), { state: 'detached' })
      assert.equal((await rolesByName(stack))['Временная'], undefined)
      await settle(page, frame)
    }
  },
  {
    name: 'an operator sees the roles read-only',
    async run({ stack, context, use }) {
      const w = await world(stack)
      const { page, frame } = await open(context, stack, use, `/roles/${w.role}`, { userId: 2 })
      await frame.waitForSelector('[data-testid="read-only"]')
      await frame.waitForSelector('[data-testid="client-fields"] [data-entity="contact"]')
      // The role editor belongs to «Роли»: the navigation marks that section as the current page.
      assert.deepEqual(await currentSections(frame), ['roles'])
      assert.ok((await frame.getAttribute('[data-section="roles"]', 'class')).includes('nav-item--active'))
      assert.equal(await frame.$('[data-testid="save"]'), null)
      assert.equal(await frame.$eval('[data-testid="form"]', (f) => f.disabled), true)
      assert.deepEqual(await texts(frame, '[data-testid="nav"] a[data-locked="true"]'), ['Начало работы', 'Пользователи', 'Журнал'])
      await settle(page, frame)
    }
  }
]
