import { describe, expect, it } from 'vitest'
import {
  checkLines,
  checkRecordingFile,
  insertVariable,
  invoiceBody,
  priceCents,
  totalCents,
  unknownVariables,
  withProducts,
  type InvoiceLine
} from './afterModel'

describe('template variables', () => {
  it('inserts a variable at the caret', () => {
    expect(insertVariable('Здравствуйте, !', 14, 'CONTACT.NAME')).toEqual({
      text: 'Здравствуйте, {{CONTACT.NAME}}!',
      caret: 30
    })
  })
  it('finds the unknown ones', () => {
    expect(unknownVariables('{{CONTACT.NAME}} {{ DEAL.SUM }} {{TASK.NAME}} {{DEAL.SUM}}')).toEqual(['DEAL.SUM'])
  })
})

describe('invoice lines', () => {
  const products = [
    { id: '2', name: 'Бизнес', price: '20000.00', currency: 'RUB' },
    { id: '3', name: 'Настройка', price: '4500.00', currency: 'RUB' }
  ]
  it('parses prices in kopecks and refuses negative or too precise ones', () => {
    expect(priceCents('1500')).toBe(150000)
    expect(priceCents('1500,5')).toBe(150050)
    expect(priceCents('-1')).toBeNull()
    expect(priceCents('1.234')).toBeNull()
    expect(priceCents('abc')).toBeNull()
  })
  it('adds chosen products once, with their base price', () => {
    const lines = withProducts(withProducts([], products), [products[0]!])
    expect(lines.map((l) => [l.product_id, l.price])).toEqual([
      ['2', '20000'],
      ['3', '4500']
    ])
  })
  it('checks lines and totals them', () => {
    const lines: InvoiceLine[] = withProducts([], products)
    lines[0]!.price = '10000'
    lines[1]!.quantity = 2
    expect(checkLines(lines)).toBeNull()
    expect(totalCents(lines)).toBe(1900000)
    expect(invoiceBody('r', lines, '').lines[0]).toEqual({ product_id: '2', name: 'Бизнес', quantity: 1, price: '10000' })
    lines[1]!.price = '-5'
    expect(checkLines(lines)).toEqual({ field: 'lines[1].price', kind: 'price' })
    lines[1]!.price = '5'
    lines[1]!.quantity = 0
    expect(checkLines(lines)).toEqual({ field: 'lines[1].quantity', kind: 'quantity' })
    expect(checkLines([])).toEqual({ field: 'lines', kind: 'lines' })
  })
})

describe('recording files', () => {
  it('needs audio of at most 10 MB', () => {
    expect(checkRecordingFile('call.MP3', 1000)).toBeNull()
    expect(checkRecordingFile('call.pdf', 1000)).toBe('wrong_type')
    expect(checkRecordingFile('call.wav', 11 * 1024 * 1024)).toBe('too_big')
  })
})
