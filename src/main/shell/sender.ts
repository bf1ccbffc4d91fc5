import { APP_ORIGIN, originOf } from './origin'

/**
 * VS Code's rule: every IPC message's sender frame must be the app's own origin and the main frame, checked before the
 * payload is parsed. Kept free of `electron` imports so it is unit-tested with a stand-in event.
 */
export { APP_ORIGIN }

export interface SenderLike {
  senderFrame: { url: string; parent: unknown | null } | null
}

export function isTrustedSender(event: SenderLike, allowedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  const frame = event.senderFrame
  // A destroyed frame (null) or any subframe is refused: only the top-level document of our own origin may call.
  if (!frame || frame.parent !== null) return false
  const origin = originOf(frame.url)
  return origin !== null && allowedOrigins.includes(origin)
}
