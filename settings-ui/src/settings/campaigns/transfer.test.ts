// The import upload and the export download: the session as a Bearer token, the upload progress
// reported, one renewal after a 401, and the server's error kept with its field.
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../shared/api'
import { downloadBlob, uploadText } from './transfer'

// A stand-in XMLHttpRequest that answers the queued statuses in turn and reports progress.
function fakeXhrs(answers: { status: number; body: string }[]) {
  const made: { url: string; headers: Record<string, string>; body: unknown }[] = []
  const make = () => {
    const answer = answers.shift()!
    const xhr = {
      upload: { onprogress: null as ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null },
      onload: null as (() => void) | null,
      onerror: null as (() => void) | null,
      status: 0,
      statusText: '',
      responseText: '',
      sent: { url: '', headers: {} as Record<string, string>, body: null as unknown },
      open(_method: string, url: string) {
        this.sent.url = url
      },
      setRequestHeader(name: string, value: string) {
        this.sent.headers[name] = value
      },
      send(body: unknown) {
        this.sent.body = body
        made.push(this.sent)
        this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 })
        this.upload.onprogress?.({ lengthComputable: true, loaded: 10, total: 10 })
        this.status = answer.status
        this.responseText = answer.body
        queueMicrotask(() => this.onload?.())
      }
    }
    return xhr as unknown as XMLHttpRequest
  }
  return { made, make }
}

function session() {
  const api = {
    currentSession: { session: 'old', expires_at_ms: 0 },
    renewSession: vi.fn(async () => {
      api.currentSession = { session: 'new', expires_at_ms: 1 }
      return api.currentSession
    })
  }
  return api
}

describe('uploadText', () => {
  it('sends the text with the session and reports the progress', async () => {
    const { made, make } = fakeXhrs([{ status: 200, body: '{"accepted": 2}' }])
    const progress: number[] = []
    const answer = await uploadText<{ accepted: number }>(session(), '/api/campaigns/7/import?dry_run=1', 'a\nb', {
      base: 'https://op.example',
      lang: 'ru',
      makeXhr: make,
      onProgress: (sent, total) => progress.push(Math.round((sent * 100) / total))
    })
    expect(answer).toEqual({ accepted: 2 })
    expect(made[0]).toEqual({
      url: 'https://op.example/api/campaigns/7/import?dry_run=1',
      headers: { Authorization: 'Bearer old', Accept: 'application/json', 'Content-Type': 'text/plain; charset=utf-8', 'Accept-Language': 'ru' },
      body: 'a\nb'
    })
    expect(progress).toEqual([50, 100])
  })

  it('renews the session once after a 401 and keeps the field of a refusal', async () => {
    const { made, make } = fakeXhrs([
      { status: 401, body: '' },
      { status: 413, body: '{"error": {"code": "TOO_LARGE", "message": "the body is over 2 MiB", "field": "body"}}' }
    ])
    const api = session()
    const err = await uploadText(api, '/x', 'a', { base: '', makeXhr: make }).catch((e: unknown) => e)
    expect(api.renewSession).toHaveBeenCalledTimes(1)
    expect(made.map((m) => m.headers.Authorization)).toEqual(['Bearer old', 'Bearer new'])
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 413, field: 'body', message: 'the body is over 2 MiB' })
  })
})

describe('downloadBlob', () => {
  it('reads the file with the session', async () => {
    const fetchFn = vi.fn(async () => new Response('id;phone\n1;+7900', { status: 200, headers: { 'Content-Type': 'text/csv' } }))
    const blob = await downloadBlob(session(), '/api/campaigns/7/export?status=done', { base: 'https://op.example', fetch: fetchFn })
    expect(await blob.text()).toBe('id;phone\n1;+7900')
    expect(fetchFn).toHaveBeenCalledWith('https://op.example/api/campaigns/7/export?status=done', { headers: { Authorization: 'Bearer old' } })
  })

  it('turns a refusal into the server’s error', async () => {
    const fetchFn = vi.fn(async () => new Response('{"error": {"code": "FORBIDDEN", "message": "no", "field": ""}}', { status: 403 }))
    await expect(downloadBlob(session(), '/e', { base: '', fetch: fetchFn })).rejects.toMatchObject({ status: 403, message: 'no' })
  })
})
