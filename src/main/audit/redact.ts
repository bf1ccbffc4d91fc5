/**
 * The one redactor for what TokenDesk writes down (audit details, the error log): secrets out of any string, and
 * fields with secret-sounding names dropped. It cannot know every secret, so inputs that carry one in a URL are also
 * refused at the door (urlSecret).
 */

/** Query or fragment parameters whose value is a secret, compared case-insensitively after %-decoding. */
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'token',
  'apikey',
  'api_key',
  'access_token',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'key',
  'sig',
  'signature',
  'auth',
  'authorization'
])

export const REDACTED = '[redacted]'
// Userinfo up to the last @ of the authority; special schemes parse without slashes too (WHATWG URL).
const USERINFO = /(\b[a-z][a-z0-9+.-]*:[\\/]{2}|\b(?:https?|wss?|ftp):[\\/]*)[^\\/?#]*@/gi
// A name=value pair at the start, after a separator or after whitespace; the value runs to the next separator.
const PARAM = /(^|[?&;#\s])([^=&;#?\s]+)=([^&;#\r\n]*)/g
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g

function paramName(raw: string): string {
  let name = raw
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    // Malformed %-encoding: compare the raw text.
  }
  return name.trim().replace(/\[\]$/, '').toLowerCase()
}

function isSecretParam(name: string): boolean {
  return SECRET_PARAMS.has(paramName(name))
}

/** Masks URL userinfo, secret parameters, bearer credentials, JWTs and PEM private keys in a string. */
export function redactText(text: string): string {
  return text
    .replace(PRIVATE_KEY, '[redacted private key]')
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(PARAM, (all, sep: string, name: string) => (isSecretParam(name) ? `${sep}${name}=${REDACTED}` : all))
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
}

/** What makes a URL unfit to store or send as a base URL, named without echoing the secret; null when it is clean. */
export function urlSecret(u: URL): string | null {
  if (u.username || u.password) return 'it carries a user name or password (user:password@)'
  for (const [where, params] of [
    ['query', u.searchParams],
    ['fragment', new URLSearchParams(u.hash.slice(1))]
  ] as const) {
    for (const name of params.keys())
      if (SECRET_PARAMS.has(paramName(name))) return `its ${where} parameter "${name.slice(0, 40)}" carries a secret`
  }
  return null
}

// Field names whose values are never written down, whatever channel they come from: the name ends with what holds
// secret material (apiKey, accessToken, initpwd, jwk), so names, ids and sizes of such things (tokenName) stay.
const SENSITIVE =
  /(?:secret|pass|passwd|password|passphrase|pwd|token|key|cred|credential|jwt|jwk|pem|bearer|claims|payload|value|material|cookie|auth|authorization|signature)s?$|private/i
const MAX_LEN = 120
const MAX_ITEMS = 20
const MAX_DEPTH = 6

function redactValue(v: unknown, depth: number): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return v
  if (typeof v === 'string') {
    // Redact before cutting: a cut could separate a secret from the @ or = that marks it.
    const s = redactText(v)
    return s.length > MAX_LEN ? `${s.slice(0, MAX_LEN)}…` : s
  }
  if (depth >= MAX_DEPTH || v === null || typeof v !== 'object') return undefined
  if (Array.isArray(v)) {
    if (v.length > MAX_ITEMS) return `[${v.length} items]`
    return v.map((x) => redactValue(x, depth + 1) ?? null)
  }
  return redactDetails(v as Record<string, unknown>, depth + 1) ?? undefined
}

/**
 * Audit details: fields with secret-sounding names become "[redacted]", every string at any depth passes through
 * redactText and is cut to 120 characters; what is left says what was done to what, never with which secret.
 */
export function redactDetails(
  details: Record<string, unknown> | null | undefined,
  depth = 0
): Record<string, unknown> | null {
  if (!details) return null
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(details)) {
    // A flag carries no secret (allowWeakKey, clearCredential): it says what was done.
    if (SENSITIVE.test(k) && typeof v !== 'boolean') {
      if (v !== undefined && v !== null && v !== '') out[k] = REDACTED
      continue
    }
    const r = redactValue(v, depth)
    if (r !== undefined) out[k] = r
  }
  return Object.keys(out).length ? out : null
}
