// Picks the bridge for the window the page runs in. Bitrix24 names its app frames
// "DOMAIN|PROTOCOL|APP_SID" (BX24.js reads that name and refuses to start without it); the
// browser-test harness names its frame "opdesk-local-bridge"; a page opened on its own has no
// bridge. Whatever goes wrong while the portal's SDK starts, the page gets NoBridge and a warning:
// the card works without a bridge, it only cannot keep itself open or renew its session.
import { connectBitrix24 } from './bitrix24'
import { LocalBridge, localBridgeWindowName } from './local'
import { NoBridge, type B24Bridge, type PlacementInfo } from './types'

export type { B24Bridge, EntityChange, FrameAuth, PlacementInfo } from './types'

export function bridgeKind(win: Window): B24Bridge['kind'] {
  if (win.parent === win) return 'none'
  if (win.name.startsWith(localBridgeWindowName)) return 'local'
  if (/^[^|]+\|[01]?\|[^|]+/.test(win.name)) return 'bitrix24'
  return 'none'
}

// `frameSdkUrl`: BX24.js as the bootstrap block names it, loaded only inside a portal's frame.
export async function connectBridge(
  win: Window,
  fallback: PlacementInfo,
  frameSdkUrl: string
): Promise<B24Bridge> {
  switch (bridgeKind(win)) {
    case 'local':
      return new LocalBridge(win)
    case 'bitrix24':
      try {
        return await connectBitrix24(frameSdkUrl, win)
      } catch (e) {
        console.warn('opdesk: the Bitrix24 frame SDK did not start', e)
        return new NoBridge(fallback)
      }
    default:
      return new NoBridge(fallback)
  }
}
