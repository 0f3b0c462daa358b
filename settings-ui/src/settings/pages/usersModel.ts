// The Users page's logic: search, why a user is blocked, whether every seat is taken.
export interface PortalUser {
  user_id: string
  name: string
  email: string
  portal_active: boolean
  role_id: string | null
  status: 'active' | 'blocked' | 'no_role'
}

export interface Seats {
  used: number
  limit: number | null
}

export interface Tariff {
  plan: string
  max_users: number | null
  seats_used: number
  lapsed: boolean
  paid_until: string | null
  plans: { name: string; max_users: number | null }[]
  prices_for_4_plus_users: { months: number; rub: number }[]
  order_url: string | null
  contacts: string | null
}

export function filterUsers(users: PortalUser[], search: string): PortalUser[] {
  const q = search.trim().toLocaleLowerCase()
  if (!q) return users
  return users.filter((u) => u.name.toLocaleLowerCase().includes(q) || u.email.toLocaleLowerCase().includes(q))
}

// The status word key (usersPage.status.<key>): a deactivated portal user first, then the seat.
export function blockReason(
  u: PortalUser,
  lapsed: boolean
): 'active' | 'no_role' | 'deactivated' | 'blocked_lapsed' | 'blocked_limit' {
  if (!u.portal_active) return 'deactivated'
  if (u.status === 'blocked') return lapsed ? 'blocked_lapsed' : 'blocked_limit'
  return u.status
}

export function seatsFull(s: Seats): boolean {
  return s.limit !== null && s.used >= s.limit
}

// "5 970": the price as the portal writes sums.
export function rubles(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')
}

// Only plain https links become the order button (the URL is the vendor's config).
export function orderLink(url: string | null): string {
  return url && /^https:\/\//i.test(url) ? url : ''
}

// A moment as the page's language writes it: 06.12.2026, 12:03 (ru) / 06/12/2026, 12:03 (en).
export function formatMs(ms: number, lang: string): string {
  return new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit'
  })
}
