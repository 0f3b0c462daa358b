// Keeps the UI session alive while the page stays open without requests (a Supervisor reading a
// long script): renews it shortly before it expires, through the frame bridge's fresh token.
// Without a bridge (the page opened at the top level) there is nothing to renew with; the session
// then lasts its own lifetime and the next request says so.
import type { ApiClient } from '../../shared/api'

export interface KeepAliveOptions {
  aheadMs?: number
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
}

// Returns a function that stops it.
export function keepSessionAlive(
  client: ApiClient,
  canRenew: () => boolean,
  options: KeepAliveOptions = {}
): () => void {
  const ahead = options.aheadMs ?? 3 * 60 * 1000
  const now = options.now ?? (() => Date.now())
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  let stopped = false
  let failures = 0
  const schedule = () => {
    if (stopped) return
    const due = client.currentSession.expires_at_ms - ahead - now()
    // Check again at least once a minute: the bridge may connect later than the page.
    setTimer(tick, Math.max(1000, Math.min(due, 60_000)))
  }
  const tick = () => {
    if (stopped) return
    const due = client.currentSession.expires_at_ms - ahead - now()
    if (due > 0 || !canRenew()) {
      schedule()
      return
    }
    client
      .renewSession()
      .then(() => {
        failures = 0
      })
      .catch((e: unknown) => {
        failures += 1
        console.warn('opdesk: the session could not be renewed', e)
      })
      .finally(() => {
        if (failures < 5) schedule()
      })
  }
  schedule()
  return () => {
    stopped = true
  }
}
