// The pages' client of opdesk's JSON API (docs/API.md): every call carries the UI session as a
// Bearer token; shortly before the session expires — or once after a 401 — it is renewed with a
// fresh frame token from the bridge (POST /api/session/renew). Errors become ApiError, which keeps
// the server's code and the `field` it names so a form can show the message next to that field.
export interface Session {
  session: string
  expires_at_ms: number
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string
  readonly requestId: string

  constructor(status: number, code: string, message: string, field = '', requestId = '') {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.requestId = requestId
  }
}

export interface ApiClientOptions {
  base: string
  session: Session
  // A fresh session, normally from POST /api/session/renew with the bridge's frame token.
  renew: () => Promise<Session>
  fetch?: typeof fetch
  // The portal's language; the server writes its validation messages in it.
  lang?: string
  now?: () => number
  // Renew when fewer than this many milliseconds are left.
  renewAheadMs?: number
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // Not JSON (a proxy's page): keep the status.
  }
  const e = (body as { error?: Record<string, unknown> } | null)?.error
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  if (e && typeof e === 'object') {
    return new ApiError(
      response.status,
      str(e.code) || 'HTTP_' + response.status,
      str(e.message) || response.statusText,
      str(e.field),
      str(e.request_id)
    )
  }
  return new ApiError(response.status, 'HTTP_' + response.status, response.statusText || 'HTTP error')
}

export class ApiClient {
  private session: Session
  private renewing: Promise<Session> | null = null
  private readonly options: Required<Omit<ApiClientOptions, 'session'>>

  constructor(options: ApiClientOptions) {
    this.session = options.session
    this.options = {
      base: options.base.replace(/\/+$/, ''),
      renew: options.renew,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      now: options.now ?? (() => Date.now()),
      renewAheadMs: options.renewAheadMs ?? 2 * 60 * 1000,
      lang: options.lang ?? ''
    }
  }

  get currentSession(): Session {
    return this.session
  }

  // Single flight: concurrent callers share one renewal.
  renewSession(): Promise<Session> {
    if (!this.renewing) {
      this.renewing = this.options
        .renew()
        .then((s) => {
          this.session = s
          return s
        })
        .finally(() => {
          this.renewing = null
        })
    }
    return this.renewing
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path)
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body)
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body)
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    if (this.session.expires_at_ms - this.options.now() < this.options.renewAheadMs) {
      await this.renewSession()
    }
    let response = await this.send(method, path, body)
    if (response.status === 401) {
      await this.renewSession()
      response = await this.send(method, path, body)
    }
    if (!response.ok) {
      throw await errorFrom(response)
    }
    if (response.status === 204) {
      return undefined as T
    }
    return (await response.json()) as T
  }

  private send(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: 'Bearer ' + this.session.session,
      Accept: 'application/json'
    }
    if (this.options.lang) headers['Accept-Language'] = this.options.lang
    const init: RequestInit = { method, headers }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    return this.options.fetch(this.options.base + path, init)
  }
}

// POST /api/session/renew: trades a fresh frame token for a new UI session.
export async function renewSession(
  base: string,
  memberId: string,
  authId: string,
  fetchImpl: typeof fetch = (i, init) => fetch(i, init)
): Promise<Session> {
  const response = await fetchImpl(base.replace(/\/+$/, '') + '/api/session/renew', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ member_id: memberId, auth_id: authId })
  })
  if (!response.ok) {
    throw await errorFrom(response)
  }
  const data = (await response.json()) as Partial<Session>
  if (typeof data.session !== 'string' || typeof data.expires_at_ms !== 'number') {
    throw new ApiError(502, 'BAD_RENEW', 'the renewal answer lacks the session')
  }
  return { session: data.session, expires_at_ms: data.expires_at_ms }
}
