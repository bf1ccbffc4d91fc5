import { isAppUrl } from './origin'
import { checkExternalUrl } from './external-url'

/**
 * Navigation lock (Electron security checklist items 13 and 14): the window may only ever show the app's own origin.
 * Pure decisions here; index.ts applies them to every webContents in `web-contents-created`.
 */

export type NavigationDecision = { allow: true } | { allow: false; openExternal?: string }

/** `will-navigate` / `will-redirect` / `will-frame-navigate`: stay on app://tokendesk, send https links to the browser. */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { allow: true }
  const external = checkExternalUrl(url)
  return external ? { allow: false, openExternal: external } : { allow: false }
}

/** `setWindowOpenHandler`: never a second app window; an https link opens in the user's browser instead. */
export function decideWindowOpen(url: string): { action: 'deny'; openExternal?: string } {
  const external = checkExternalUrl(url)
  return external ? { action: 'deny', openExternal: external } : { action: 'deny' }
}

/** Schemes the renderer must never load directly: it talks to services through IPC only, never to the network. */
const BLOCKED_REQUEST_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:'])

/** For `session.webRequest.onBeforeRequest`: true when the request must be cancelled. */
export function isBlockedRendererRequest(url: string): boolean {
  try {
    return BLOCKED_REQUEST_SCHEMES.has(new URL(url).protocol)
  } catch {
    return true
  }
}
