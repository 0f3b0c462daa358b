// Browser tests that need the call card endpoints on the server (GET /api/callcard/context and
// the rest of docs/API.md "Call card"). They are not in run.mjs's list yet: add
//   import { tests as backendTests } from './callcard_backend.test.mjs'
// and ['backend', backendTests] to its `suites` when the endpoints land. Nothing is stubbed here.
import assert from 'node:assert/strict'
import { openCallCard } from './harness.mjs'

export const tests = [
  {
    // Needs GET /api/callcard/context (access.state, supervisors, settings_url).
    name: 'a user without a role is told who can give one, in Russian',
    async run({ stack, context, use }) {
      // b24emu's user 2 (Борис) has no role; user 1 (Анна Админова) installed the app and is the
      // Supervisor.
      const { page, frame } = await openCallCard(context, stack, { userId: 2, waitFor: '[data-testid="no-seat"]' })
      use(page)
      assert.match(await frame.textContent('[data-testid="no-seat"]'), /У вас нет роли в opdesk/)
      assert.match(await frame.textContent('[data-testid="supervisors"]'), /Анна Админова/)
      assert.match(await frame.getAttribute('[data-testid="settings-link"]', 'href'), /^https?:\/\//)
    }
  },
  {
    // Needs GET /api/callcard/context and /api/callcard/client; the emulator's seeded CRM.
    name: 'the supervisor’s card looks the caller up in the CRM',
    async run({ stack, context, use }) {
      const { page, frame } = await openCallCard(context, stack, { userId: 1, waitFor: 'main.callcard[data-state="ready"]' })
      use(page)
      assert.match(await frame.textContent('[data-testid="phone"]'), /\+79001234567/)
      assert.equal(await frame.isVisible('[data-testid="client-tab"]'), true)
    }
  }
]
