// The «Обзвоны» pages' logic: filters → the contacts / export query, the import report in words,
// progress figures, plural forms, the editor's body and checks, and who may be an employee.
import { describe, expect, it } from 'vitest'
import {
  badRange,
  checkTask,
  dayStartMs,
  employeeChoices,
  explainImport,
  explainRefusal,
  exportFileName,
  filtersToQuery,
  formatCount,
  fromServer,
  newTask,
  noFilters,
  percent,
  pluralForm,
  reportRows,
  scriptProblem,
  toBody,
  type ImportOutcome,
  type Task
} from './campaignModel'

const say = (key: string, params?: Record<string, unknown>) => `${key}${params ? ' ' + JSON.stringify(params) : ''}`

describe('filtersToQuery', () => {
  it('is empty without filters', () => {
    expect(filtersToQuery(noFilters())).toBe('')
  })

  it('sends only what is set, the text trimmed, with the page', () => {
    const f = { ...noFilters(), status: 'done' as const, result: 'none' as const, operator_id: '2', q: '  +7900 ' }
    const q = new URLSearchParams(filtersToQuery(f, { after: '40', limit: 100 }).slice(1))
    expect(Object.fromEntries(q)).toEqual({ status: 'done', result: 'none', operator_id: '2', q: '+7900', after: '40', limit: '100' })
  })

  it('turns a day range into [start of «с», start of the day after «по») in the local zone', () => {
    const f = { ...noFilters(), created_from: '2026-03-05', created_to: '2026-03-06', due_to: '2026-12-31' }
    const q = new URLSearchParams(filtersToQuery(f).slice(1))
    expect(Number(q.get('created_from'))).toBe(new Date(2026, 2, 5).getTime())
    expect(Number(q.get('created_to'))).toBe(new Date(2026, 2, 7).getTime())
    expect(Number(q.get('due_to'))).toBe(new Date(2027, 0, 1).getTime())
    expect(q.has('due_from')).toBe(false)
    expect(q.has('last_call_from')).toBe(false)
  })

  it('leaves out a date that is not one', () => {
    expect(dayStartMs('05.03.2026')).toBeNull()
    expect(filtersToQuery({ ...noFilters(), last_call_from: 'вчера' })).toBe('')
  })

  it('names a range whose «по» is before its «с»', () => {
    expect(badRange({ ...noFilters(), last_call_from: '2026-03-06', last_call_to: '2026-03-05' })).toBe('last_call_to')
    expect(badRange({ ...noFilters(), last_call_from: '2026-03-05', last_call_to: '2026-03-05' })).toBe('')
  })
})

describe('reportRows', () => {
  const outcome: ImportOutcome = {
    dry_run: true,
    lines: 5,
    header_skipped: true,
    accepted: 2,
    added: 0,
    rejected: 3,
    total: 0,
    errors: [
      { line: 5, reason: 'duplicate_in_file', text: '+79001234567' },
      { line: 3, reason: 'bad_number', text: 'привет' },
      { line: 4, reason: 'something_new', text: 'x' }
    ],
    errors_truncated: false
  }

  it('lists the rejected lines in line order with each reason as a message key', () => {
    expect(reportRows(outcome)).toEqual([
      { line: 3, reasonKey: 'campaigns.import.reason.bad_number', reason: 'bad_number', text: 'привет' },
      { line: 4, reasonKey: 'campaigns.import.reason.unknown', reason: 'something_new', text: 'x' },
      { line: 5, reasonKey: 'campaigns.import.reason.duplicate_in_file', reason: 'duplicate_in_file', text: '+79001234567' }
    ])
  })

  it('has a Russian and an English text for every reason the API names', async () => {
    const { messages } = await import('./campaigns.messages')
    for (const r of ['empty', 'bad_number', 'too_many_columns', 'bad_quotes', 'too_long', 'duplicate_in_file', 'duplicate_in_task']) {
      expect(messages.ru.campaigns.import.reason).toHaveProperty(r)
      expect(messages.en.campaigns.import.reason).toHaveProperty(r)
    }
  })
})

describe('percent', () => {
  it('is done of total rounded down, 100 only when all is done', () => {
    expect(percent(0, 0)).toBe(0)
    expect(percent(0, 10)).toBe(0)
    expect(percent(1, 3)).toBe(33)
    expect(percent(199, 200)).toBe(99)
    expect(percent(200, 200)).toBe(100)
    expect(percent(5, 4)).toBe(100)
  })
})

describe('pluralForm', () => {
  it('follows Russian rules', () => {
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0].map((n) => pluralForm(n, 'ru'))).toEqual([
      'one',
      'few',
      'few',
      'many',
      'many',
      'many',
      'many',
      'one',
      'few',
      'many',
      'one',
      'many',
      'many'
    ])
  })
  it('has one and many in English', () => {
    expect([1, 2, 21].map((n) => pluralForm(n, 'en'))).toEqual(['one', 'many', 'many'])
  })
})

