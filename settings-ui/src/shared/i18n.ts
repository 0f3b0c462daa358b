// vue-i18n for the pages: Russian first (the default and the fallback), English second. Each page
// passes its own message table; the language comes from the portal (the bootstrap's `lang`).
import type { App } from 'vue'
import { ref } from 'vue'
import { createI18n } from 'vue-i18n'
import { en as kitEn, ru as kitRu } from '@bitrix24/b24ui-nuxt/locale'
import { localeContextInjectionKey } from '@bitrix24/b24ui-nuxt/composables/useLocale'

export type Lang = 'ru' | 'en'
export type Messages<T> = { ru: T; en: T }

export function makeI18n<T extends Record<string, unknown>>(lang: Lang, messages: Messages<T>) {
  return createI18n({
    legacy: false,
    locale: lang,
    fallbackLocale: 'ru',
    // The tables are plain nested strings; vue-i18n's own message types are stricter than needed.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    messages: messages as any,
    missingWarn: false,
    fallbackWarn: false
  })
}

// The UI kit's own texts (close buttons, empty states) in the page's language. Provided directly:
// the kit's <B24App> wrapper would also bring its toaster and overlay machinery, which the pages
// do not use.
export function provideKitLocale(app: App, lang: Lang): void {
  app.provide(localeContextInjectionKey, ref(lang === 'en' ? kitEn : kitRu))
}
