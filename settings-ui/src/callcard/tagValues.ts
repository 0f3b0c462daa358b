// The values of script field tags (FEATURES F1) from what the card has loaded already: the
// client's sections (the match and what it is linked to, with the role's fields), the chosen
// match, the operator and the call. A value the card has not loaded stays empty and the runner
// shows a placeholder for it.
import type { TagValues } from '../shared/scriptTags'
import type { Field, FieldValue, Match, Section } from './types'

export interface TagSource {
  sections: Section[]
  selected: Match | null
  operatorName: string
  phone: string
}

function text(f: Field | undefined): string {
  if (!f) return ''
  const v: FieldValue = f.value
  if (v === null || v === undefined) return ''
  if (Array.isArray(v)) {
    const first = v[0]
    if (first === undefined) return ''
    return typeof first === 'string' ? first : first.value
  }
  if (typeof v === 'boolean') return ''
  const s = String(v)
  // A list's value is its item's id: show the item's name.
  const item = f.items?.find((i) => i.id === s)
  return item ? item.value : s
}

export function cardTagValues(src: TagSource): TagValues {
  const section = (entity: string) => src.sections.find((s) => s.entity === entity)
  const field = (entity: string, code: string) => section(entity)?.fields.find((f) => f.code === code)
  const titled = (entity: string) => {
    const own = text(field(entity, 'TITLE'))
    if (own) return own
    const s = section(entity)
    if (s?.title) return s.title
    return src.selected?.entity === entity ? src.selected.title : ''
  }
  const contactName =
    text(field('contact', 'NAME')) ||
    section('contact')?.title ||
    (src.selected?.entity === 'contact' ? src.selected.title : '')
  const opportunity = text(field('deal', 'OPPORTUNITY'))
  const currency = text(field('deal', 'CURRENCY_ID'))
  return {
    'CONTACT.NAME': contactName,
    'CONTACT.LAST_NAME': text(field('contact', 'LAST_NAME')),
    'CONTACT.PHONE': text(field('contact', 'PHONE')) || src.phone,
    'CONTACT.EMAIL': text(field('contact', 'EMAIL')),
    'COMPANY.TITLE': titled('company'),
    'LEAD.TITLE': titled('lead'),
    'DEAL.TITLE': titled('deal'),
    'DEAL.OPPORTUNITY': opportunity && currency ? `${opportunity} ${currency}` : opportunity,
    'DEAL.STAGE': text(field('deal', 'STAGE_ID')),
    'EMPLOYEE.NAME': src.operatorName,
    'CALL.PHONE': src.phone
  }
}
