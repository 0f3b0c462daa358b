// The two calls of the «Обзвоны» pages that are not JSON: the import sends the text itself with
// an upload progress (XMLHttpRequest: fetch reports none), and the export reads the CSV as a blob
// and saves it from the page (in the portal's frame a plain link would carry no session). Both
// carry the UI session as the API client does and renew it once after a 401.
import { ApiError, type ApiClient } from '../../shared/api'
import { readBootstrap } from '../../shared/bootstrap'

type Session = Pick<ApiClient, 'currentSession' | 'renewSession'>

// Where the API is (the page's bootstrap block; '' = this origin).
export function apiBase(doc: Document = document): string {
  try {
    return readBootstrap(doc).api_base.replace(/\/+$/, '')
  } catch {
    return ''
  }
}

function errorOf(status: number, statusText: string, body: string): ApiError {
  try {
    const e = (JSON.parse(body) as { error?: Record<string, unknown> }).error
    if (e && typeof e === 'object') {
      const s = (v: unknown) => (typeof v === 'string' ? v : '')
      return new ApiError(status, s(e.code) || `HTTP_${status}`, s(e.message) || statusText, s(e.field), s(e.request_id))
    }
  } catch {
    // Not JSON.
  }
  return new ApiError(status, `HTTP_${status}`, statusText || 'HTTP error')
}

export interface UploadOptions {
  base?: string
  lang?: string
  // Called with the bytes sent and the bytes to send.
  onProgress?: (sent: number, total: number) => void
  makeXhr?: () => XMLHttpRequest
}

// POSTs `text` as the body and returns the JSON answer.
export async function uploadText<T>(api: Session, path: string, text: string, options: UploadOptions = {}): Promise<T> {
  const base = options.base ?? apiBase()
  const once = (session: string) =>
    new Promise<{ status: number; statusText: string; body: string }>((resolve, reject) => {
      const xhr = options.makeXhr ? options.makeXhr() : new XMLHttpRequest()
      xhr.open('POST', base + path)
      xhr.setRequestHeader('Authorization', 'Bearer ' + session)
      xhr.setRequestHeader('Accept', 'application/json')
      xhr.setRequestHeader('Content-Type', 'text/plain; charset=utf-8')
      if (options.lang) xhr.setRequestHeader('Accept-Language', options.lang)
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) options.onProgress?.(e.loaded, e.total)
      }
      xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, body: xhr.responseText })
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the connection failed'))
      xhr.send(text)
    })
  let r = await once(api.currentSession.session)
  if (r.status === 401) r = await once((await api.renewSession()).session)
  if (r.status < 200 || r.status >= 300) throw errorOf(r.status, r.statusText, r.body)
  return JSON.parse(r.body) as T
}

// GETs `path` as a file.
export async function downloadBlob(
  api: Session,
  path: string,
  options: { base?: string; lang?: string; fetch?: typeof fetch } = {}
): Promise<Blob> {
  const base = options.base ?? apiBase()
  const doFetch = options.fetch ?? ((i, init) => fetch(i, init))
  const once = (session: string) =>
    doFetch(base + path, {
      headers: { Authorization: 'Bearer ' + session, ...(options.lang ? { 'Accept-Language': options.lang } : {}) }
    })
  let r = await once(api.currentSession.session)
  if (r.status === 401) r = await once((await api.renewSession()).session)
  if (!r.ok) throw errorOf(r.status, r.statusText, await r.text())
  return r.blob()
}

// Saves a blob as a file from the page.
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
