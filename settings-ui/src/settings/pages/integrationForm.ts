// The Integration page's form over GET/PUT /api/settings/integration: the page keeps the object
// it read, edits a copy, and on save sends the whole copy back — keys this page does not know
// (added by a later server) travel unchanged, and only what the user touched differs.
export type IntegrationSettings = Record<string, unknown> & { version: number }

// A deep copy of JSON data (also of Vue's reactive proxies, which structuredClone refuses).
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

export function startEditing(read: IntegrationSettings): IntegrationSettings {
  return copy(read)
}

// The PUT body: everything read, with the edits, and the version read.
export function toPutBody(read: IntegrationSettings, edited: IntegrationSettings): IntegrationSettings {
  return { ...copy(read), ...copy(edited), version: read.version }
}

// The keys whose values differ (what the page would change), for the «unsaved» mark and tests.
export function changedKeys(read: IntegrationSettings, edited: IntegrationSettings): string[] {
  const keys = new Set([...Object.keys(read), ...Object.keys(edited)])
  return [...keys].filter((k) => JSON.stringify(read[k]) !== JSON.stringify(edited[k])).sort()
}

// crm_source_by_line as rows for the editor, and back; empty lines are dropped.
export interface LineSource {
  line: string
  source: string
}

export function linesToRows(map: unknown): LineSource[] {
  if (!map || typeof map !== 'object') return []
  return Object.entries(map as Record<string, unknown>)
    .map(([line, source]) => ({ line, source: String(source ?? '') }))
    .sort((a, b) => a.line.localeCompare(b.line))
}

export function rowsToLines(rows: LineSource[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of rows) {
    const line = r.line.trim()
    if (line) out[line] = r.source
  }
  return out
}

// A line → number map (route_greeting_seconds_by_line) as rows for the editor, and back. What
// is typed stays as typed until it is a whole number, so the page's check can name it; empty
// lines are dropped.
export interface LineNumber {
  line: string
  value: string
}

export function numbersToRows(map: unknown): LineNumber[] {
  if (!map || typeof map !== 'object') return []
  return Object.entries(map as Record<string, unknown>)
    .map(([line, value]) => ({ line, value: String(value ?? '') }))
    .sort((a, b) => a.line.localeCompare(b.line))
}

// "7" → 7; anything that is not a plain whole number stays a string (and fails the check).
export function typedNumber(text: string): number | string {
  const s = text.trim()
  return /^-?[0-9]{1,9}$/.test(s) ? Number(s) : s
}

export function rowsToNumbers(rows: LineNumber[]): Record<string, number | string> {
  const out: Record<string, number | string> = {}
  for (const r of rows) {
    const line = r.line.trim()
    if (line) out[line] = typedNumber(r.value)
  }
  return out
}
