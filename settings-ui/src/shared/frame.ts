// What every page opened in a portal frame starts with: the frame bridge (connected in the
// background), an API client whose session is renewed with the frame's fresh auth, and the
// frame's height kept fitted to the page.
import { ApiClient, renewSession } from './api'
import type { Bootstrap } from './bootstrap'
import { connectBridge } from './bridge'
import { DeferredBridge } from './bridge/deferred'
import type { B24Bridge } from './bridge/types'

export interface Frame {
  bridge: DeferredBridge
  client: ApiClient
}

export function connectFrame(boot: Bootstrap, win: Window = window): Frame {
  const bridge = new DeferredBridge(
    connectBridge(
      win,
      { placement: boot.placement, options: boot.placement_options },
      boot.frame_sdk_url
    )
  )
  const client = new ApiClient({
    base: boot.api_base,
    session: { session: boot.session, expires_at_ms: boot.session_expires_at_ms },
    lang: boot.lang,
    renew: async () =>
      renewSession(boot.api_base, boot.member_id, (await bridge.freshAuth()).access_token)
  })
  return { bridge, client }
}

// Tells the portal the page's height whenever it changes, so the frame grows and shrinks with
// it. Returns a stop function; does nothing where ResizeObserver is missing.
export function fitFrameToContent(
  root: Element | null,
  bridge: Pick<B24Bridge, 'resize'>,
  Observer: typeof ResizeObserver | undefined = globalThis.ResizeObserver
): () => void {
  if (!root || !Observer) return () => {}
  let last = 0
  const observer = new Observer(() => {
    const height = Math.ceil(root.getBoundingClientRect().height)
    if (height !== last) {
      last = height
      bridge.resize(height)
    }
  })
  observer.observe(root)
  return () => observer.disconnect()
}
