// The «Мегаплан» page in the browser against the real opdesk, the Megaplan account emulator
// (connected as its integration employee `bot`) and the Mango emulator: opened at the top level
// at /megaplan/<host> (Megaplan has no frame for it); a wrong password and an employee who is not
// an administrator are told so and nothing is stored; an administrator signs in, changes a flag
// and saves it; connects Mango and links an extension to an employee by hand; «Проверить
// подключение» says in words how Megaplan and Mango answer; a refused token is shown and
// «Войти заново» seals a new one.
import assert from 'node:assert/strict'

const input = (id) => `input[data-testid="${id}"], [data-testid="${id}"] input`

async function openPage(context, stack, use) {
  const page = await context.newPage()
  use(page)
  page.on('dialog', (d) => d.accept())
  await page.setViewportSize({ width: 1200, height: 900 })
  await page.goto(`${stack.opdeskUrl}/megaplan/${stack.megaplan.host}`)
  await page.waitForSelector('[data-testid="megaplan-signin"]')
  return page
}

async function signIn(page, login, password) {
  await page.fill(input('signin-login'), login)
  await page.fill(input('signin-password'), password)
  await page.click('[data-testid="signin-submit"]')
}

async function signedIn(context, stack, use) {
  const page = await openPage(context, stack, use)
  await signIn(page, 'anna', 'anna-pass')
  await page.waitForSelector('[data-testid="megaplan-page"] [data-testid="account"]')
  await page.waitForSelector('[data-testid="flag"]')
  return page
}

// Connects the Mango emulator's VPBX to the account from the page (again if it was already).
async function connectMango(page, stack) {
  await page.fill(input('api-key'), stack.mango.key)
  await page.fill(input('api-salt'), stack.mango.salt)
  await page.click('[data-testid="save-keys"]')
  await page.waitForSelector('[data-testid="webhook"]')
}

function usersOfTheAccount(stack) {
  return stack.sql(`SELECT user_id, role_id FROM users WHERE tenant_id = '${stack.megaplan.tenant}'`)
}

