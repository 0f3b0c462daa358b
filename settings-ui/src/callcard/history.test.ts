import { describe, expect, it } from 'vitest'
import { addPage, emptyHistory, formatWhen, safeLink, splitDuration } from './history'
import type { HistoryPage } from './types'

const call = (id: string, at: string) =>
  ({
    kind: 'call',
    id,
    at,
    direction: 'incoming',
    subject: '',
    user: null,
    outcome: 'answered',
    status_code: '200',
    duration_s: 65,
    recording_url: null
  }) as const

const comment = (id: string, at: string) =>
  ({ kind: 'comment', id, at, text: 'x' + id, user: null }) as const

describe('client history pages', () => {
  it('joins pages newest first and keeps an item seen on two pages once', () => {
    const p1: HistoryPage = {
      page: 1,
      more: true,
      items: [comment('2', '2026-12-02T10:00:00+03:00'), call('7', '2026-12-03T10:00:00+03:00')],
      deals: [{ id: '5', at: '', title: 'Поставка', category_id: '0', stage_id: 'NEW', stage_name: 'Новая', stage_semantics: '', pipeline_name: null, opportunity: '', currency: '', closed: false }]
    }
    const p2: HistoryPage = {
      page: 2,
      more: false,
      items: [comment('2', '2026-12-02T10:00:00+03:00'), comment('1', '2026-12-01T10:00:00+03:00')],
      deals: p1.deals
    }
    const s = addPage(addPage(emptyHistory(), p1), p2)
    expect(s.items.map((i) => `${i.kind}:${i.id}`)).toEqual(['call:7', 'comment:2', 'comment:1'])
    expect(s.deals).toHaveLength(1)
    expect(s.page).toBe(2)
    expect(s.more).toBe(false)
  })

  it('puts values in words', () => {
    expect(splitDuration(185)).toEqual({ m: 3, s: 5 })
    expect(splitDuration(null)).toBeNull()
    expect(splitDuration(-1)).toBeNull()
    expect(formatWhen('nonsense')).toBe('nonsense')
    expect(formatWhen('2026-12-02T10:05:00')).toBe('02.12.2026 10:05')
  })

  it('links only to http(s) recordings', () => {
    expect(safeLink('https://portal.example/r.mp3')).toBe('https://portal.example/r.mp3')
    expect(safeLink('javascript:alert(1)')).toBe('')
    expect(safeLink(null)).toBe('')
  })
})
