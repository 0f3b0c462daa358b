import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, renewSession } from './api'

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  })
}

describe('ApiClient', () => {
  it('sends the session as a Bearer token and parses JSON', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true }))
    const api = new ApiClient({
      base: 'https://x/',
      session: { session: 's1', expires_at_ms: 10_000_000 },
      renew: vi.fn(),
      fetch,
      now: () => 0
    })
    await expect(api.get('/api/a')).resolves.toEqual({ ok: true })
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('https://x/api/a')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer s1')
    expect((init.headers as Record<string, string>)['Accept-Language']).toBeUndefined()
  })

  it('tells the server the portal language, for the messages it writes', async () => {
    const fetch = vi.fn(async () => json(200, {}))
    const api = new ApiClient({
      base: '',
      session: { session: 's1', expires_at_ms: 10_000_000 },
      renew: vi.fn(),
      fetch,
      lang: 'en',
      now: () => 0
    })
    await api.put('/api/a', { x: 1 })
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect((init.headers as Record<string, string>)['Accept-Language']).toBe('en')
  })

  it('renews once, before the request, when the session is about to expire', async () => {
    const fetch = vi.fn(async () => json(200, {}))
    const renew = vi.fn(async () => ({ session: 's2', expires_at_ms: 2_000_000 }))
    const api = new ApiClient({
      base: '',
      session: { session: 's1', expires_at_ms: 60_000 },
      renew,
      fetch,
      now: () => 0
    })
    await Promise.all([api.get('/a'), api.get('/b')])
    expect(renew).toHaveBeenCalledTimes(1)
    for (const call of fetch.mock.calls as unknown as [string, RequestInit][]) {
      expect((call[1].headers as Record<string, string>).Authorization).toBe('Bearer s2')
    }
  })

  it('renews and retries once after a 401', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(401, { error: { code: 'UNAUTHENTICATED', message: 'expired' } }))
      .mockResolvedValueOnce(json(200, { fine: 1 }))
    const renew = vi.fn(async () => ({ session: 's2', expires_at_ms: 9e12 }))
    const api = new ApiClient({
      base: '',
      session: { session: 's1', expires_at_ms: 9e12 },
      renew,
      fetch,
      now: () => 0
    })
    await expect(api.get('/a')).resolves.toEqual({ fine: 1 })
    expect(renew).toHaveBeenCalledTimes(1)
  })

  it('turns the error body into an ApiError that names the field', async () => {
    const fetch = vi.fn(async () =>
      json(400, {
        error: { code: 'INVALID_ARGUMENT', message: 'bad e-mail', field: 'EMAIL', request_id: 'r1' }
      })
    )
    const api = new ApiClient({
      base: '',
      session: { session: 's', expires_at_ms: 9e12 },
      renew: vi.fn(),
      fetch,
      now: () => 0
    })
    const error = await api.put('/c', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', field: 'EMAIL', requestId: 'r1' })
    expect((error as Error).message).toBe('bad e-mail')
  })

  it('renewSession posts the member and the fresh frame token', async () => {
    const fetch = vi.fn(async () => json(200, { session: 'n', expires_at_ms: 5 }))
    await expect(renewSession('/base/', 'm1', 'tok', fetch)).resolves.toEqual({
      session: 'n',
      expires_at_ms: 5
    })
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/base/api/session/renew')
    expect(JSON.parse(String(init.body))).toEqual({ member_id: 'm1', auth_id: 'tok' })
  })
})
