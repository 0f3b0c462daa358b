import { describe, expect, it } from 'vitest'
import { parseBootstrap } from './bootstrap'
import { parsePlacement } from './placement'

describe('parsePlacement', () => {
  it('treats "undefined", "0" and empty values as absent', () => {
    const p = parsePlacement({
      CALL_ID: 'c1',
      PHONE_NUMBER: '+79001234567',
      CRM_ENTITY_TYPE: '',
      CRM_ENTITY_ID: '0',
      CRM_ACTIVITY_ID: 'undefined',
      CALL_DIRECTION: 'incoming'
    })
    expect(p).toMatchObject({ callId: 'c1', phone: '+79001234567', activityId: '', entity: null })
  })

  it('reads the bound entity and every binding in lower case', () => {
    const p = parsePlacement({
      CRM_ENTITY_TYPE: 'COMPANY',
      CRM_ENTITY_ID: '17',
      CRM_BINDINGS: [
        { ENTITY_TYPE: 'DEAL', ENTITY_ID: '25' },
        { ENTITY_TYPE: 'SOMETHING', ENTITY_ID: '1' }
      ]
    })
    expect(p.entity).toEqual({ entity: 'company', id: '17' })
    expect(p.bindings).toEqual([{ entity: 'deal', id: '25' }])
  })

  it('never uses a hidden number', () => {
    expect(parsePlacement({ PHONE_NUMBER: 'hidden' }).phone).toBe('')
  })
})

describe('parseBootstrap', () => {
  it('keeps the session, the language and the placement options', () => {
    const b = parseBootstrap(
      JSON.stringify({
        session: 's',
        session_expires_at_ms: 5,
        lang: 'en',
        placement_options: { CALL_ID: '</script>' },
        member_id: 'm'
      })
    )
    expect(b).toMatchObject({ session: 's', lang: 'en', member_id: 'm' })
    expect(b.placement_options.CALL_ID).toBe('</script>')
  })

  it('falls back to Russian and refuses a block without a session', () => {
    expect(parseBootstrap('{"session":"s","lang":"de"}').lang).toBe('ru')
    expect(() => parseBootstrap('{"lang":"ru"}')).toThrow(/session/)
    expect(() => parseBootstrap('nope')).toThrow(/JSON/)
  })
})
