// The wizard's rules that need no page: which badge colour a manager's state gets, whether a
// transfer to them is possible, and what Ctrl+Enter does at each step.
import type { LineState, ManagerView, WorkDay } from './api'

export type Step = 'choose' | 'transferring' | 'transfer_failed' | 'inquiry' | 'finished'

export function workDayColor(day: WorkDay): string {
  if (day === 'opened') return 'air-primary-success'
  if (day === 'paused') return 'air-primary-warning'
  if (day === 'unknown') return 'air-secondary'
  return 'air-primary-alert'
}

export function lineColor(line: LineState): string {
  if (line === 'free') return 'air-primary-success'
  if (line === 'ringing') return 'air-primary-warning'
  return 'air-primary-alert'
}

// A transfer needs the manager's extension; the PBX decides the rest (a busy line still rings).
export function canTransfer(m: ManagerView | undefined): boolean {
  return !!m && m.extension !== ''
}

// Ctrl+Enter: transfer from the list, accept the inquiry on its form; nothing while waiting.
export function acceptAction(step: Step): 'transfer' | 'inquiry' | null {
  if (step === 'choose') return 'transfer'
  if (step === 'inquiry') return 'inquiry'
  return null
}
