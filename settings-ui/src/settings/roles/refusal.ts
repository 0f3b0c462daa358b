// The server's refusals of role changes (409, docs/API.md «Role»), in the page's language, with
// the server's own words kept after them.
import type { FormError } from '../common/formErrors'

export function refusalKey(e: FormError): string {
  if (e.status !== 409 || e.conflict) return ''
  if (e.field === 'may_manage_settings') return 'roles.refusal.system_manage'
  if (e.field === 'name') return 'roles.refusal.name_taken'
  if (/Supervisor role cannot be deleted/i.test(e.message)) return 'roles.refusal.system_delete'
  if (/hold this role/i.test(e.message)) return 'roles.refusal.held'
  return ''
}

export function explain(e: FormError, t: (key: string) => string): FormError {
  const key = refusalKey(e)
  return key ? { ...e, message: `${t(key)} (${e.message})` } : e
}
