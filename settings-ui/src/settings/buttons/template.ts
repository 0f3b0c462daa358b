// Client-side preview of a button's templates, the same language the server renders
// (connector/domain/templates.cpp; docs/API.md «Template variables»): {variables}, {{ and }} as
// literal braces, and moments {now}, {now+2h}, {now+1d 10:00}, {now+1w-1d 09:00} — shifts in m,
// h, d, w (at most 5, each up to 9999; minutes and hours move the clock, days and weeks the
// calendar), then an optional HH:MM clock time. The preview uses sample values and the browser's
// time zone; the server uses the call's data and the portal's zone.
export interface Rendered {
  text: string
  // Why the server would refuse this template; '' when it is fine.
  error: string
}

interface Moment {
  minutes: number
  days: number
  hour: number
  minute: number
  hasTime: boolean
}

export type Problem =
  | { kind: 'unclosed' }
  | { kind: 'unknown'; name: string }
  | { kind: 'shift'; expr: string }
  | { kind: 'unit'; expr: string }
  | { kind: 'too_many'; expr: string }
  | { kind: 'clock'; expr: string }
  | { kind: 'deadline' }

export class TemplateProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.kind)
  }
}

function parseMoment(e: string): Moment | null {
  if (!e.startsWith('now')) return null
  const t: Moment = { minutes: 0, days: 0, hour: 0, minute: 0, hasTime: false }
  let i = 3
  let terms = 0
  const spaces = () => {
    while (e[i] === ' ') i++
  }
  for (;;) {
    spaces()
    if (e[i] !== '+' && e[i] !== '-') break
    const sign = e[i] === '-' ? -1 : 1
    i++
    spaces()
    let digits = ''
    while (i < e.length && /[0-9]/.test(e[i]!) && digits.length < 5) digits += e[i++]
    if (!digits || Number(digits) > 9999 || i >= e.length) throw new TemplateProblem({ kind: 'shift', expr: e })
    const n = sign * Number(digits)
    switch (e[i]) {
      case 'm':
        t.minutes += n
        break
      case 'h':
        t.minutes += n * 60
        break
      case 'd':
        t.days += n
        break
      case 'w':
        t.days += n * 7
        break
      default:
        throw new TemplateProblem({ kind: 'unit', expr: e })
    }
    i++
    if (++terms > 5) throw new TemplateProblem({ kind: 'too_many', expr: e })
  }
  spaces()
  if (i < e.length) {
    const m = /^([0-9]{2}):([0-9]{2})$/.exec(e.slice(i))
    const hour = m ? Number(m[1]) : -1
    const minute = m ? Number(m[2]) : -1
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) throw new TemplateProblem({ kind: 'clock', expr: e })
    t.hasTime = true
    t.hour = hour
    t.minute = minute
  }
  return t
}

type Piece = { type: 'text'; text: string } | { type: 'var'; name: string } | { type: 'moment'; moment: Moment }

export function parseTemplate(text: string, known: ReadonlySet<string>): Piece[] {
  const pieces: Piece[] = []
  let literal = ''
  const flush = () => {
    if (literal) pieces.push({ type: 'text', text: literal })
    literal = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '}') {
      literal += '}'
      if (text[i + 1] === '}') i++
      continue
    }
    if (c !== '{') {
      literal += c
      continue
    }
    if (text[i + 1] === '{') {
      literal += '{'
      i++
      continue
    }
    const close = text.indexOf('}', i + 1)
    if (close < 0) throw new TemplateProblem({ kind: 'unclosed' })
    const inner = text.slice(i + 1, close).replace(/^ +| +$/g, '')
    if (inner.includes('{')) throw new TemplateProblem({ kind: 'unclosed' })
    flush()
    const moment = parseMoment(inner)
    if (moment) pieces.push({ type: 'moment', moment })
    else if (!/^[a-z_.]+$/.test(inner) || !known.has(inner)) throw new TemplateProblem({ kind: 'unknown', name: inner })
    else pieces.push({ type: 'var', name: inner })
    i = close
  }
  flush()
  return pieces
}

export function resolveMoment(m: Moment, now: Date): Date {
  const d = new Date(now.getTime() + m.minutes * 60_000)
  d.setDate(d.getDate() + m.days)
  if (m.hasTime) d.setHours(m.hour, m.minute, 0, 0)
  else d.setSeconds(0, 0)
  return d
}

const two = (n: number) => String(n).padStart(2, '0')
export function formatMoment(d: Date): string {
  return `${two(d.getDate())}.${two(d.getMonth() + 1)}.${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`
}

// Renders `text` with `values` (variable → sample). A deadline must be exactly one moment.
export function renderTemplate(
  text: string,
  values: Record<string, string>,
  now: Date,
  deadline = false
): string {
  const pieces = parseTemplate(text, new Set(Object.keys(values)))
  if (deadline && text.trim() !== '') {
    const moments = pieces.filter((p) => p.type === 'moment').length
    const other = pieces.some((p) => p.type === 'var' || (p.type === 'text' && p.text.trim() !== ''))
    if (moments !== 1 || other) throw new TemplateProblem({ kind: 'deadline' })
  }
  return pieces
    .map((p) => (p.type === 'text' ? p.text : p.type === 'var' ? (values[p.name] ?? '') : formatMoment(resolveMoment(p.moment, now))))
    .join('')
}

// Sample values for the preview, per variable name (docs/API.md «Template variables»).
export function sampleValues(lang: 'ru' | 'en', now: Date): Record<string, string> {
  const ru = lang === 'ru'
  return {
    'client.name': ru ? 'Иван Петров' : 'John Smith',
    'client.company': ru ? 'ООО «Ромашка»' : 'Acme Ltd',
    'client.phone': '+7 495 123-45-67',
    'client.responsible': ru ? 'Анна Смирнова' : 'Anna Smith',
    'deal.title': ru ? 'Поставка оборудования' : 'Equipment supply',
    'operator.name': ru ? 'Борис Операторов' : 'Boris Operator',
    'call.phone': '+7 900 123-45-67',
    'call.line': '+7 495 000-00-00',
    'call.direction': ru ? 'входящий' : 'incoming',
    'call.date': `${two(now.getDate())}.${two(now.getMonth() + 1)}.${now.getFullYear()}`,
    'call.time': `${two(now.getHours())}:${two(now.getMinutes())}`
  }
}
