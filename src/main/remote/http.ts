import { rootCertificates } from 'node:tls'
import { createHash, X509Certificate } from 'node:crypto'
import { createRequire } from 'node:module'
import type { Agent } from 'undici'
import type { z } from 'zod'
import { AppError, fail } from '../../shared/errors'
import type { TlsOptions } from '../../shared/contract'
import { REDACTED, urlSecret } from '../audit/redact'

/**
 * The one HTTP layer under the three clients (DESIGN "Remote clients"): undici with a per-connection dispatcher (TLS
 * verification always on; an extra CA or a pinned certificate belongs to one connection, never a process-wide switch),
 * a whole-request timeout, cancel through AbortSignal, retries with backoff for reads only, a cap on answer size, and
 * one mapping of transport failures to NETWORK / TIMEOUT / TLS / CANCELLED. No message built here carries a header
 * value, and every error a client raises passes through the client's Redactor, which masks what was sent as a
 * credential: a server that echoes the token in its message cannot leak it through stderr, --json or RPC.
 */

export interface HttpOptions {
  baseUrl: string
  timeoutMs?: number
  tls?: TlsOptions | null
  /** Plain http to a non-loopback host is refused unless the user confirmed it. */
  allowInsecure?: boolean
  /** Retries for reads (writes are never retried). */
  retries?: number
  /** Largest answer accepted; a bigger one is PROTOCOL (a server does not send 10 MB of tokens by mistake). */
  maxBytes?: number
  /** Server name for messages ("Fess", "Datafor", "xdua"). */
  label: string
  /** Credentials this client sends (token, password, JWT): masked in every error it raises. */
  secrets?: Array<string | null | undefined>
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'
  path: string
  query?: Record<string, string | number | undefined>
  headers?: Record<string, string>
  body?: string
  /** Idempotent read: retried with backoff on network failures, timeouts and 502/503/504. */
  read: boolean
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|EPROTO|HOSTNAME|ALTNAME/i
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED'
])
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT'
])

/** Checks a base URL before any request: refuses plain http beyond loopback without confirmation (INSECURE_URL). */
export function checkBaseUrl(baseUrl: string, allowInsecure = false): URL {
  let u: URL
  try {
    u = new URL(baseUrl)
  } catch {
    fail('VALIDATION', 'baseUrl: not a URL', { path: 'baseUrl' })
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    fail('VALIDATION', 'The base URL must be http:// or https://', { path: 'baseUrl' })
  const secret = urlSecret(u)
  if (secret) fail('VALIDATION', `Put credentials in the profile, not in the URL: ${secret}`, { path: 'baseUrl' })
  if (u.protocol === 'http:' && !LOOPBACK.test(u.hostname) && !allowInsecure)
    fail(
      'INSECURE_URL',
      `Plain http to ${u.hostname} would send credentials unencrypted; use https, or confirm with allowInsecure (--allow-insecure)`,
      {
        host: u.hostname
      }
    )
  return u
}

/** SHA-256 fingerprint of a certificate's DER, normalised to lower-case hex without colons. */
export function normalizeFingerprint(pin: string): string {
  const hex = pin.replace(/:/g, '').trim()
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return hex.toLowerCase()
  const b = Buffer.from(pin.trim(), 'base64')
  if (b.length === 32) return b.toString('hex')
  fail(
    'VALIDATION',
    'The pinned certificate must be a SHA-256 fingerprint (64 hex digits, colons allowed, or base64)',
    { path: 'tls.pinSha256' }
  )
}

/** The SHA-256 fingerprint of a PEM certificate, for the CLI's `--pin-cert FILE`. */
export function fingerprintOfPem(pem: string): string {
  try {
    return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex')
  } catch {
    fail('VALIDATION', 'Not a PEM certificate', { path: 'tls' })
  }
}

// undici is loaded on the first request: it takes longer to load than a whole CLI command that sends none.
let undiciModule: typeof import('undici') | null = null
const undici = () => (undiciModule ??= createRequire(__filename)('undici') as typeof import('undici'))

function makeAgent(tls: TlsOptions | null | undefined, timeoutMs: number): Agent {
  const { Agent, buildConnector } = undici()
  const ca = tls?.ca ? [...rootCertificates, tls.ca] : undefined
  if (!tls?.pinSha256) return new Agent({ connect: { ca, timeout: timeoutMs }, keepAliveTimeout: 10_000 })
  // A pinned certificate is trusted for itself (a self-signed server is the usual case), and nothing else is.
  const pin = normalizeFingerprint(tls.pinSha256)
  const base = buildConnector({ rejectUnauthorized: false, timeout: timeoutMs })
  return new Agent({
    keepAliveTimeout: 10_000,
    connect: (opts, cb) =>
      base(opts, (err, socket) => {
        if (err || !socket) return cb(err ?? new Error('no socket'), null)
        const peer =
          'getPeerCertificate' in socket ? (socket as import('node:tls').TLSSocket).getPeerCertificate() : null
        const got = peer?.fingerprint256?.replace(/:/g, '').toLowerCase()
        if (got !== pin) {
          socket.destroy()
          const e = new Error('pinned certificate mismatch') as Error & { code: string }
          e.code = 'ERR_TLS_PIN_MISMATCH'
          return cb(e, null)
        }
        cb(null, socket)
      })
  })
}

function codeOf(e: unknown): string {
  let cur: unknown = e
  for (let i = 0; i < 4 && cur; i++) {
    const c = (cur as { code?: unknown }).code
    if (typeof c === 'string' && c !== 'UND_ERR' && c !== 'UND_ERR_REQ_RETRY') return c
    cur = (cur as { cause?: unknown }).cause
  }
  return ''
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    })
  })

