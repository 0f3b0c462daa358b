// The role editor's model (FEATURES D4, D5; docs/API.md «Role»): a PUT replaces the whole role,
// so the body always carries every flag and list. Client-tab fields are kept in the order they
// were chosen; the form shows them grouped by entity.
import type { Entity, FieldRef } from '../common/types'

export interface Role {
  id?: string
  name: string
  system?: boolean
  keep_card_open: boolean
  may_manage_settings: boolean
  client_fields: FieldRef[]
  button_ids: string[]
  script_ids: string[]
  version?: number
  updated_at_ms?: number
}

export function newRole(): Role {
  return { name: '', keep_card_open: false, may_manage_settings: false, client_fields: [], button_ids: [], script_ids: [] }
}

export function fromServer(r: Role): Role {
  return {
    id: r.id,
    name: r.name,
    system: !!r.system,
    keep_card_open: !!r.keep_card_open,
    may_manage_settings: !!r.may_manage_settings,
    client_fields: (r.client_fields ?? []).map((f) => ({ entity: f.entity, code: f.code })),
    button_ids: [...(r.button_ids ?? [])],
    script_ids: [...(r.script_ids ?? [])],
    version: r.version
  }
}

export function toBody(r: Role): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: r.name.trim(),
    keep_card_open: r.keep_card_open,
    may_manage_settings: r.may_manage_settings,
    client_fields: r.client_fields.map((f) => ({ entity: f.entity, code: f.code })),
    button_ids: r.button_ids,
    script_ids: r.script_ids
  }
  if (r.id) body.version = r.version
  return body
}

export function hasField(r: Role, entity: Entity, code: string): boolean {
  return r.client_fields.some((f) => f.entity === entity && f.code === code)
}

export function toggleField(r: Role, entity: Entity, code: string, on: boolean): void {
  const i = r.client_fields.findIndex((f) => f.entity === entity && f.code === code)
  if (on && i < 0) r.client_fields.push({ entity, code })
  if (!on && i >= 0) r.client_fields.splice(i, 1)
}

export function toggleId(list: string[], id: string, on: boolean): void {
  const i = list.indexOf(id)
  if (on && i < 0) list.push(id)
  if (!on && i >= 0) list.splice(i, 1)
}

// Which group of the form a server error belongs to: "client_fields[3].code" → the entity of
// the 4th chosen field, so the message shows under that entity's list.
export function errorGroup(r: Role, field: string): string {
  const m = /^client_fields\[(\d+)\]/.exec(field)
  if (m) {
    const f = r.client_fields[Number(m[1])]
    return f ? `client_fields.${f.entity}` : 'client_fields'
  }
  if (field.startsWith('button_ids')) return 'button_ids'
  if (field.startsWith('script_ids')) return 'script_ids'
  return field
}
