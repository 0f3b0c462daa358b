// Shapes of the settings API the pages share (docs/API.md «Shapes»).
export interface LeadStatus {
  id: string
  name: string
  sort?: number
  semantics?: string
}
export interface DealCategory {
  id: string
  name: string
  stages: LeadStatus[]
}
export interface CrmField {
  code: string
  label: string
  type: string
  multiple: boolean
  read_only: boolean
  required: boolean
}
export type Entity = 'lead' | 'deal' | 'contact' | 'company'
export const entities: Entity[] = ['lead', 'deal', 'contact', 'company']
export interface CrmCatalog {
  lead_statuses: LeadStatus[]
  deal_categories: DealCategory[]
  // F1: the CRM's deal types (DEAL_TYPE) and activity types scripts are bound to.
  deal_types?: LeadStatus[]
  activity_types?: LeadStatus[]
  fields: Partial<Record<Entity, CrmField[]>>
  fetched_at_ms?: number
}
export interface FieldRef {
  entity: Entity
  code: string
  editable?: boolean
}
