/**
 * The one Content Security Policy of the console (Electron security checklist item 7), in three places generated from
 * here: the app:// response header, the web mode's response header and the meta tag the renderer build writes into
 * index.html. Everything comes from the console's own origin; no inline script, no eval, no plugins, no framing.
 * React sets styles through the CSSOM, so `style-src 'self'` holds.
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

/** Directives a browser ignores in a meta tag (CSP Level 3, section 3.3): they travel in the header only. */
export const HEADER_ONLY_DIRECTIVES: readonly string[] = ['frame-ancestors', 'report-uri', 'sandbox']

function serialize(directives: Readonly<Record<string, string>>): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ')
}

export const APP_CSP = serialize(APP_CSP_DIRECTIVES)

/** The policy of the index.html meta tag: the header's, less what a meta tag cannot carry. */
export const META_CSP = serialize(
  Object.fromEntries(Object.entries(APP_CSP_DIRECTIVES).filter(([k]) => !HEADER_ONLY_DIRECTIVES.includes(k)))
)

/** Headers every app:// response carries. */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store'
}

/** Headers every web-mode answer carries (pages, RPC, redirects and the server's own 4xx): app:// plus no framing. */
export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...APP_SECURITY_HEADERS,
  'x-frame-options': 'DENY'
}

/**
 * Writes the meta tag into index.html at build time: the source file carries a `<!-- csp ... -->` placeholder, never a
 * copy of the policy. A build without the placeholder fails rather than ship a page without its policy.
 */
export function injectCspMeta(html: string): string {
  const placeholder = /<!--\s*csp\b[^>]*-->/
  if (!placeholder.test(html)) throw new Error('index.html has no <!-- csp --> placeholder for the CSP meta tag')
  return html.replace(placeholder, `<meta http-equiv="Content-Security-Policy" content="${META_CSP}" />`)
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
