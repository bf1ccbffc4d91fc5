/**
 * VS Code's rule: every IPC message's sender frame must be the app's own origin and the main frame, checked before the
 * payload is parsed. Kept free of `electron` imports so it is unit-tested with a stand-in event.
 */
export const APP_ORIGIN = 'app://tokendesk'

export interface SenderLike {
  senderFrame: { url: string; parent: unknown | null } | null
}

export function isTrustedSender(event: SenderLike, allowedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false
  let origin: string
  try {
    const u = new URL(frame.url)
    // URL.origin is "null" for custom schemes; rebuild it from protocol and host.
    origin = `${u.protocol}//${u.host}`
  } catch {
    return false
  }
  return allowedOrigins.includes(origin)
}
