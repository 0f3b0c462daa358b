// Whether «Начало работы» still greets a Supervisor: until every step is done or they dismiss it,
// remembered per portal and user in localStorage (a browser without storage just shows it).
export type KeyOf = (name: string) => string

const key = 'start-dismissed'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export function startDismissed(keyOf: KeyOf): boolean {
  return storage()?.getItem(keyOf(key)) != null
}

// `why`: 'dismissed' by the user, or 'done' when every step was complete.
export function dismissStart(keyOf: KeyOf, why: 'dismissed' | 'done'): void {
  try {
    storage()?.setItem(keyOf(key), why)
  } catch {
    // Storage full or refused: the page shows again next time, which is harmless.
  }
}

export function restoreStart(keyOf: KeyOf): void {
  storage()?.removeItem(keyOf(key))
}
