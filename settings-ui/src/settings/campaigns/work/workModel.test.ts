import { describe, expect, it } from 'vitest'
import type { CallCardApi } from '../../../callcard/api'
import {
  availableContacts,
  callView,
  emptyForm,
  followCall,
  fromLocalInput,
  resultBody,
  TaskScriptApi,
  takesTime,
  toLocalInput,
  WorkApi,
  type CallState,
  type Contact
} from './workModel'

function contact(id: string, over: Partial<Contact> = {}): Contact {
  return {
    id,
    task_id: '1',
    source: 'number',
    phone: '+7900000000' + id,
    crm_contact_id: null,
    name: '',
    status: 'new',
    result: null,
    attempts: 0,
    operator_id: null,
    due_at_ms: null,
    opened: false,
    comment: '',
    last_call_at_ms: null,
    version: 1,
    created_at_ms: 0,
    ...over
  }
}

const now = new Date(2026, 2, 6, 9, 0).getTime()

describe('the result form', () => {
  it('needs a result', () => {
    expect(resultBody(emptyForm(), 3, now)).toEqual({ field: 'result', reason: 'required' })
  })

  it('sends a call back with its time, and refuses it without one or in the past', () => {
    const form = { ...emptyForm(), result: 'call_back' as const, comment: '  после обеда ' }
    expect(takesTime(form)).toBe(true)
    expect(resultBody(form, 3, now)).toEqual({ field: 'at', reason: 'required' })
    expect(resultBody({ ...form, at: '2026-03-06T08:59' }, 3, now)).toEqual({ field: 'at', reason: 'past' })
    expect(resultBody({ ...form, at: '2026-02-30T10:00' }, 3, now)).toEqual({ field: 'at', reason: 'bad' })
    expect(resultBody({ ...form, at: '2026-03-06T14:30' }, 3, now)).toEqual({
      body: {
        result: 'call_back',
        at: new Date(2026, 2, 6, 14, 30).getTime(),
        comment: 'после обеда',
        version: 3
      }
    })
  })

  it('sends a talk with a next call or «не напоминать»', () => {
    const talked = { ...emptyForm(), result: 'talked' as const }
    expect(takesTime(talked)).toBe(false)
    expect(resultBody(talked, 1, now)).toEqual({ body: { result: 'talked', comment: '', version: 1 } })
    const remind = { ...talked, remind: 'at' as const, at: '2026-03-07T10:00' }
    expect(takesTime(remind)).toBe(true)
    expect(resultBody(remind, 1, now)).toEqual({
      body: { result: 'talked', at: new Date(2026, 2, 7, 10, 0).getTime(), comment: '', version: 1 }
    })
  })

  it('sends no time with the results that take none', () => {
    for (const result of ['no_answer', 'refused', 'wrong_number'] as const) {
      const body = resultBody({ ...emptyForm(), result, at: '2026-03-07T10:00' }, 2, now)
      expect(body).toEqual({ body: { result, comment: '', version: 2 } })
    }
  })

  it('writes and reads the datetime input in the browser zone', () => {
    const at = new Date(2026, 11, 31, 23, 5).getTime()
    expect(toLocalInput(at)).toBe('2026-12-31T23:05')
    expect(fromLocalInput('2026-12-31T23:05')).toBe(at)
    expect(fromLocalInput('31.12.2026 23:05')).toBeNull()
  })
})

describe('list mode', () => {
  it('offers the own contacts in work, then the new ones that are due', () => {
    const own = [contact('5', { status: 'in_work', operator_id: '2' })]
    const fresh = [contact('1'), contact('2', { due_at_ms: now + 1 }), contact('3', { due_at_ms: now })]
    expect(availableContacts(own, fresh, now).map((c) => c.id)).toEqual(['5', '1', '3'])
  })

  it('reads both lists from the contacts endpoint', async () => {
    const asked: string[] = []
    const client = {
      get: async (path: string) => {
        asked.push(path)
        return { contacts: path.includes('in_work') ? [contact('9', { status: 'in_work' })] : [contact('1')] }
      },
      post: async () => ({}),
      put: async () => ({})
    }
    const got = await new WorkApi(client as never).available('7', '2', now)
    expect(got.map((c) => c.id)).toEqual(['9', '1'])
    expect(asked.sort()).toEqual([
      '/api/campaigns/7/contacts?status=in_work&operator_id=2&limit=500',
      '/api/campaigns/7/contacts?status=new&limit=500'
    ])
  })
})

describe('the script', () => {
  it('is the task pinned version and keeps no call card run', async () => {
    const asked: string[] = []
    const client = {
      get: async (path: string) => {
        asked.push(path)
        return { id: '4', version: 1 }
      },
      post: async () => {
        throw new Error('no run is stored')
      },
      put: async () => {
        throw new Error('no run is stored')
      }
    }
    // As the card's ScriptTab sees it.
    const api: CallCardApi = new TaskScriptApi(client as never, '12')
    expect(await api.script('4', 2)).toEqual({ id: '4', version: 1 })
    expect(asked).toEqual(['/api/campaigns/12/script'])
    expect(await api.startRun('c', '4', 1)).toEqual({ run_id: '' })
    await expect(api.saveRun('', 'a', [])).resolves.toBeNull()
  })
})

describe('following a call', () => {
  const pending: CallState = { command_id: 'cmp-1', state: 'pending', code: null }

  it('asks until Mango says it connected', async () => {
    const answers: CallState[] = [pending, { ...pending, state: 'done', code: 1000 }]
    const seen: string[] = []
    const final = await followCall({ callState: async () => answers.shift()! }, pending, {
      sleep: async () => {},
      onUpdate: (s) => seen.push(callView(s).phase)
    })
    expect(final.state).toBe('done')
    expect(seen).toEqual(['connecting', 'connecting', 'connected'])
  })

  it('shows a refusal with its code at once', async () => {
    const failed: CallState = { command_id: 'cmp-2', state: 'failed', code: 3102 }
    const final = await followCall({ callState: async () => pending }, failed, { sleep: async () => {} })
    expect(callView(final)).toEqual({ phase: 'failed', code: 3102 })
  })

  it('gives up on a PBX that stays silent', async () => {
    let clock = 0
    const final = await followCall({ callState: async () => pending }, pending, {
      timeoutMs: 5000,
      intervalMs: 1000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms
      }
    })
    expect(final).toEqual({ command_id: 'cmp-1', state: 'failed', code: -1 })
  })

  it('stops when the contact is left', async () => {
    let asked = 0
    const final = await followCall(
      {
        callState: async () => {
          asked++
          return pending
        }
      },
      pending,
      { sleep: async () => {}, cancelled: () => asked >= 2 }
    )
    expect(final.state).toBe('pending')
    expect(asked).toBe(2)
  })
})
