// The Client tab's history, page by page (GET /api/callcard/history): the pages read so far are
// joined into one list (an item on two pages — the CRM moved it while paging — is kept once),
// and the values are put in words: when, how long, and whether a link may be opened.
import type { HistoryDeal, HistoryItem, HistoryPage } from './types'

export interface HistoryState {
  items: HistoryItem[]
  deals: HistoryDeal[]
  page: number // the last page read; 0 before the first
  more: boolean
}

export function emptyHistory(): HistoryState {
  return { items: [], deals: [], page: 0, more: false }
}

function itemKey(i: HistoryItem): string {
  return `${i.kind}:${i.id}`
}

// The state after `page` arrived; pages arrive in order (the UI asks for the next only).
export function addPage(state: HistoryState, page: HistoryPage): HistoryState {
  const seen = new Set(state.items.map(itemKey))
  const items = [...state.items]
  for (const i of page.items) {
    if (!seen.has(itemKey(i))) {
      seen.add(itemKey(i))
      items.push(i)
    }
  }
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  const dealIds = new Set(state.deals.map((d) => d.id))
  const deals = [...state.deals, ...page.deals.filter((d) => !dealIds.has(d.id))]
  return { items, deals, page: page.page, more: page.more }
}

// "05.03.2025 16:30" in the browser's time zone (the operator's); the text itself if unreadable.
export function formatWhen(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  const d = new Date(t)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getDate())}.${two(d.getMonth() + 1)}.${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`
}

// Seconds as {m, s} for the "3 min 5 s" text; null when unknown.
export function splitDuration(seconds: number | null): { m: number; s: number } | null {
  if (seconds === null || seconds < 0) return null
  return { m: Math.floor(seconds / 60), s: seconds % 60 }
}

// Only http(s) links are rendered as links: a recording URL comes from the CRM's data.
export function safeLink(url: string | null): string {
  if (!url) return ''
  return /^https?:\/\//i.test(url) ? url : ''
}
