import { APP_ORIGIN, originOf } from './origin'

/**
 * VS Code's rule: every IPC message's sender frame must be the app's own origin and the main frame, checked before the
 * payload is parsed. Kept free of `electron` imports so it is unit-tested with a stand-in event.
 */
export { APP_ORIGIN }

export interface SenderLike {
  senderFrame: { url: string; parent: unknown | null } | null
}

/** Why a sender is refused (origin only, never the frame's full URL, which may carry a query), or null if trusted. */
export function senderRefusal(event: SenderLike, allowedOrigins: readonly string[] = [APP_ORIGIN]): string | null {
  const frame = event.senderFrame
  // A destroyed frame (null) or any subframe is refused: only the top-level document of our own origin may call.
  if (!frame) return 'the sender frame is gone'
  const origin = originOf(frame.url)
  if (frame.parent !== null) return `a subframe (origin ${origin ?? 'unknown'}) is not the main frame`
  if (origin === null) return 'the sender frame has no URL origin'
  return allowedOrigins.includes(origin) ? null : `origin ${origin} is not the app's own`
}

export function isTrustedSender(event: SenderLike, allowedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  return senderRefusal(event, allowedOrigins) === null
}
