// Helpers of the settings pages' browser tests (settings_*.test.mjs): open a section as a portal
// user, read texts, answer the page's confirm dialogs, and fit the frame before the screenshot.
import { fitFrame, openSettings } from './harness.mjs'

// Opens `route` for `userId` and waits for the section's title. Confirm dialogs are accepted
// unless `dialogs` says otherwise ('dismiss', or a function (dialog) => …).
export async function open(context, stack, use, route, { userId = 1, lang = 'ru', dialogs = 'accept', waitFor } = {}) {
  const opened = await openSettings(context, stack, { userId, route, lang, waitFor })
  use(opened.page)
  opened.page.on('dialog', (d) => {
    if (typeof dialogs === 'function') return dialogs(d)
    return dialogs === 'dismiss' ? d.dismiss() : d.accept()
  })
  return opened
}

export async function texts(frame, selector) {
  return frame.$$eval(selector, (els) => els.map((e) => e.textContent.trim()))
}

export async function text(frame, selector) {
  return (await frame.textContent(selector, { timeout: 10_000 })).trim()
}

// The route the page shows (after '#').
export async function route(frame) {
  return frame.evaluate(() => location.hash.replace(/^#/, ''))
}

// The navigation entries marked as the current page (aria-current="page"), by section name.
export async function currentSections(frame) {
  return frame.$$eval('[data-testid="nav"] a[aria-current="page"]', (els) => els.map((e) => e.dataset.section))
}

export async function settle(page, frame) {
  await frame.waitForTimeout(100)
  await fitFrame(page)
}
