// The reception wizard's endpoints (docs/API.md, "Reception") over the shared API client.
import type { ApiClient } from '../../shared/api'

export type ApiTransport = Pick<ApiClient, 'get' | 'post'>

export interface ServiceType {
  id: string
  name: string
}

export interface ReceptionOptions {
  service_types: ServiceType[]
  transfer_method: TransferMethod
  inquiry_target: 'lead' | 'deal'
}

export type TransferMethod = 'blind' | 'hold'
export type WorkDay = 'opened' | 'paused' | 'closed' | 'expired' | 'unknown'
export type LineState = 'free' | 'ringing' | 'talking'

export interface ManagerView {
  user_id: string
  name: string
  extension: string
  department_ids: string[]
  work_day: WorkDay
  online: boolean | null
  line: LineState
  availability: number
}

export interface TransferState {
  command_id: string
  state: 'pending' | 'done' | 'failed'
  code?: number
  message?: string
}

export interface InquiryBody {
  request_id: string
  topic: string
  todo: string
  name: string
  company: string
  email: string
  phone: string
  user_id: string
  service_type: string
}

export interface InquiryResult {
  request_id: string
  state: 'done' | 'failed'
  record: { entity: string; id: string }
  task_id: string
  warning: string
}

export class ReceptionApi {
  constructor(private readonly client: ApiTransport) {}

  options(): Promise<ReceptionOptions> {
    return this.client.get('/api/reception/options')
  }

  managers(serviceType: string): Promise<{ managers: ManagerView[] }> {
    return this.client.get('/api/reception/managers?' + new URLSearchParams({ service_type: serviceType }).toString())
  }

  transfer(call: string, userId: string, method: TransferMethod): Promise<TransferState> {
    return this.client.post('/api/reception/transfer', { call, user_id: userId, method })
  }

  transferState(commandId: string): Promise<TransferState> {
    return this.client.get(`/api/reception/transfer/${encodeURIComponent(commandId)}`)
  }

  inquiry(body: InquiryBody): Promise<InquiryResult> {
    return this.client.post('/api/reception/inquiry', body)
  }
}
