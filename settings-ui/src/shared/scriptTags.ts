// Field tags of script text (FEATURES F1, docs/API.md «Field tags»): {{CONTACT.NAME}} and the
// rest of a fixed set, replaced in the runner by the CRM values of the call's client, deal and
// operator. Values are returned as text parts for the template to interpolate, so a value is
// never read as markup. The set is the server's (connector/domain/scripts.h, kScriptTags).

export const scriptTags = [
  'CONTACT.NAME',
  'CONTACT.LAST_NAME',
  'CONTACT.PHONE',
  'CONTACT.EMAIL',
  'COMPANY.TITLE',
  'LEAD.TITLE',
  'DEAL.TITLE',
  'DEAL.OPPORTUNITY',
  'DEAL.STAGE',
  'EMPLOYEE.NAME',
  'CALL.PHONE'
] as const
export type ScriptTag = (typeof scriptTags)[number]

// The message key of a tag's label ("CONTACT.NAME" → "contact_name").
export const tagKey = (tag: string) => tag.toLowerCase().replace('.', '_')

export const isScriptTag = (tag: string): tag is ScriptTag => (scriptTags as readonly string[]).includes(tag)

export type TagValues = Partial<Record<ScriptTag, string>>

// A piece of step text: plain text, a tag with its value, or a tag without one (the runner shows
// a placeholder), or an unknown tag (kept as written: the server refuses those, so only an old
// version could hold one).
export type TextPart =
  | { kind: 'text'; text: string }
  | { kind: 'value'; tag: ScriptTag; text: string }
  | { kind: 'empty'; tag: ScriptTag }

export function renderTags(text: string, values: TagValues): TextPart[] {
  const parts: TextPart[] = []
  const push = (t: string) => {
    if (!t) return
    const last = parts[parts.length - 1]
    if (last?.kind === 'text') last.text += t
    else parts.push({ kind: 'text', text: t })
  }
  let at = 0
  while (at < text.length) {
    const open = text.indexOf('{{', at)
    if (open < 0) break
    const close = text.indexOf('}}', open + 2)
    if (close < 0) break
    push(text.slice(at, open))
    const tag = text.slice(open + 2, close).trim()
    if (isScriptTag(tag)) {
      const v = (values[tag] ?? '').trim()
      parts.push(v ? { kind: 'value', tag, text: v } : { kind: 'empty', tag })
    } else {
      push(text.slice(open, close + 2))
    }
    at = close + 2
  }
  push(text.slice(at))
  return parts
}

// Inserts `{{tag}}` into `text` at the selection [start, end) and returns the new text and
// the caret after the tag (the designer's picker).
export function insertTag(text: string, start: number, end: number, tag: ScriptTag): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length))
  const b = Math.max(a, Math.min(end, text.length))
  const inserted = `{{${tag}}}`
  return { text: text.slice(0, a) + inserted + text.slice(b), caret: a + inserted.length }
}
