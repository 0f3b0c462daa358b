import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../shared/api'
import { useEditorSave } from './editorSave'
import { localError } from './formErrors'

interface Thing {
  id?: string
  name: string
  version: number
}

function setup(id: string, api: { get?: unknown; post?: unknown; put?: unknown } = {}) {
  const calls = {
    get: vi.fn(api.get as never),
    post: vi.fn(api.post as never),
    put: vi.fn(api.put as never),
    replace: vi.fn(async () => undefined)
  }
  const ed = useEditorSave<Thing>({
    api: { get: calls.get, post: calls.post, put: calls.put } as never,
    router: { replace: calls.replace } as never,
    id: () => id,
    resource: '/api/things',
    route: '/things',
    blank: () => ({ name: '', version: 0 }),
    fromServer: (t) => ({ ...t }),
    toBody: (t) => ({ name: t.name, version: t.version }),
    check: (t) => (t.name ? null : localError('name', 'required')),
    explain: (err) => ({ ...err, message: 'explained: ' + err.message })
  })
  return { ed, calls }
}

describe('useEditorSave', () => {
  it('creates a new object, takes the answer as clean and moves to its route', async () => {
    const { ed, calls } = setup('new', { post: async () => ({ id: '7', name: 'A', version: 1 }) })
    await ed.load()
    expect(calls.get).not.toHaveBeenCalled()
    ed.form.value.name = 'A'
    expect(ed.dirty.value).toBe(true)
    await ed.save()
    expect(calls.post).toHaveBeenCalledWith('/api/things', { name: 'A', version: 0 })
    expect(calls.replace).toHaveBeenCalledWith('/things/7')
    expect(ed.form.value).toEqual({ id: '7', name: 'A', version: 1 })
    expect(ed.dirty.value).toBe(false)
    expect(ed.saved.value).toBe(true)
  })

  it('updates a stored object in place without moving', async () => {
    const { ed, calls } = setup('3', {
      get: async () => ({ id: '3', name: 'B', version: 4 }),
      put: async () => ({ id: '3', name: 'C', version: 5 })
    })
    await ed.load()
    expect(calls.get).toHaveBeenCalledWith('/api/things/3')
    expect(ed.dirty.value).toBe(false)
    ed.form.value.name = 'C'
    await ed.save()
    expect(calls.put).toHaveBeenCalledWith('/api/things/3', { name: 'C', version: 4 })
    expect(calls.replace).not.toHaveBeenCalled()
    expect(ed.form.value.version).toBe(5)
  })

  it('refuses locally without sending, and shows a server refusal through explain', async () => {
    const { ed, calls } = setup('3', {
      get: async () => ({ id: '3', name: '', version: 4 }),
      put: async () => {
        throw new ApiError(409, 'CONFLICT', 'stale', 'version')
      }
    })
    await ed.load()
    await ed.save()
    expect(calls.put).not.toHaveBeenCalled()
    expect(ed.error.value?.field).toBe('name')
    ed.form.value.name = 'D'
    await ed.save()
    expect(ed.error.value?.conflict).toBe(true)
    expect(ed.error.value?.message).toBe('explained: stale')
    expect(ed.saved.value).toBe(false)
    expect(ed.saving.value).toBe(false)
    expect(ed.dirty.value).toBe(true)
  })
})
