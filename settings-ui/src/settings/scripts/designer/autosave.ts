// The designer's autosave of the draft: every edit is saved `delayMs` after the last one, one
// save at a time, the newest draft always last. A save that meets a newer version of the script
// (409 naming `version`: someone else saved in between) stops autosaving and says so — the other
// editor's work is never overwritten; the page offers to reload it. Other failures are shown and
// the next edit tries again.
//   const saver = new Autosave({ delayMs: 1000, save: (draft) => api.put(…) , saved })
//   saver.changed(draft)      after every edit
//   await saver.flush()       before publishing or leaving: true once everything is saved
import { ref } from 'vue'
import { toFormError } from '../../common/formErrors'
import type { Draft } from '../scriptModel'

export type SaveState = 'saved' | 'pending' | 'saving' | 'failed' | 'conflict'

export interface AutosaveOptions {
  delayMs: number
  // Writes the draft; throws the API's error.
  save: (draft: Draft) => Promise<void>
  // The draft as last saved (what the page loaded).
  saved: Draft
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

export class Autosave {
  readonly state = ref<SaveState>('saved')
  readonly error = ref('')
  private savedText: string
  private latest: Draft
  private timer: unknown = null
  private running: Promise<void> | null = null
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(private readonly options: AutosaveOptions) {
    this.savedText = JSON.stringify(options.saved)
    this.latest = options.saved
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
  }

  get unsaved(): boolean {
    return JSON.stringify(this.latest) !== this.savedText
  }

  changed(draft: Draft): void {
    this.latest = draft
    if (this.state.value === 'conflict') return
    if (!this.unsaved) {
      this.cancelTimer()
      if (!this.running) this.state.value = 'saved'
      return
    }
    if (!this.running) this.state.value = 'pending'
    this.cancelTimer()
    this.timer = this.setTimer(() => {
      this.timer = null
      void this.run()
    }, this.options.delayMs)
  }

  // Saves what is pending now; resolves true when the newest draft is saved.
  async flush(): Promise<boolean> {
    this.cancelTimer()
    while (this.state.value !== 'conflict') {
      if (this.running) {
        await this.running
        continue
      }
      if (!this.unsaved) return true
      await this.run()
      if (this.state.value === 'failed') return false
    }
    return false
  }

  // After a reload: `draft` is what the server has; edits start from it.
  reset(draft: Draft): void {
    this.cancelTimer()
    this.savedText = JSON.stringify(draft)
    this.latest = draft
    this.error.value = ''
    this.state.value = 'saved'
  }

  private cancelTimer() {
    if (this.timer !== null) {
      this.clearTimer(this.timer)
      this.timer = null
    }
  }

  private run(): Promise<void> {
    if (this.running) return this.running
    const draft = this.latest
    const text = JSON.stringify(draft)
    this.state.value = 'saving'
    this.running = this.options
      .save(draft)
      .then(
        () => {
          this.savedText = text
          this.error.value = ''
          this.state.value = this.unsaved ? 'pending' : 'saved'
        },
        (e: unknown) => {
          const err = toFormError(e)
          this.error.value = err.message
          this.state.value = err.conflict ? 'conflict' : 'failed'
        }
      )
      .finally(() => {
        this.running = null
        // Edits made while saving go out next.
        if (this.state.value === 'pending' && this.timer === null) {
          this.timer = this.setTimer(() => {
            this.timer = null
            void this.run()
          }, this.options.delayMs)
        }
      })
    return this.running
  }
}
