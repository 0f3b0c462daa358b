// A stand-in for the API client (the only boundary the unit tests mock): answers by method and
// path from a table and records every call.
import { vi } from 'vitest'
import { ApiError } from '../shared/api'
import type { ApiTransport } from '../callcard/api'

type AnswerFn = (body: unknown, path: string) => unknown
type Answer = AnswerFn | object

export interface FakeApi extends ApiTransport {
  calls: { method: string; path: string; body: unknown }[]
  on(method: string, pathPrefix: string, answer: Answer): FakeApi
}

export function fakeApi(): FakeApi {
  const routes: { method: string; prefix: string; answer: Answer }[] = []
  const calls: FakeApi['calls'] = []
  const handle = async (method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body })
    // Latest registration wins, so a test can override a default answer.
    for (let i = routes.length - 1; i >= 0; i--) {
      const r = routes[i]!
      if (r.method === method && path.startsWith(r.prefix)) {
        const value = typeof r.answer === 'function' ? (r.answer as AnswerFn)(body, path) : r.answer
        if (value instanceof Error) throw value
        return JSON.parse(JSON.stringify(value ?? null))
      }
    }
    throw new ApiError(404, 'NOT_FOUND', `no fake answer for ${method} ${path}`)
  }
  const api = {
    calls,
    on(method: string, prefix: string, answer: Answer) {
      routes.push({ method, prefix, answer })
      return api
    },
    get: vi.fn((path: string) => handle('GET', path)),
    post: vi.fn((path: string, body?: unknown) => handle('POST', path, body)),
    put: vi.fn((path: string, body?: unknown) => handle('PUT', path, body))
  }
  return api as unknown as FakeApi
}
