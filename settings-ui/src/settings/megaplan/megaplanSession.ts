// The «Мегаплан» page's sign-in (POST /api/megaplan/sign-in, docs/API.md): a Megaplan
// administrator's login and password for an account opdesk already knows (named by its host; the
// server takes the address from its own record). The answer is a UI session like the Bitrix24
// frame's; there is no frame to renew it, so when it ends the page asks for the password again.
import { ApiClient, ApiError, type Session } from '../../shared/api'

export interface SignedIn {
  session: string
  session_expires_at_ms: number
  tenant_id: string
  user: { id: string; name: string }
}

export async function signIn(
  base: string,
  host: string,
  login: string,
  password: string,
  lang: string,
  fetchImpl: typeof fetch = (i, init) => fetch(i, init)
): Promise<SignedIn> {
  const response = await fetchImpl(base.replace(/\/+$/, '') + '/api/megaplan/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
    body: JSON.stringify({ host, login, password })
  })
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // not JSON
  }
  if (!response.ok) {
    const e = (body as { error?: Record<string, unknown> } | null)?.error ?? {}
    const str = (v: unknown) => (typeof v === 'string' ? v : '')
    throw new ApiError(response.status, str(e.code) || 'HTTP_' + response.status, str(e.message) || response.statusText, str(e.field))
  }
  const b = body as SignedIn
  if (!b || typeof b.session !== 'string' || !b.session) throw new ApiError(502, 'BAD_SIGN_IN', 'the sign-in answer lacks the session')
  return b
}

// An API client on the session; `ended` is called (and the call refused) when it runs out.
export function sessionClient(base: string, signed: SignedIn, lang: string, ended: () => void): ApiClient {
  const session: Session = { session: signed.session, expires_at_ms: signed.session_expires_at_ms }
  return new ApiClient({
    base,
    session,
    lang,
    renewAheadMs: 5_000,
    renew: async () => {
      ended()
      throw new ApiError(401, 'SESSION_ENDED', 'the session has ended; sign in again')
    }
  })
}
