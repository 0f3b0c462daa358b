// What every settings page needs, provided once by main.ts and read with useSettings():
//   api      — the JSON API client (docs/API.md), session renewal included
//   me       — GET /api/settings/me: who is looking; null until loaded
//   canEdit  — true when the caller's role may manage settings: only then show editing controls
//   hasSeat  — true when the caller may read the seated sections (buttons, scripts, roles)
//   noSeat   — true once `me` says the caller has no active seat (pages then skip their reads;
//              before `me` arrives pages read at once — the API refuses what it must)
//   meReady  — settles when `me` has been read (or failed to be)
//   storageKey(name) — a localStorage key private to this portal and user
import { computed, inject, type ComputedRef, type InjectionKey, type Ref } from 'vue'
import type { ApiClient } from '../../shared/api'

export interface Me {
  user_id: string
  name: string
  role_id: string | null
  role_name: string
  may_manage_settings: boolean
  seat: 'active' | 'blocked' | 'no_role'
  lang: 'ru' | 'en'
}

export interface SettingsContext {
  api: ApiClient
  me: Ref<Me | null>
  canEdit: ComputedRef<boolean>
  hasSeat: ComputedRef<boolean>
  noSeat: ComputedRef<boolean>
  meReady: Promise<void>
  storageKey: (name: string) => string
}

export const settingsKey: InjectionKey<SettingsContext> = Symbol('opdesk-settings')

export function makeContext(
  api: ApiClient,
  me: Ref<Me | null>,
  memberId: string,
  userId: string,
  meReady: Promise<void> = Promise.resolve()
): SettingsContext {
  return {
    api,
    me,
    canEdit: computed(() => !!me.value?.may_manage_settings && me.value.seat === 'active'),
    hasSeat: computed(() => me.value?.seat === 'active'),
    noSeat: computed(() => !!me.value && me.value.seat !== 'active'),
    meReady,
    storageKey: (name) => `opdesk:${memberId}:${userId}:${name}`
  }
}

export function useSettings(): SettingsContext {
  const ctx = inject(settingsKey, null)
  if (!ctx) throw new Error('useSettings() outside the settings app')
  return ctx
}
