/**
 * The desktop renderer's Content Security Policy, sent as a header on every app:// response (Electron security
 * checklist item 7). Everything comes from the app's own origin; no inline script, no eval, no plugins, no framing.
 * React sets styles through the CSSOM, so `style-src 'self'` holds. src/renderer/index.html carries the same
 * directives in a meta tag (a test keeps the two consistent).
 */
export const APP_CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'"
}

export const APP_CSP = Object.entries(APP_CSP_DIRECTIVES)
  .map(([k, v]) => `${k} ${v}`)
  .join('; ')

/** Headers every app:// response carries. */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store'
}

/** Parses a CSP string into directive -> value (used by tests to compare the header with the meta tag). */
export function parseCsp(csp: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) out[name.toLowerCase()] = values.join(' ')
  }
  return out
}
