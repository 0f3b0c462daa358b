// The settings pages' entry (the app page, POST /b24/app): reads the bootstrap block, connects
// the frame bridge in the background, keeps the UI session alive, and mounts the layout with
// its router. Works in the portal's frame and opened at the top level (no bridge: no resize,
// no renewal — the session then lasts its own lifetime). The «Мегаплан» page (GET
// /megaplan/{host}, placement MEGAPLAN) is the same bundle: its own root, which signs in first.
import '../shared/style.css'
import './common/ListTable.css'
import { createApp, h, ref } from 'vue'
import { readBootstrap, type Bootstrap } from '../shared/bootstrap'
import { connectFrame, fitFrameToContent } from '../shared/frame'
import { makeI18n, provideKitLocale } from '../shared/i18n'
import App from './App.vue'
import { makeContext, settingsKey, type Me } from './common/context'
import { installBeforeUnload } from './common/dirty'
import { keepSessionAlive } from './common/keepAlive'
import { mergeMessages, pageMessages } from './i18n'
import { messages } from './messages'
import { makeRouter } from './router'

function start(boot: Bootstrap) {
  const { bridge, client } = connectFrame(boot)
  const all = mergeMessages(messages, ...pageMessages())
  const i18n = makeI18n(boot.lang, all)
  const confirmLeave = () => window.confirm(String(i18n.global.t('common.leave')))
  const router = makeRouter(confirmLeave)
  // Who is looking, read at once and in parallel with the section's chunk and data.
  const me = ref<Me | null>(null)
  const meError = ref('')
  const loadMe = () =>
    client.get<Me>('/api/settings/me').then(
      (m) => {
        me.value = m
        meError.value = ''
      },
      (e: unknown) => {
        meError.value = e instanceof Error ? e.message : String(e)
      }
    )
  const meReady = loadMe()
  const app = createApp(App, { userName: boot.user.name, meError, reloadMe: loadMe })
  app.provide(settingsKey, makeContext(client, me, boot.member_id, boot.user.id, meReady))
  app.use(i18n)
  app.use(router)
  provideKitLocale(app, boot.lang)
  app.mount('#app')
  installBeforeUnload()
  keepSessionAlive(client, () => bridge.kind !== 'none')

  fitFrameToContent(document.getElementById('app'), bridge)
}

// A chunk of its own: the Bitrix24 app page never loads it.
async function startMegaplan(boot: Bootstrap) {
  const { default: MegaplanApp } = await import('./megaplan/MegaplanApp.vue')
  const all = mergeMessages(messages, ...pageMessages())
  const i18n = makeI18n(boot.lang, all)
  const host = typeof boot.placement_options.host === 'string' ? boot.placement_options.host : ''
  document.title = String(i18n.global.t('megaplanPage.title')) + ' · opdesk'
  const app = createApp(MegaplanApp, { host, apiBase: boot.api_base, lang: boot.lang, tenantId: boot.member_id })
  app.use(i18n)
  provideKitLocale(app, boot.lang)
  app.mount('#app')
  installBeforeUnload()
}

try {
  const boot = readBootstrap()
  if (boot.placement === 'MEGAPLAN') void startMegaplan(boot).catch((e: unknown) => console.error(e))
  else start(boot)
} catch (e) {
  // Opened without the shell's data (e.g. the file itself): say so instead of a blank page.
  const lang = document.documentElement.lang === 'en' ? 'en' : 'ru'
  createApp({ render: () => h('p', { class: 'p-4' }, messages[lang].app.bootstrap) }).mount('#app')
  console.error(e)
}
