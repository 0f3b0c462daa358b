// Unsaved changes are never lost silently. useDirty(read) snapshots what `read()` returns and
// compares it with the current value:
//   const { dirty, markClean } = useDirty(() => form.value)
//   markClean() after loading and after a successful save.
// While any mounted form is dirty, leaving through the router asks first (installLeaveGuard in
// router.ts) and closing or reloading the page triggers the browser's own warning
// (beforeunload). Forms unregister themselves when unmounted.
import { computed, getCurrentInstance, onBeforeUnmount, ref, type ComputedRef } from 'vue'

const forms = new Set<() => boolean>()

export function anyDirty(): boolean {
  for (const isDirty of forms) if (isDirty()) return true
  return false
}

export function snapshot(value: unknown): string {
  return JSON.stringify(value ?? null)
}

export interface Dirty {
  dirty: ComputedRef<boolean>
  markClean: () => void
}

export function useDirty(read: () => unknown): Dirty {
  const clean = ref(snapshot(read()))
  const dirty = computed(() => snapshot(read()) !== clean.value)
  const check = () => dirty.value
  forms.add(check)
  if (getCurrentInstance()) onBeforeUnmount(() => forms.delete(check))
  return {
    dirty,
    markClean: () => {
      clean.value = snapshot(read())
    }
  }
}

// The browser's "leave the page?" prompt while something is unsaved.
export function installBeforeUnload(win: Window = window): void {
  win.addEventListener('beforeunload', (event) => {
    if (anyDirty()) {
      event.preventDefault()
      event.returnValue = ''
    }
  })
}

// For tests.
export function forgetAllForms(): void {
  forms.clear()
}