/**
 * Masks credentials in error text: each secret as given, without a `Bearer `/`Basic ` scheme, the user:password inside
 * a Basic value, URL- and JSON-escaped forms, and the long segments of a JWT (a server may echo only one).
 */
export class Redactor {
  private readonly secrets = new Set<string>()
  private sorted: string[] | null = null

  add(value: string | null | undefined): void {
    if (!value) return
    const v = value.trim()
    if (!v) return
    const forms = new Set([v])
    const scheme = /^(Bearer|Basic)\s+(.+)$/i.exec(v)
    if (scheme) {
      forms.add(scheme[2])
      if (/^basic$/i.test(scheme[1])) {
        const plain = Buffer.from(scheme[2], 'base64').toString('utf8')
        const colon = plain.indexOf(':')
        if (colon >= 0) {
          forms.add(plain)
          forms.add(plain.slice(colon + 1))
        }
      }
    }
    for (const f of [...forms]) {
      // A lone surrogate has no URL-encoded form (encodeURIComponent throws), so the secret cannot appear as one.
      if (!/\p{Cs}/u.test(f)) forms.add(encodeURIComponent(f))
      forms.add(JSON.stringify(f).slice(1, -1))
      if (f.includes('.')) for (const seg of f.split('.')) if (seg.length >= 16) forms.add(seg)
    }
    for (const f of forms) if (f) this.secrets.add(f)
    this.sorted = null
  }

  text(s: string): string {
    if (!this.secrets.size || !s) return s
    this.sorted ??= [...this.secrets].sort((a, b) => b.length - a.length)
    let out = s
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    return out
  }

  value(v: unknown, depth = 0): unknown {
    if (typeof v === 'string') return this.text(v)
    if (depth > 8 || !v || typeof v !== 'object') return v
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, depth + 1)]))
  }

  /** The same error with its message and details masked; anything that is not an AppError becomes PROTOCOL. */
  error(e: unknown, label: string): AppError {
    if (e instanceof AppError)
      return new AppError(
        e.code,
        this.text(e.message),
        e.details ? (this.value(e.details) as Record<string, unknown>) : undefined
      )
    return new AppError('PROTOCOL', `${label} answered something this client cannot read`)
  }
}

export class HttpClient {
  readonly base: URL
  private readonly agent: Agent
  private readonly timeoutMs: number
  private readonly retries: number
  private readonly maxBytes: number
  readonly label: string
  readonly redactor = new Redactor()

  constructor(opts: HttpOptions) {
    this.base = checkBaseUrl(opts.baseUrl, opts.allowInsecure)
    this.timeoutMs = opts.timeoutMs ?? 15_000
    this.retries = opts.retries ?? 2
    this.maxBytes = opts.maxBytes ?? 8 * 1024 * 1024
    this.label = opts.label
    this.agent = makeAgent(opts.tls, this.timeoutMs)
    for (const secret of opts.secrets ?? []) this.redactor.add(secret)
  }

