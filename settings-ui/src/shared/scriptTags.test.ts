import { describe, expect, it } from 'vitest'
import { insertTag, isScriptTag, renderTags, scriptTags, tagKey } from './scriptTags'

describe('field tags', () => {
  it('splits text into plain parts and tag values, blanks inside the braces allowed', () => {
    expect(renderTags('Привет, {{CONTACT.NAME}}! Сумма {{ DEAL.OPPORTUNITY }}.', {
      'CONTACT.NAME': 'Иван',
      'DEAL.OPPORTUNITY': '1000 RUB'
    })).toEqual([
      { kind: 'text', text: 'Привет, ' },
      { kind: 'value', tag: 'CONTACT.NAME', text: 'Иван' },
      { kind: 'text', text: '! Сумма ' },
      { kind: 'value', tag: 'DEAL.OPPORTUNITY', text: '1000 RUB' },
      { kind: 'text', text: '.' }
    ])
  })

  it('marks a tag without a value as empty (a placeholder), blank values included', () => {
    expect(renderTags('{{DEAL.TITLE}}|{{CONTACT.NAME}}', { 'CONTACT.NAME': '   ' })).toEqual([
      { kind: 'empty', tag: 'DEAL.TITLE' },
      { kind: 'text', text: '|' },
      { kind: 'empty', tag: 'CONTACT.NAME' }
    ])
  })

  it('keeps unknown tags and unclosed braces as written text', () => {
    expect(renderTags('a {{DEAL.BUDGET}} b {{CONTACT.NAME', { 'CONTACT.NAME': 'x' })).toEqual([
      { kind: 'text', text: 'a {{DEAL.BUDGET}} b {{CONTACT.NAME' }
    ])
  })

  it('returns values as plain strings, never parsed', () => {
    const evil = '<script>alert(1)</script>'
    expect(renderTags('{{CONTACT.NAME}}', { 'CONTACT.NAME': evil })).toEqual([
      { kind: 'value', tag: 'CONTACT.NAME', text: evil }
    ])
  })

  it('inserts a tag at the caret or over the selection', () => {
    expect(insertTag('Привет, !', 8, 8, 'CONTACT.NAME')).toEqual({ text: 'Привет, {{CONTACT.NAME}}!', caret: 24 })
    expect(insertTag('Привет, имя!', 8, 11, 'CONTACT.NAME').text).toBe('Привет, {{CONTACT.NAME}}!')
    expect(insertTag('', 5, 9, 'EMPLOYEE.NAME')).toEqual({ text: '{{EMPLOYEE.NAME}}', caret: 17 })
  })

  it('names each tag by a message key', () => {
    expect(tagKey('CONTACT.LAST_NAME')).toBe('contact_last_name')
    expect(scriptTags.every(isScriptTag)).toBe(true)
    expect(isScriptTag('contact.name')).toBe(false)
  })
})
