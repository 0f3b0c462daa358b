// The call card's endpoints (docs/API.md, "Call card") over the shared API client.
import type { ApiClient } from '../shared/api'
import type { CallPlacement } from '../shared/placement'
import type {
  CallContext,
  FieldValue,
  HistoryPage,
  PathEntry,
  PressResult,
  PreviewAction,
  Script,
  Section
} from './types'

export interface Override {
  index: number
  deadline?: string
  text?: string
}

// The API client's calls this module uses; unit tests stand in at exactly this boundary.
export type ApiTransport = Pick<ApiClient, 'get' | 'post' | 'put'>

// What the call card's templates may say of the call ({call.phone}, {call.line}, …).
export type CallFacts = Pick<CallPlacement, 'phone' | 'line' | 'direction'>

export class CallCardApi {
  constructor(
    // Also handed to the lazily loaded reception wizard.
    readonly client: ApiTransport,
    private readonly call: CallFacts = { phone: '', line: '', direction: '' }
  ) {}

  context(p: CallPlacement): Promise<CallContext> {
    const q = new URLSearchParams({
      call_id: p.callId,
      phone: p.phone,
      entity: p.entity?.entity ?? '',
      entity_id: p.entity?.id ?? '',
      direction: p.direction,
      line: p.line
    })
    return this.client.get('/api/callcard/context?' + q.toString())
  }

  loadClient(entity: string, id: string): Promise<{ sections: Section[] }> {
    const q = new URLSearchParams({ entity, id })
    return this.client.get('/api/callcard/client?' + q.toString())
  }

  history(entity: string, id: string, page: number): Promise<HistoryPage> {
    const q = new URLSearchParams({ entity, id, page: String(page) })
    return this.client.get('/api/callcard/history?' + q.toString())
  }

  saveClient(entity: string, id: string, values: Record<string, FieldValue>): Promise<Section> {
    return this.client.put('/api/callcard/client', { entity, id, values })
  }

  script(id: string, version: number): Promise<Script> {
    return this.client.get(
      `/api/callcard/scripts/${encodeURIComponent(id)}?version=${encodeURIComponent(version)}`
    )
  }

  // `call` (F2): the number and the client, for a script that saves the number into a field.
  startRun(
    callId: string,
    scriptId: string,
    version: number,
    call?: { phone?: string; entity?: string; entity_id?: string }
  ): Promise<{ run_id: string }> {
    const body: Record<string, unknown> = { call_id: callId, script_id: scriptId, version }
    if (call?.phone) body.phone = call.phone
    if (call?.entity && call.entity_id) {
      body.entity = call.entity
      body.entity_id = call.entity_id
    }
    return this.client.post('/api/callcard/runs', body)
  }

  saveRun(runId: string, currentStep: string, path: PathEntry[]): Promise<unknown> {
    return this.client.put(`/api/callcard/runs/${encodeURIComponent(runId)}`, {
      current_step: currentStep,
      path
    })
  }

  preview(
    buttonId: string,
    callId: string,
    entity: string,
    entityId: string
  ): Promise<{ actions: PreviewAction[] }> {
    return this.client.post(`/api/callcard/buttons/${encodeURIComponent(buttonId)}/preview`, {
      call_id: callId,
      entity,
      entity_id: entityId,
      ...this.facts()
    })
  }

  press(
    buttonId: string,
    body: { press_id: string; call_id: string; entity: string; entity_id: string; overrides: Override[] }
  ): Promise<PressResult> {
    return this.client.post(`/api/callcard/buttons/${encodeURIComponent(buttonId)}/press`, {
      ...body,
      ...this.facts()
    })
  }

  private facts() {
    return { phone: this.call.phone, line: this.call.line, direction: this.call.direction }
  }

  pressState(pressId: string): Promise<PressResult> {
    return this.client.get(`/api/callcard/presses/${encodeURIComponent(pressId)}`)
  }
}
