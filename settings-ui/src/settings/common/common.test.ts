import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { ApiClient, ApiError } from '../../shared/api'
import { mergeMessages } from '../i18n'
import { makeRouter, sectionOf } from '../router'
import { anyDirty, forgetAllForms, installBeforeUnload, useDirty } from './dirty'
import { errorFor, errorUnder, formLevel, toFormError } from './formErrors'
import { keepSessionAlive } from './keepAlive'
import { reactive } from 'vue'

describe('sectionOf', () => {
  it('finds the section of a route and of its sub-routes, and nothing for other paths', () => {
    expect(sectionOf('/roles')).toBe('roles')
    expect(sectionOf('/roles/12')).toBe('roles')
    expect(sectionOf('/buttons/new')).toBe('buttons')
    expect(sectionOf('/rolesx')).toBeUndefined()
    expect(sectionOf('/')).toBeUndefined()
  })
})

describe('formErrors', () => {
  it('puts a field error next to the field the server named, and nowhere else', () => {
    const err = toFormError(new ApiError(400, 'INVALID_ARGUMENT', 'bad stage', 'actions[1].stage_id'))
    expect(err.conflict).toBe(false)
    expect(errorFor(err, 'actions[1].stage_id')).toBe('bad stage')
    expect(errorFor(err, 'name')).toBe('')
    expect(errorUnder(err, 'actions[1]')).toBe('bad stage')
    expect(errorUnder(err, 'actions[10]')).toBe('')
    expect(formLevel(err, ['name', 'actions'])).toBe('')
    expect(formLevel(err, ['name'])).toBe('bad stage')
  })

  it('tells a stale version (409 naming version) from other conflicts', () => {
    const stale = toFormError(new ApiError(409, 'CONFLICT', 'changed', 'version'))
    expect(stale.conflict).toBe(true)
    expect(formLevel(stale, [])).toBe('')
    const rule = toFormError(new ApiError(409, 'CONFLICT', 'cannot be deleted'))
    expect(rule.conflict).toBe(false)
    expect(formLevel(rule, ['name'])).toBe('cannot be deleted')
  })

  it('keeps the text of errors that are not from the API', () => {
    expect(toFormError(new Error('offline')).message).toBe('offline')
  })
})

describe('mergeMessages', () => {
  it('merges page tables into the shared one and refuses a key defined twice', () => {
    const merged = mergeMessages(
      { ru: { common: { save: 'Сохранить' } }, en: { common: { save: 'Save' } } },
      { ru: { common: { x: 'Икс' }, users: { t: 'П' } }, en: { common: { x: 'X' }, users: { t: 'U' } } }
    )
    expect(merged.ru).toEqual({ common: { save: 'Сохранить', x: 'Икс' }, users: { t: 'П' } })
    expect(() =>
      mergeMessages({ ru: { a: { b: '1' } }, en: { a: { b: '1' } } }, { ru: { a: { b: '2' } }, en: { a: {} } })
    ).toThrow(/a\.b/)
  })
})

describe('useDirty and the leave guard', () => {
  it('tracks changes against the last clean snapshot', () => {
    forgetAllForms()
    const form = reactive({ name: 'a', list: [1] })
    const { dirty, markClean } = useDirty(() => form)
    expect(dirty.value).toBe(false)
    form.list.push(2)
    expect(dirty.value).toBe(true)
    expect(anyDirty()).toBe(true)
    markClean()
    expect(dirty.value).toBe(false)
    expect(anyDirty()).toBe(false)
  })

  it('makes the browser ask before closing or reloading while a form is dirty', () => {
    forgetAllForms()
    const win = new EventTarget() as unknown as Window
    installBeforeUnload(win)
    const form = reactive({ name: 'a' })
    useDirty(() => form)
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true })
      win.dispatchEvent(event)
      return event.defaultPrevented
    }
    expect(leave()).toBe(false)
    form.name = 'b'
    expect(leave()).toBe(true)
    forgetAllForms()
  })

  it('asks before leaving a dirty form and stays when the user says no', async () => {
    forgetAllForms()
    const confirm = vi.fn(() => false)
    const router = makeRouter(confirm, createMemoryHistory())
    await router.push('/buttons')
    const form = reactive({ name: 'a' })
    useDirty(() => form)
    await router.push('/roles')
    expect(confirm).not.toHaveBeenCalled()
    expect(router.currentRoute.value.path).toBe('/roles')
    form.name = 'b'
    await router.push('/scripts')
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(router.currentRoute.value.path).toBe('/roles')
    confirm.mockReturnValue(true)
    await router.push('/scripts')
    expect(router.currentRoute.value.path).toBe('/scripts')
    forgetAllForms()
  })
})

describe('keepSessionAlive', () => {
  it('renews shortly before the session expires, only when a bridge can renew', async () => {
    let now = 0
    const timers: Array<() => void> = []
    const renew = vi.fn(async () => ({ session: 's2', expires_at_ms: 3_600_000 }))
    const client = new ApiClient({
      base: '',
      session: { session: 's1', expires_at_ms: 600_000 },
      renew,
      fetch: vi.fn(),
      now: () => now
    })
    let bridge = false
    keepSessionAlive(client, () => bridge, {
      aheadMs: 60_000,
      now: () => now,
      setTimer: (fn) => timers.push(fn)
    })
    const fire = async () => {
      timers.shift()!()
      await new Promise((r) => setTimeout(r, 0))
    }
    now = 100_000
    await fire()
    expect(renew).not.toHaveBeenCalled()
    now = 550_000 // within a minute of expiry, but no bridge yet
    await fire()
    expect(renew).not.toHaveBeenCalled()
    bridge = true
    await fire()
    expect(renew).toHaveBeenCalledTimes(1)
    expect(client.currentSession.session).toBe('s2')
    expect(timers.length).toBe(1)
  })
})
