// The load-and-save flow of an editor of one stored object (a button, a role): `id` is "new"
// for an object not created yet.
//   const ed = useEditorSave({ api, router, id: () => props.id, resource: '/api/settings/roles',
//                              route: '/roles', blank: newRole, fromServer, toBody, check, explain })
//   await ed.load()   reads the object (or starts a blank one) and marks the form clean
//   await ed.save()   checks locally, POSTs (new) or PUTs, takes the server's answer as the new
//                     clean state and, for a new object, moves the route to its id
// `error` holds the last refusal (local or the server's, through `explain`), `saved` is true
// after a save until the next load or save; `dirty` is the form's unsaved state (useDirty).
import { computed, ref, type Ref } from 'vue'
import type { Router } from 'vue-router'
import type { ApiClient } from '../../shared/api'
import { useDirty } from './dirty'
import { toFormError, type FormError } from './formErrors'

export interface EditorSaveOptions<T extends { id?: string }> {
  api: Pick<ApiClient, 'get' | 'post' | 'put'>
  router: Pick<Router, 'replace'>
  id: () => string
  resource: string
  route: string
  blank: () => T
  fromServer: (stored: T) => T
  toBody: (form: T) => unknown
  check?: (form: T) => FormError | null
  explain?: (err: FormError) => FormError
}

export function useEditorSave<T extends { id?: string }>(options: EditorSaveOptions<T>) {
  const form = ref(options.blank()) as Ref<T>
  const error = ref<FormError | null>(null)
  const saving = ref(false)
  const saved = ref(false)
  const { dirty, markClean } = useDirty(() => form.value)
  const isNew = computed(() => options.id() === 'new')

  async function load(): Promise<void> {
    error.value = null
    saved.value = false
    form.value = isNew.value
      ? options.blank()
      : options.fromServer(await options.api.get<T>(`${options.resource}/${options.id()}`))
    markClean()
  }

  async function save(): Promise<void> {
    saved.value = false
    const local = options.check?.(form.value) ?? null
    if (local) {
      error.value = local
      return
    }
    saving.value = true
    error.value = null
    try {
      const body = options.toBody(form.value)
      const answer = isNew.value
        ? await options.api.post<T>(options.resource, body)
        : await options.api.put<T>(`${options.resource}/${options.id()}`, body)
      form.value = options.fromServer(answer)
      markClean()
      saved.value = true
      if (isNew.value) await options.router.replace(`${options.route}/${answer.id ?? ''}`)
    } catch (e) {
      const err = toFormError(e)
      error.value = options.explain ? options.explain(err) : err
    } finally {
      saving.value = false
    }
  }

  return { form, error, saving, saved, dirty, isNew, load, save }
}
