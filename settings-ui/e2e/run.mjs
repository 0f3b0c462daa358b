// Runs the browser tests (e2e/*.test.mjs) against the real opdesk and portal emulator in headless
// Chromium, one fresh page per test, and saves a screenshot of each test's page in
// test-artifacts/. All groups share one stack, set up through the settings API on first use
// (e2e/world.mjs); the page group runs last and its tariff test last of all. Prints one line per
// test and closes with "N passed, N failed".
//   node e2e/run.mjs [name filter]
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, startStack, uiDir } from './harness.mjs'
import { tests as shellTests } from './callcard_shell.test.mjs'
import { tests as pageTests } from './callcard_page.test.mjs'
import { tests as frameSdkTests } from './callcard_frame_sdk.test.mjs'
// The settings pages (the app page).
import { tests as settingsShellTests } from './settings_shell.test.mjs'
import { tests as settingsButtonsTests } from './settings_buttons.test.mjs'
import { tests as settingsScriptsTests } from './settings_scripts.test.mjs'
import { tests as settingsDesignerTests } from './settings_designer.test.mjs'
import { tests as settingsRolesTests } from './settings_roles.test.mjs'
import { tests as settingsCampaignsTests } from './settings_campaigns.test.mjs'
import { tests as settingsStartTests } from './settings_start.test.mjs'
import { tests as settingsUsersTests } from './settings_users.test.mjs'
import { tests as settingsIntegrationTests } from './settings_integration.test.mjs'
import { tests as settingsAuditTests } from './settings_audit.test.mjs'
// The «Мегаплан» page (a Megaplan account's own settings page).
import { tests as settingsMegaplanTests } from './settings_megaplan.test.mjs'
// The reception wizard (card and settings).
import { tests as receptionTests } from './reception.test.mjs'
// Working a dialing task (the operator's page).
import { tests as campaignWorkTests } from './campaign_work.test.mjs'
// A dialing task's «Контакты из CRM».
import { tests as campaignCrmTests } from './campaign_crm.test.mjs'
// After a dialing task's call: e-mail templates, the after-call panel, the invoice page.
import { tests as campaignAfterTests } from './campaign_after.test.mjs'

const suites = [
  ['shell', shellTests],
  ['frame sdk', frameSdkTests],
  // The settings pages (the app page).
  ['settings shell', settingsShellTests],
  ['settings buttons', settingsButtonsTests],
  ['settings scripts', settingsScriptsTests],
  ['settings designer', settingsDesignerTests],
  ['settings roles', settingsRolesTests],
  ['settings campaigns', settingsCampaignsTests],
  ['settings start', settingsStartTests],
  ['settings users', settingsUsersTests],
  ['settings integration', settingsIntegrationTests],
  ['settings audit', settingsAuditTests],
  ['settings megaplan', settingsMegaplanTests],
  ['reception', receptionTests],
  ['campaign work', campaignWorkTests],
  ['campaign crm', campaignCrmTests],
  ['campaign after', campaignAfterTests],
  ['page', pageTests]
]

const filter = process.argv[2] ?? ''
const artifacts = join(uiDir, 'test-artifacts')
mkdirSync(artifacts, { recursive: true })

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

let passed = 0
let failed = 0
const started = Date.now()
const stack = await startStack()
const browser = await launchBrowser()
const state = { page: null }
try {
  for (const [group, tests] of suites) {
    for (const t of tests) {
      const name = `${group}: ${t.name}`
      if (filter && !name.includes(filter)) continue
      const t0 = Date.now()
      state.page = null
      try {
        await t.run({ stack, context: browser.context, use: (page) => (state.page = page) })
        passed++
        console.log(`  ok   ${name} (${Date.now() - t0} ms)`)
      } catch (e) {
        failed++
        console.log(`  FAIL ${name} (${Date.now() - t0} ms)\n       ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n       ')}`)
      } finally {
        if (state.page) {
          await state.page
            .screenshot({ path: join(artifacts, `${slug(group)}--${slug(t.name)}.png`), fullPage: true })
            .catch(() => {})
          await state.page.close().catch(() => {})
        }
      }
    }
  }
} finally {
  await browser.close()
  await stack.stop()
}
console.log(`browser tests: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${artifacts}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
