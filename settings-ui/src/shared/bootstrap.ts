// What opdesk puts into the page shell when Bitrix24 opens a frame (`<script id="opdesk-bootstrap"
// type="application/json">`): the UI session, the portal's language, the placement options as
// the portal sent them and the URL of the portal's frame SDK (BX24.js). The page reads it once at
// start; nothing else travels in the HTML.
export interface Bootstrap {
  session: string
  session_expires_at_ms: number
  lang: 'ru' | 'en'
  placement: string
  placement_options: Record<string, unknown>
  api_base: string
  // BX24.js; the shell's CSP allows its origin. "" when the server had no usable URL.
  frame_sdk_url: string
  member_id: string
  user: { id: string; name: string }
}

export class BootstrapError extends Error {}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

export function parseBootstrap(raw: string): Bootstrap {
  let data: unknown
  try {
    data = JSON.parse(raw)
  } catch {
    throw new BootstrapError('the bootstrap block is not JSON')
  }
  if (typeof data !== 'object' || data === null) {
    throw new BootstrapError('the bootstrap block is not an object')
  }
  const d = data as Record<string, unknown>
  // The «Мегаплан» page (placement MEGAPLAN) starts without a session: it signs in itself.
  if (!text(d.session) && d.placement !== 'MEGAPLAN') {
    throw new BootstrapError('the bootstrap block has no session')
  }
  const options = d.placement_options
  const user = (typeof d.user === 'object' && d.user !== null ? d.user : {}) as Record<string, unknown>
  return {
    session: text(d.session),
    session_expires_at_ms: typeof d.session_expires_at_ms === 'number' ? d.session_expires_at_ms : 0,
    lang: d.lang === 'en' ? 'en' : 'ru',
    placement: text(d.placement) || 'DEFAULT',
    placement_options:
      typeof options === 'object' && options !== null && !Array.isArray(options)
        ? (options as Record<string, unknown>)
        : {},
    api_base: text(d.api_base),
    frame_sdk_url: text(d.frame_sdk_url),
    member_id: text(d.member_id),
    user: { id: text(user.id), name: text(user.name) }
  }
}

export function readBootstrap(doc: Document = document): Bootstrap {
  const element = doc.getElementById('opdesk-bootstrap')
  if (!element?.textContent) {
    throw new BootstrapError('the page was opened without its bootstrap block')
  }
  return parseBootstrap(element.textContent)
}
