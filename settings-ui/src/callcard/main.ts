// The call card's entry: reads the bootstrap block, connects the frame bridge in the background
// and mounts the page. Everything the first paint needs is already in the HTML.
import '../shared/style.css'
import { createApp, h } from 'vue'
import { ApiClient, renewSession } from '../shared/api'
import { readBootstrap, type Bootstrap } from '../shared/bootstrap'
import { connectBridge } from '../shared/bridge'
import { DeferredBridge } from '../shared/bridge/deferred'
import { makeI18n, provideKitLocale } from '../shared/i18n'
import { parsePlacement } from '../shared/placement'
import { CallCardApi } from './api'
import CallCard from './CallCard.vue'
import { messages } from './messages'

function start(boot: Bootstrap) {
  const bridge = new DeferredBridge(
    connectBridge(
      window,
      { placement: boot.placement, options: boot.placement_options },
      boot.frame_sdk_url
    )
  )
  const client = new ApiClient({
    base: boot.api_base,
    session: { session: boot.session, expires_at_ms: boot.session_expires_at_ms },
    lang: boot.lang,
    renew: async () =>
      renewSession(boot.api_base, boot.member_id, (await bridge.freshAuth()).access_token)
  })
  const placement = parsePlacement(boot.placement_options)
  const app = createApp(CallCard, {
    api: new CallCardApi(client, placement),
    bridge,
    placement
  })
  app.use(makeI18n(boot.lang, messages))
  provideKitLocale(app, boot.lang)
  app.mount('#app')

  // Let the portal fit the frame to the card as it grows and shrinks.
  const root = document.getElementById('app')
  if (root && 'ResizeObserver' in window) {
    let last = 0
    new ResizeObserver(() => {
      const height = Math.ceil(root.getBoundingClientRect().height)
      if (height !== last) {
        last = height
        bridge.resize(height)
      }
    }).observe(root)
  }
}

try {
  start(readBootstrap())
} catch (e) {
  // Opened without the shell's data (e.g. the file itself): say so instead of a blank frame.
  const lang = document.documentElement.lang === 'en' ? 'en' : 'ru'
  createApp({ render: () => h('p', { class: 'p-4' }, messages[lang].error.bootstrap) }).mount('#app')
  console.error(e)
}
