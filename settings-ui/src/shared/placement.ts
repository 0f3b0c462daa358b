// The CALL_CARD placement options made safe to use: every value arrives as a string, absent ones
// as "", "0" or the literal "undefined" (reference bitrix24.md §5.2); entity types come as upper
// case names and are turned into the API's lower-case entity names.
export type EntityName = 'lead' | 'deal' | 'contact' | 'company'

export interface EntityRef {
  entity: EntityName
  id: string
}

export interface CallPlacement {
  callId: string
  phone: string
  line: string
  direction: string
  activityId: string
  entity: EntityRef | null
  bindings: EntityRef[]
}

const entityNames: Record<string, EntityName> = {
  LEAD: 'lead',
  DEAL: 'deal',
  CONTACT: 'contact',
  COMPANY: 'company'
}

export function present(value: unknown): string {
  if (typeof value === 'number') return value === 0 ? '' : String(value)
  if (typeof value !== 'string') return ''
  const trimmed = value.trim()
  return trimmed === 'undefined' || trimmed === 'null' || trimmed === 'unknown' ? '' : trimmed
}

function entityRef(type: unknown, id: unknown): EntityRef | null {
  const entity = entityNames[present(type).toUpperCase()]
  const entityId = present(id)
  if (!entity || !entityId || entityId === '0') return null
  return { entity, id: entityId }
}

export function parsePlacement(options: Record<string, unknown>): CallPlacement {
  const bindings: EntityRef[] = []
  const raw = options.CRM_BINDINGS
  if (Array.isArray(raw)) {
    for (const b of raw) {
      if (typeof b !== 'object' || b === null) continue
      const ref = entityRef(
        (b as Record<string, unknown>).ENTITY_TYPE,
        (b as Record<string, unknown>).ENTITY_ID
      )
      if (ref) bindings.push(ref)
    }
  }
  const phone = present(options.PHONE_NUMBER)
  return {
    callId: present(options.CALL_ID),
    phone: phone === 'hidden' ? '' : phone,
    line: present(options.LINE_NUMBER),
    direction: present(options.CALL_DIRECTION),
    activityId: present(options.CRM_ACTIVITY_ID),
    entity: entityRef(options.CRM_ENTITY_TYPE, options.CRM_ENTITY_ID),
    bindings
  }
}
