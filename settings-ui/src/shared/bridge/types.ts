// The frame bridge: what the pages need from the Bitrix24 window around them. Three
// implementations: the portal's own (`bitrix24.ts`, over the portal's BX24.js), a plain postMessage
// one that the browser-test harness answers (`local.ts`), and none (the page opened on its own).
export interface PlacementInfo {
  placement: string
  options: Record<string, unknown>
}

export interface FrameAuth {
  access_token: string
}

// CallCard::EntityChanged: the card loaded or changed the CRM item it shows.
export interface EntityChange {
  PHONE_NUMBER?: string
  CRM_ENTITY_TYPE?: string
  CRM_ENTITY_ID?: string | number
}

export interface B24Bridge {
  readonly kind: 'bitrix24' | 'local' | 'none'
  placementInfo(): Promise<PlacementInfo>
  // CALL_CARD only: keeps the card open about 65 s after the call; each call restarts that.
  disableAutoClose(): Promise<void>
  enableAutoClose(): Promise<void>
  // Returns the unsubscribe function.
  onEntityChanged(handler: (change: EntityChange) => void): () => void
  // A frame token that is valid now (refreshed through the portal when needed).
  freshAuth(): Promise<FrameAuth>
  // Asks the portal to fit the frame to this height in pixels.
  resize(height: number): void
}

export class BridgeUnavailable extends Error {}

// The page opened outside a portal frame: nothing to keep open, no token to refresh.
export class NoBridge implements B24Bridge {
  readonly kind = 'none' as const
  constructor(private readonly info: PlacementInfo = { placement: 'DEFAULT', options: {} }) {}
  placementInfo(): Promise<PlacementInfo> {
    return Promise.resolve(this.info)
  }
  disableAutoClose(): Promise<void> {
    return Promise.resolve()
  }
  enableAutoClose(): Promise<void> {
    return Promise.resolve()
  }
  onEntityChanged(): () => void {
    return () => {}
  }
  freshAuth(): Promise<FrameAuth> {
    return Promise.reject(new BridgeUnavailable('no portal around this page'))
  }
  resize(): void {}
}
