import { vi } from 'vitest'
import type { B24Bridge, EntityChange } from '../shared/bridge'

export function fakeBridge() {
  const handlers = new Set<(c: EntityChange) => void>()
  return {
    kind: 'local' as const,
    placementInfo: vi.fn(async () => ({ placement: 'CALL_CARD', options: {} })),
    disableAutoClose: vi.fn(async () => {}),
    enableAutoClose: vi.fn(async () => {}),
    onEntityChanged: vi.fn((h: (c: EntityChange) => void) => {
      handlers.add(h)
      return () => handlers.delete(h)
    }),
    freshAuth: vi.fn(async () => ({ access_token: 'fresh' })),
    resize: vi.fn(),
    emitEntityChanged(change: EntityChange) {
      for (const h of handlers) h(change)
    }
  } satisfies B24Bridge & { emitEntityChanged(c: EntityChange): void }
}
