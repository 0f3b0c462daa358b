// The Scripts section's logic: the shapes of docs/API.md «Script» and the check of an import
// file before it is sent (the server checks it again, fully). The designer's model is
// designer/graphModel.ts.
import type { FieldRef } from '../common/types'

export interface Step {
  id: string
  title: string
  hint: string
  x?: number
  y?: number
  fields: FieldRef[]
  next: string[]
  // H7: a common answer, offered by the call card at every step (docs/API.md «Script»).
  common?: boolean
  // F1: «закрепить вверху»: the runner shows its text above every step.
  pinned?: boolean
}
// F1/F2: what the script is for and where the number of the call is saved (docs/API.md).
export type CallType = 'any' | 'incoming' | 'outgoing'
export interface ScriptSettings {
  call_type: CallType
  activity_type: string
  deal_type: string
  number_field: { entity: 'contact' | 'deal'; code: string } | null
}
export const defaultSettings = (): ScriptSettings => ({
  call_type: 'any',
  activity_type: '',
  deal_type: '',
  number_field: null
})
export interface Draft {
  start_step: string
  steps: Step[]
  settings?: ScriptSettings
}
export interface Script {
  id: string
  name: string
  description: string
  draft?: Draft
  published_version: number | null
  version: number
  updated_at_ms?: number
}
export interface ScriptVersion {
  id: string
  name: string
  description: string
  version: number
  published_at_ms: number
  published_by: string
  start_step: string
  steps: Step[]
  settings?: ScriptSettings
}
export interface VersionInfo {
  version: number
  name: string
  published_at_ms: number
  published_by: string
}

// What is wrong with an import file before it reaches the server, as a message key and params;
// null when it looks like an export document (docs/API.md «Script export format»).
export type ImportProblem = { key: string; params?: Record<string, string> }

export function checkImportText(text: string): { doc: unknown; problem: ImportProblem | null } {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return { doc: null, problem: { key: 'scripts.import_problem.not_json', params: { detail: (e as Error).message } } }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { doc, problem: { key: 'scripts.import_problem.not_object' } }
  }
  const d = doc as Record<string, unknown>
  if (d.format !== 'opdesk.script') return { doc, problem: { key: 'scripts.import_problem.format', params: { field: 'format' } } }
  if (typeof d.name !== 'string' || !d.name.trim()) return { doc, problem: { key: 'scripts.import_problem.field', params: { field: 'name' } } }
  if (!Array.isArray(d.steps)) return { doc, problem: { key: 'scripts.import_problem.field', params: { field: 'steps' } } }
  return { doc, problem: null }
}

// The file name of an export: the script's name made safe for a file system.
export function exportFileName(name: string, version: number | null): string {
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'script'
  return `${base}${version ? `-v${version}` : ''}.json`
}