  /** Runs a client step (send, then read the answer): any failure leaves it with every credential masked. */
  async guard<T>(fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw this.redactor.error(e, this.label)
    }
  }

  url(path: string, query?: HttpRequest['query']): string {
    const u = new URL(this.base.href.replace(/\/+$/, '') + path)
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v))
    return u.href
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    // What goes out as a credential is masked in any error, whether or not the client named it a secret.
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      // HTTP carries header values as Latin-1 text without control characters; say so instead of a network error.
      if (/[^\t\x20-\x7e\x80-\xff]/.test(v))
        fail(
          'VALIDATION',
          `${this.label}: the ${k} header cannot carry this value (a credential with characters outside Latin-1, or a line break?)`
        )
      if (/^authorization$/i.test(k)) this.redactor.add(v)
      else if (/^cookie$/i.test(k)) for (const c of v.split(';')) this.redactor.add(c.split('=').slice(1).join('='))
    }
    return this.guard(() => this.sendRaw(req))
  }

  private async sendRaw(req: HttpRequest): Promise<HttpResponse> {
    const attempts = req.read ? this.retries + 1 : 1
    for (let i = 1; ; i++) {
      try {
        const res = await this.once(req)
        if (req.read && i < attempts && (res.status === 502 || res.status === 503 || res.status === 504)) {
          await sleep(backoff(i), req.signal)
          continue
        }
        return res
      } catch (e) {
        const retriable = e instanceof AppError && (e.code === 'NETWORK' || e.code === 'TIMEOUT')
        if (!req.read || i >= attempts || !retriable || req.signal?.aborted) throw e
        await sleep(backoff(i), req.signal)
      }
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    if (req.signal?.aborted) fail('CANCELLED', 'Cancelled by the user')
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
    const where = `${this.label} at ${this.base.host}`
    try {
      const res = await undici().request(this.url(req.path, req.query), {
        method: req.method,
        headers: { accept: 'application/json', ...req.headers },
        body: req.body,
        dispatcher: this.agent,
        signal
      })
      const declared = Number(res.headers['content-length'] ?? 0)
      if (declared > this.maxBytes) {
        res.body.destroy()
        fail(
          'PROTOCOL',
          `${where} sent an answer of ${declared} bytes, more than the ${this.maxBytes} accepted: not what its API returns`
        )
      }
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length
        if (size > this.maxBytes) {
          res.body.destroy()
          fail('PROTOCOL', `${where} sent more than ${this.maxBytes} bytes: not what its API returns`)
        }
        chunks.push(chunk as Buffer)
      }
      return { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }
    } catch (e) {
      if (e instanceof AppError) throw e
      if (req.signal?.aborted) fail('CANCELLED', 'Cancelled by the user')
      if (timeout.aborted)
        fail('TIMEOUT', `${where} did not answer within ${this.timeoutMs} ms`, { timeoutMs: this.timeoutMs })
      const code = codeOf(e)
      if (TIMEOUT_CODES.has(code))
        fail('TIMEOUT', `${where} did not answer in time (${code})`, { timeoutMs: this.timeoutMs })
      if (code === 'ERR_TLS_PIN_MISMATCH')
        fail('TLS', `${where} presented a certificate that does not match the pinned fingerprint`, { code })
      if (TLS_CODES.test(code)) fail('TLS', `The TLS connection to ${where} failed verification (${code})`, { code })
      if (NET_CODES.has(code) || code.startsWith('UND_ERR'))
        fail('NETWORK', `Cannot reach ${where} (${code || 'connection failed'})`, { code })
      fail('NETWORK', `Cannot reach ${where}${code ? ` (${code})` : ''}`, code ? { code } : undefined)
    }
  }

  close(): Promise<void> {
    return this.agent.close()
  }
}

const backoff = (attempt: number) => Math.min(2000, 150 * 3 ** (attempt - 1)) * (0.75 + Math.random() / 2)

/**
 * Parses a JSON answer against the shape its contract promises. Anything else (HTML, truncated JSON, wrong types)
 * is PROTOCOL with a short description, never the raw body (it could echo a credential).
 */
export function parseAnswer<T extends z.ZodType>(res: HttpResponse, schema: T, label: string): z.output<T> {
  const ctype = String(res.headers['content-type'] ?? '')
  const text = res.text.trimStart()
  if (/html/i.test(ctype) || text.startsWith('<'))
    fail(
      'PROTOCOL',
      `${label} answered HTML (HTTP ${res.status}), not JSON: is the base URL right, or is a login page or proxy in the way?`,
      {
        status: res.status
      }
    )
  let value: unknown
  try {
    value = JSON.parse(res.text)
  } catch {
    fail(
      'PROTOCOL',
      `${label} answered something that is not JSON (HTTP ${res.status}, ${res.text.length} bytes${res.text.length ? ', cut short or malformed' : ', empty'})`,
      {
        status: res.status
      }
    )
  }
  return checkShape(value, schema, label, res.status)
}

/** A parsed answer (or part of one) against its contract shape: PROTOCOL naming the first bad field otherwise. */
export function checkShape<T extends z.ZodType>(value: unknown, schema: T, label: string, status = 200): z.output<T> {
  const r = schema.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]
    fail(
      'PROTOCOL',
      `${label} answered JSON of an unexpected shape: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      {
        status,
        path: issue.path.join('.')
      }
    )
  }
  return r.data
}
