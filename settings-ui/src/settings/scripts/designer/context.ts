// What the step cards on the canvas may ask of the designer (provided by ScriptDesigner.vue and
// injected by StepNode.vue): the checks of each step, the texts of the CRM fields, and the edits.
import { inject, type ComputedRef, type InjectionKey, type Ref } from 'vue'
import type { FieldRef } from '../../common/types'
import type { Issue } from './graphModel'

export interface DesignerContext {
  canEdit: ComputedRef<boolean>
  startStep: ComputedRef<string>
  issues: ComputedRef<Map<string, Issue[]>>
  // The step whose title or hint is being edited in place ('' for none) and which of the two.
  editing: Ref<{ id: string; what: 'title' | 'hint' } | null>
  fieldLabel: (f: FieldRef) => string
  addChild: (id: string) => void
  update: (id: string, change: { title?: string; hint?: string }) => void
  openMenu: (id: string, anchor: HTMLElement) => void
}

export const designerKey: InjectionKey<DesignerContext> = Symbol('opdesk-script-designer')

export function useDesigner(): DesignerContext {
  const ctx = inject(designerKey, null)
  if (!ctx) throw new Error('useDesigner() outside the script designer')
  return ctx
}