export const tests = [
  {
    name: 'a wrong password is told in Russian and nothing is stored',
    async run({ stack, context, use }) {
      const page = await openPage(context, stack, use)
      assert.match(await page.textContent('[data-testid="megaplan-signin"]'), new RegExp(stack.megaplan.host.replace(/\./g, '\\.')))
      const before = usersOfTheAccount(stack).length
      await signIn(page, 'anna', 'wrong-password')
      const error = await page.waitForSelector('[data-testid="signin-error"]')
      assert.equal(await error.getAttribute('data-field'), 'password')
      assert.match(await error.textContent(), /Мегаплан не принял логин или пароль/)
      assert.equal(usersOfTheAccount(stack).length, before)
      assert.equal(await page.$('[data-testid="megaplan-page"]'), null)
    }
  },
  {
    name: 'an employee who is not a Megaplan administrator is refused with the reason',
    async run({ stack, context, use }) {
      const page = await openPage(context, stack, use)
      await signIn(page, 'boris', 'boris-pass')
      const error = await page.waitForSelector('[data-testid="signin-error"]')
      assert.equal(await error.getAttribute('data-field'), 'login')
      assert.match(await error.textContent(), /только администратор Мегаплана/)
      assert.equal(stack.sql(`SELECT user_id FROM users WHERE tenant_id = '${stack.megaplan.tenant}' AND user_id = '1000002'`).length, 0)
    }
  },
  {
    name: 'an administrator signs in, sees the token and seed 004 flags, changes one and saves',
    async run({ stack, context, use }) {
      const page = await signedIn(context, stack, use)
      assert.equal(await page.getAttribute('[data-testid="token-state"]', 'data-token'), 'ok')
      assert.match(await page.textContent('[data-testid="account"]'), /bot/)
      const labels = await page.$$eval('[data-testid="flag"] .settings-label', (els) => els.map((e) => e.textContent.trim()))
      for (const label of [
        'Автоматически создавать клиента при принятых входящих звонках',
        'Автоматически создавать клиента при пропущенных входящих звонках',
        'Действия при повторных звонках от клиентов',
        'Распределять вызовы от клиентов по ответственным сотрудникам',
        'Указывать источник при входящих звонках',
        'Обновлять ответственного при переводах входящих вызовов',
        'Указать ответственного при пропущенных звонках в IVR',
        'Указать ответственного при пропущенных звонках в группу',
        'Автоматически создавать клиента при исходящих звонках'
      ]) {
        assert.ok(labels.includes(label), `${label} in ${labels.join(' | ')}`)
      }
      const answered = '[data-key="answered_new_number"] select'
      assert.deepEqual(await page.$$eval(`${answered} option`, (os) => os.map((o) => o.value)), ['none', 'client', 'client_and_deal'])
      // The scheme and status pickers read the account.
      const schemes = await page.$$eval('[data-key="deal_category_id"] select option', (os) => os.map((o) => o.textContent.trim()))
      assert.ok(schemes.includes('Продажи') && schemes.includes('Повторные'), schemes.join(' | '))
      await page.selectOption(answered, 'client_and_deal')
      await page.selectOption('[data-key="deal_category_id"] select', '1')
      await page.selectOption('[data-key="deal_stage_id"] select', '12')
      await page.click('[data-key="route_to_responsible"] input[type="checkbox"]')
      await page.click('[data-testid="save"]')
      await page.waitForSelector('[data-testid="saved"]')
      const stored = stack.sql(`SELECT settings_json FROM integration_settings WHERE tenant_id = '${stack.megaplan.tenant}'`)
      assert.equal(stored.length, 1)
      const json = JSON.parse(stored[0].settings_json)
      assert.equal(json.answered_new_number, 'client_and_deal')
      assert.equal(json.deal_category_id, '1')
      assert.equal(json.deal_stage_id, '12')
      assert.equal(json.route_to_responsible, true)
      const audit = stack.sql(`SELECT actor FROM audit_log WHERE tenant_id = '${stack.megaplan.tenant}' AND action = 'integration.update'`)
      assert.deepEqual(audit.map((a) => a.actor), ['user:1000001'])
    }
  },
  {
    name: 'Mango keys, the webhook address to copy, and an extension linked to an employee by hand',
    async run({ stack, context, use }) {
      const page = await signedIn(context, stack, use)
      await connectMango(page, stack)
      assert.match(await page.inputValue('[data-testid="webhook"]'), new RegExp(`^${stack.opdeskUrl}/mango/[\\w-]+/$`))
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.opdeskUrl }).catch(() => {})
      await page.click('[data-testid="copy"]')
      await page.waitForFunction(() => document.querySelector('[data-testid="copy"]')?.textContent.includes('Скопировано'))
      // The directory is fetched now (and on connecting); 101 is Анна by the phone field of her card.
      await page.click('[data-testid="refresh-directory"]')
      await page.waitForSelector('[data-testid="employee"][data-extension="101"] [data-testid="linked-user"]', { timeout: 20_000 })
      const row = '[data-testid="employee"][data-extension="101"]'
      assert.equal(await page.getAttribute(`${row} [data-testid="source"]`, 'data-source'), 'crm')
      assert.match(await page.textContent(`${row} [data-testid="linked-user"]`), /Анна/)
      await page.selectOption(`${row} [data-testid="pick-user"]`, '1000003')
      await page.click(`${row} [data-testid="link"]`)
      await page.waitForFunction((r) => document.querySelector(`${r} [data-testid="source"]`)?.dataset.source === 'manual', row)
      assert.match(await page.textContent(`${row} [data-testid="linked-user"]`), /Вера/)
      assert.match(await page.textContent(`${row} [data-testid="source"]`), /вручную/)
    }
  },
  {
    name: '«Проверить подключение» says how Megaplan and Mango answer; a refused token is signed in again',
    async run({ stack, context, use }) {
      const page = await signedIn(context, stack, use)
      await connectMango(page, stack)
      await page.click('[data-testid="check"]')
      const megaplan = await page.waitForSelector('[data-testid="crm-check-result"]', { timeout: 15_000 })
      assert.equal(await megaplan.getAttribute('data-ok'), 'true', await megaplan.textContent())
      assert.match(await megaplan.textContent(), /Мегаплан принимает токен интеграции/)
      const mango = await page.waitForSelector('[data-testid="check-result"]', { timeout: 15_000 })
      assert.match(await mango.textContent(), /Подключение работает/)

      await stack.megaplan.control('POST', '/_emu/tokens/expire', {})
      await page.click('[data-testid="check"]')
      await page.waitForSelector('[data-testid="crm-check-result"][data-ok="false"]', { timeout: 15_000 })
      assert.match(await page.textContent('[data-testid="crm-check-result"]'), /отклонил токен интеграции/)
      await page.waitForSelector('[data-testid="token-state"][data-token="refused"]')

      await page.click('[data-testid="relogin"]')
      assert.match(await page.textContent('[data-testid="account"]'), /отдельного сотрудника для интеграции/)
      await page.fill(input('relogin-password'), 'wrong')
      await page.click('[data-testid="relogin-submit"]')
      await page.waitForSelector('[data-testid="relogin-form"] [data-field="password"]')
      assert.equal(await page.getAttribute('[data-testid="token-state"]', 'data-token'), 'refused')
      await page.fill(input('relogin-password'), 'bot-pass')
      await page.click('[data-testid="relogin-submit"]')
      await page.waitForSelector('[data-testid="relogin-done"]')
      assert.equal(await page.getAttribute('[data-testid="token-state"]', 'data-token'), 'ok')
      assert.equal(await page.$('[data-testid="crm-check-result"]'), null, 'the old token’s answer is dropped')
      // Mango's half of the second check may still be under way (Mango spaces that request).
      await page.waitForFunction(() => document.querySelector('[data-testid="check"]')?.textContent.includes('Проверить подключение'), null, { timeout: 15_000 })
    }
  }
]
