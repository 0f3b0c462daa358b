import { describe, expect, it } from 'vitest'
import { BootstrapError, parseBootstrap } from './bootstrap'

describe('parseBootstrap', () => {
  it('reads the frame SDK URL next to the session and placement', () => {
    const boot = parseBootstrap(
      JSON.stringify({
        session: 's',
        lang: 'en',
        placement: 'CALL_CARD',
        placement_options: { CALL_ID: 'c1' },
        frame_sdk_url: 'https://api.bitrix24.com/api/v1/'
      })
    )
    expect(boot.frame_sdk_url).toBe('https://api.bitrix24.com/api/v1/')
    expect(boot.placement_options).toEqual({ CALL_ID: 'c1' })
    expect(boot.lang).toBe('en')
  })

  it('leaves the frame SDK URL empty when it is missing or not text', () => {
    expect(parseBootstrap('{"session":"s"}').frame_sdk_url).toBe('')
    expect(parseBootstrap('{"session":"s","frame_sdk_url":{"x":1}}').frame_sdk_url).toBe('')
  })

  it('refuses a block without a session', () => {
    expect(() => parseBootstrap('{"frame_sdk_url":"https://x"}')).toThrow(BootstrapError)
  })
})
