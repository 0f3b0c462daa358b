import { describe, expect, it } from 'vitest'
import { checkImportText, exportFileName } from './scriptModel'

describe('checkImportText', () => {
  it('names what is wrong with a file before sending it', () => {
    expect(checkImportText('{"format":').problem?.key).toBe('scripts.import_problem.not_json')
    expect(checkImportText('[1]').problem?.key).toBe('scripts.import_problem.not_object')
    expect(checkImportText('{"format":"other"}').problem).toMatchObject({ params: { field: 'format' } })
    expect(checkImportText('{"format":"opdesk.script","name":" "}').problem).toMatchObject({ params: { field: 'name' } })
    expect(checkImportText('{"format":"opdesk.script","name":"A","steps":{}}').problem).toMatchObject({ params: { field: 'steps' } })
    const ok = checkImportText('{"format":"opdesk.script","format_version":1,"name":"A","start_step":"a","steps":[]}')
    expect(ok.problem).toBeNull()
    expect(ok.doc).toMatchObject({ name: 'A' })
  })
})

describe('exportFileName', () => {
  it('keeps the name readable and safe', () => {
    expect(exportFileName('Продажи: входящие/B2B', 3)).toBe('Продажи_ входящие_B2B-v3.json')
    expect(exportFileName('  ', null)).toBe('script.json')
  })
})
