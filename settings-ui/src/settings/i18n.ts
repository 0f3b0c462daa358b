// The settings pages' texts: one shared table (messages.ts) plus one table per page, found by
// name — any `src/settings/**/*.messages.ts` that exports `messages: { ru, en }` — so each page
// keeps its texts next to itself and nobody edits another page's table. Tables are merged deeply;
// two tables that define the same leaf key are a programming error and throw at start.
import type { Messages } from '../shared/i18n'

export type Table = Record<string, unknown>

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function mergeInto(target: Table, source: Table, path: string): void {
  for (const [key, value] of Object.entries(source)) {
    const here = path ? `${path}.${key}` : key
    const existing = target[key]
    if (isTable(value) && isTable(existing)) {
      mergeInto(existing, value, here)
    } else if (existing !== undefined) {
      throw new Error(`the message key ${here} is defined twice`)
    } else {
      target[key] = isTable(value) ? structuredClone(value) : value
    }
  }
}

export function mergeMessages(...tables: Messages<Table>[]): Messages<Table> {
  const out: Messages<Table> = { ru: {}, en: {} }
  for (const t of tables) {
    mergeInto(out.ru, t.ru, '')
    mergeInto(out.en, t.en, '')
  }
  return out
}

// Every `*.messages.ts` under src/settings, in a stable order.
export function pageMessages(): Messages<Table>[] {
  const modules = import.meta.glob<{ messages: Messages<Table> }>('./**/*.messages.ts', {
    eager: true
  })
  return Object.keys(modules)
    .sort()
    .map((k) => modules[k]!.messages)
}
