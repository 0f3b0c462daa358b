// Whether «Начало работы» still greets a Supervisor: until every step is done or they dismiss it,
// remembered per portal and user in localStorage. NOTE: a browser that blocks third-party storage
// refuses localStorage to the app's frame inside the portal (SecurityError); the choice then holds
// for the page's life only, and the guided start greets again next time.
export type KeyOf = (name: string) => string

const key = 'start-dismissed'
const inMemory = new Map<string, string>()

function storage(): Storage | null {
  try {
    const s = window.localStorage
    s.getItem('opdesk:probe')
    return s
  } catch {
    return null
  }
}

export function startDismissed(keyOf: KeyOf): boolean {
  const k = keyOf(key)
  return inMemory.has(k) || storage()?.getItem(k) != null
}

// `why`: 'dismissed' by the user, or 'done' when every step was complete.
export function dismissStart(keyOf: KeyOf, why: 'dismissed' | 'done'): void {
  const k = keyOf(key)
  inMemory.set(k, why)
  try {
    storage()?.setItem(k, why)
  } catch {
    // Storage full or refused: remembered for this page only.
  }
}

export function restoreStart(keyOf: KeyOf): void {
  const k = keyOf(key)
  inMemory.delete(k)
  try {
    storage()?.removeItem(k)
  } catch {
    // As above.
  }
}