describe('the task editor', () => {
  const stored: Task = {
    id: '7',
    name: 'Весна',
    description: 'Акция',
    script_id: '4',
    script_version: 2,
    employee_ids: ['2'],
    retry: { max_attempts: 5, spacing_minutes: 30 },
    state: 'paused',
    version: 3,
    counts: { total: 4, new: 1, in_work: 1, done: 2 },
    script_deleted: false
  }

  it('sends everything but the state, with the version of a stored task', () => {
    expect(toBody(fromServer(stored))).toEqual({
      name: 'Весна',
      description: 'Акция',
      script_id: '4',
      employee_ids: ['2'],
      retry: { max_attempts: 5, spacing_minutes: 30 },
      version: 3
    })
    expect(toBody({ ...newTask(), name: ' Новое ' })).toEqual({
      name: 'Новое',
      description: '',
      script_id: null,
      employee_ids: [],
      retry: { max_attempts: 3, spacing_minutes: 60 }
    })
  })

  it('checks the name and the retry rules before sending, naming the field', () => {
    expect(checkTask(newTask(), say)?.field).toBe('name')
    expect(checkTask({ ...newTask(), name: 'a', retry: { max_attempts: 21, spacing_minutes: 60 } }, say)?.field).toBe('retry.max_attempts')
    expect(checkTask({ ...newTask(), name: 'a', retry: { max_attempts: 2, spacing_minutes: 0 } }, say)?.field).toBe('retry.spacing_minutes')
    expect(checkTask({ ...newTask(), name: 'a', retry: { max_attempts: 2.5, spacing_minutes: 10 } }, say)?.field).toBe('retry.max_attempts')
    expect(checkTask({ ...newTask(), name: 'a' }, say)).toBeNull()
  })

  it('says when the chosen script cannot run the task', () => {
    const scripts = [
      { id: '4', name: 'Исходящий', published_version: 2 },
      { id: '5', name: 'Черновик', published_version: null }
    ]
    expect(scriptProblem(stored, scripts)).toBe('')
    expect(scriptProblem({ ...stored, script_id: '5' }, scripts)).toBe('unpublished')
    expect(scriptProblem({ ...stored, script_id: '9' }, scripts)).toBe('deleted')
    expect(scriptProblem({ ...stored, script_id: null }, scripts)).toBe('none')
    expect(scriptProblem({ ...stored, script_id: '9' }, null)).toBe('')
  })

  it('offers the users holding a seat and keeps a chosen one who lost it', () => {
    const users = [
      { user_id: '1', name: 'Анна', status: 'active' },
      { user_id: '2', name: 'Борис', status: 'active' },
      { user_id: '3', name: 'Вера', status: 'no_role' },
      { user_id: '4', name: 'Глеб', status: 'blocked' }
    ]
    expect(employeeChoices(users, ['4', '9'])).toEqual([
      { user_id: '9', name: '#9', seated: false },
      { user_id: '1', name: 'Анна', seated: true },
      { user_id: '2', name: 'Борис', seated: true },
      { user_id: '4', name: 'Глеб', seated: false }
    ])
  })
})

describe('exportFileName', () => {
  it('keeps the task name without the characters a file name may not have', () => {
    expect(exportFileName('Весна: 2026/03', '7')).toBe('Весна 2026 03.csv')
    expect(exportFileName('  ', '7')).toBe('task-7.csv')
  })
})

describe('refusals in the page’s language', () => {
  const err = (status: number, field: string, message: string) => ({ status, field, message, conflict: false, code: 'X' })
  it('words the start and save refusals the server names, keeps the others', () => {
    expect(explainRefusal(err(400, 'employee_ids', 'add at least one employee before starting the task'), say).message).toBe('campaigns.refusal.no_employee')
    expect(explainRefusal(err(400, 'employee_ids', 'a running task needs at least one employee'), say).message).toBe('campaigns.refusal.no_employee')
    expect(explainRefusal(err(400, 'script_id', "choose the task's script before starting it"), say).message).toBe('campaigns.refusal.script_none')
    expect(explainRefusal(err(400, 'script_id', "the task's script has no published version; publish it first"), say).message).toBe(
      'campaigns.refusal.script_unpublished'
    )
    expect(explainRefusal(err(400, 'script_id', 'no script 12'), say).message).toBe('campaigns.refusal.script_unknown')
    expect(explainRefusal(err(409, 'script_id', 'the script was deleted'), say).message).toBe('campaigns.refusal.script_deleted')
    expect(explainRefusal(err(400, 'employee_ids', 'employee 2 is listed twice'), say).message).toBe('employee 2 is listed twice')
    const stale = { ...err(409, 'version', 'stale'), conflict: true }
    expect(explainRefusal(stale, say)).toBe(stale)
  })
  it('words the import refusals', () => {
    expect(explainImport(err(413, 'body', 'too large'), say)).toBe('campaigns.import.refusal.too_big')
    expect(explainImport(err(400, 'body', 'the list has more than 20000 lines; split it'), say)).toBe('campaigns.import.refusal.too_many_lines')
    expect(explainImport(err(400, 'body', 'the list is not UTF-8 text; save the file as UTF-8'), say)).toBe('campaigns.import.refusal.not_utf8')
    expect(explainImport(err(409, 'body', 'over 100000'), say)).toBe('campaigns.import.refusal.task_full')
    expect(explainImport(err(403, '', 'forbidden'), say)).toBe('forbidden')
  })
})

describe('formatCount', () => {
  it('groups thousands as the page’s language does', () => {
    expect(formatCount(19998, 'ru')).toBe('19\u00a0998')
    expect(formatCount(19998, 'en')).toBe('19,998')
    expect(formatCount(7, 'ru')).toBe('7')
    expect(formatCount(undefined, 'ru')).toBe('0')
  })
})
