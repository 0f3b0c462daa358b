// Maps an API error to what a form shows (docs/API.md: {"error": {"code", "message", "field"}}).
//   toFormError(e)            → FormError: `field` (as the server named it, "" for none),
//                               `message`, `conflict` (a stale `version`: offer «Обновить»),
//                               `status`
//   errorFor(err, 'name')     → the message when the error names exactly that field, else ''
//   errorUnder(err, 'actions[0]') → the message when the field is that one or inside it
//   formLevel(err, known)     → the message when no shown field took it (show it at the form top)
//   localError(field, msg)    → an error found before sending, shown like the server's
//   shownLoadError(e)         → what a page says when its first read fails: '' for 403 (the
//                               access notice says why), the message otherwise
import { ApiError } from '../../shared/api'

export interface FormError {
  field: string
  message: string
  conflict: boolean
  status: number
  code: string
}

export function toFormError(e: unknown): FormError {
  if (e instanceof ApiError) {
    return {
      field: e.field,
      message: e.message,
      conflict: e.status === 409 && e.field === 'version',
      status: e.status,
      code: e.code
    }
  }
  const message = e instanceof Error ? e.message : String(e)
  return { field: '', message, conflict: false, status: 0, code: 'CLIENT' }
}

export function errorFor(err: FormError | null, field: string): string {
  return err && !err.conflict && err.field === field ? err.message : ''
}

export function errorUnder(err: FormError | null, prefix: string): string {
  if (!err || err.conflict || !err.field) return ''
  const f = err.field
  return f === prefix || f.startsWith(prefix + '.') || f.startsWith(prefix + '[') ? err.message : ''
}

// `shown`: the field names or prefixes the form renders next to an input.
export function formLevel(err: FormError | null, shown: string[]): string {
  if (!err || err.conflict) return ''
  return shown.some((p) => errorUnder(err, p)) ? '' : err.message
}

export function shownLoadError(e: unknown): string {
  const err = toFormError(e)
  return err.status === 403 ? '' : err.message
}

// An error found before anything was sent (a required field left empty, a bad template).
export function localError(field: string, message: string): FormError {
  return { field, message, conflict: false, status: 0, code: 'LOCAL' }
}
