// The pure part of what follows a dialing task's call (docs/API.md «After the call»): template
// variables, invoice lines with prices in kopecks, the recording file's checks, request ids, and
// the upload with its progress (XMLHttpRequest: fetch reports no upload progress).

export const VARIABLES = ['CONTACT.NAME', 'CONTACT.PHONE', 'TASK.NAME', 'OPERATOR.NAME', 'CALLBACK.AT'] as const
export const MAX_RECORDING_MB = 10
export const MAX_RECORDING_BYTES = MAX_RECORDING_MB * 1024 * 1024

export interface EmailTemplate {
  id: string
  name: string
  subject: string
  body: string
  version: number
}

export interface AfterAction {
  key: string
  kind: 'email' | 'recording' | 'invoice'
  state: 'queued' | 'done' | 'failed'
  crm_id: string
  error: string
  detail: Record<string, unknown>
  created_at: number
}

export interface Draft {
  template_id: string
  subject: string
  body: string
  to: string
  copy_to: string
  email_allowed: boolean
  crm_supported: boolean
  templates: { id: string; name: string }[]
  actions: AfterAction[]
}

export interface Product {
  id: string
  name: string
  price: string
  currency: string
}

export interface InvoiceLine {
  product_id: string
  name: string
  base_price: string
  price: string // as typed: "1500", "1500.50", "1500,5"
  quantity: number
}

// The message key of a variable ('CONTACT.NAME' → 'CONTACT_NAME').
export function variableKey(name: string): string {
  return name.replace('.', '_')
}

// `text` with {{NAME}} put at `at` (the caret), and where the caret goes after it.
export function insertVariable(text: string, at: number, name: string): { text: string; caret: number } {
  const pos = Math.max(0, Math.min(at, text.length))
  const token = `{{${name}}}`
  return { text: text.slice(0, pos) + token + text.slice(pos), caret: pos + token.length }
}

// The {{…}} of `text` that are not known variables.
export function unknownVariables(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const name = m[1] ?? ''
    if (!(VARIABLES as readonly string[]).includes(name) && !out.includes(name)) out.push(name)
  }
  return out
}

// "1500", "1500.5", "1500,50" → kopecks; null for anything else (negative, 3 decimals, text).
export function priceCents(text: string): number | null {
  const m = /^\s*(\d{1,10})(?:[.,](\d{1,2}))?\s*$/.exec(text)
  if (!m) return null
  const whole = Number(m[1])
  const frac = Number(((m[2] ?? '') + '00').slice(0, 2))
  return whole * 100 + frac
}

// 150050 → "1 500,50" (ru) or "1,500.50" (en).
export function formatMoney(cents: number, lang: string): string {
  return (cents / 100).toLocaleString(lang === 'en' ? 'en-US' : 'ru-RU', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2
  })
}

export function lineFromProduct(p: Product): InvoiceLine {
  const cents = priceCents(p.price)
  const price = cents === null ? '0' : String(cents / 100)
  return { product_id: p.id, name: p.name, base_price: p.price, price, quantity: 1 }
}

// Products chosen with checkboxes added to `lines` (those already there are kept as they are).
export function withProducts(lines: InvoiceLine[], chosen: Product[]): InvoiceLine[] {
  const out = [...lines]
  for (const p of chosen) {
    if (!out.some((l) => l.product_id === p.id)) out.push(lineFromProduct(p))
  }
  return out
}

export function totalCents(lines: InvoiceLine[]): number {
  return lines.reduce((sum, l) => sum + (priceCents(l.price) ?? 0) * (Number.isInteger(l.quantity) ? l.quantity : 0), 0)
}

// The first problem of the lines, named as the server names it, before anything is sent.
export function checkLines(lines: InvoiceLine[]): { field: string; kind: 'lines' | 'price' | 'quantity' } | null {
  if (lines.length === 0) return { field: 'lines', kind: 'lines' }
  for (const [i, l] of lines.entries()) {
    if (priceCents(l.price) === null) return { field: `lines[${i}].price`, kind: 'price' }
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > 100000)
      return { field: `lines[${i}].quantity`, kind: 'quantity' }
  }
  return null
}

export function invoiceBody(requestId: string, lines: InvoiceLine[], cancelDate: string) {
  return {
    request_id: requestId,
    cancel_date: cancelDate,
    lines: lines.map((l) => ({
      product_id: l.product_id,
      name: l.name,
      quantity: l.quantity,
      price: l.price.trim().replace(',', '.')
    }))
  }
}

// The recording's problem seen before sending; the server reads the content as well.
export function checkRecordingFile(name: string, size: number): 'too_big' | 'wrong_type' | null {
  if (!/\.(mp3|wav|ogg)$/i.test(name)) return 'wrong_type'
  if (size > MAX_RECORDING_BYTES) return 'too_big'
  return null
}

export function newRequestId(): string {
  const c = globalThis.crypto
  if (c && 'randomUUID' in c) return c.randomUUID()
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12)
}

export interface UploadError {
  status: number
  message: string
  field: string
}

// POSTs the file's bytes, reporting progress 0–100; resolves with the parsed answer.
export function uploadWithProgress<T>(
  url: string,
  token: string,
  file: Blob,
  onProgress: (percent: number) => void,
  lang = ''
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Authorization', 'Bearer ' + token)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    if (lang) xhr.setRequestHeader('Accept-Language', lang)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100))
    }
    xhr.onload = () => {
      let body: { error?: { message?: string; field?: string } } | null = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        resolve(body as T)
      } else {
        reject({
          status: xhr.status,
          message: body?.error?.message ?? xhr.statusText,
          field: body?.error?.field ?? ''
        } satisfies UploadError)
      }
    }
    xhr.onerror = () => reject({ status: 0, message: 'network error', field: '' } satisfies UploadError)
    xhr.send(file)
  })
}
