// «Начало работы»: the guided start's steps and when each counts as done, from what the settings
// API answers (docs/API.md). A read that fails leaves its step unknown rather than done.
export type StepState = 'done' | 'todo' | 'unknown'
export type StepName = 'mango' | 'employees' | 'button' | 'script' | 'role'

export interface StartFacts {
  mango?: { connected: boolean }
  employees?: { employees: { crm_user_id: string | null }[] }
  buttons?: { buttons: unknown[] }
  scripts?: { scripts: unknown[] }
  roles?: { roles: { system: boolean; button_ids: string[]; script_ids: string[] }[] }
}

export const stepRoutes: Record<StepName, string> = {
  mango: '/integration',
  employees: '/integration',
  button: '/buttons/new',
  script: '/scripts',
  role: '/roles'
}

export const stepNames: StepName[] = ['mango', 'employees', 'button', 'script', 'role']

export function stepStates(f: StartFacts): Record<StepName, StepState> {
  const known = <T>(v: T | undefined, done: (v: T) => boolean): StepState => (v === undefined ? 'unknown' : done(v) ? 'done' : 'todo')
  return {
    mango: known(f.mango, (m) => m.connected),
    employees: known(f.employees, (e) => e.employees.some((x) => !!x.crm_user_id)),
    button: known(f.buttons, (b) => b.buttons.length > 0),
    script: known(f.scripts, (s) => s.scripts.length > 0),
    // A role of one's own, or the Supervisor role given something to show.
    role: known(f.roles, (r) => r.roles.some((x) => !x.system || x.button_ids.length > 0 || x.script_ids.length > 0))
  }
}

export function allDone(states: Record<StepName, StepState>): boolean {
  return stepNames.every((n) => states[n] === 'done')
}
