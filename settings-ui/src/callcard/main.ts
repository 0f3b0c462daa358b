// The call card's entry: reads the bootstrap block, connects the frame bridge in the background
// and mounts the page. Everything the first paint needs is already in the HTML.
import '../shared/style.css'
import { createApp, h } from 'vue'
import { readBootstrap, type Bootstrap } from '../shared/bootstrap'
import { connectFrame, fitFrameToContent } from '../shared/frame'
import { makeI18n, provideKitLocale } from '../shared/i18n'
import { parsePlacement } from '../shared/placement'
import { CallCardApi } from './api'
import CallCard from './CallCard.vue'
import { messages } from './messages'

function start(boot: Bootstrap) {
  const { bridge, client } = connectFrame(boot)
  const placement = parsePlacement(boot.placement_options)
  const app = createApp(CallCard, {
    api: new CallCardApi(client, placement),
    bridge,
    placement
  })
  app.use(makeI18n(boot.lang, messages))
  provideKitLocale(app, boot.lang)
  app.mount('#app')

  fitFrameToContent(document.getElementById('app'), bridge)
}

try {
  start(readBootstrap())
} catch (e) {
  // Opened without the shell's data (e.g. the file itself): say so instead of a blank frame.
  const lang = document.documentElement.lang === 'en' ? 'en' : 'ru'
  createApp({ render: () => h('p', { class: 'p-4' }, messages[lang].error.bootstrap) }).mount('#app')
  console.error(e)
}
