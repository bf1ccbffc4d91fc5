/**
 * The desktop renderer's own origin. The renderer is loaded from APP_ENTRY; IPC, navigation and window-open checks all
 * compare against APP_ORIGIN. URL.origin is "null" for custom schemes, so origins are rebuilt from protocol and host.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'tokendesk'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** `scheme://host` of a URL, or null when it does not parse. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}

export function isAppUrl(url: string): boolean {
  return originOf(url) === APP_ORIGIN
}
