/**
 * Shared plumbing of the three server emulators (Fess, Datafor, xdua): a node:http (or https) server on 127.0.0.1,
 * a request log tests can read, and fault injection for "garbage from the server" tests.
 *
 * Faults (`emu.setFault(f)` or the `fault` option) apply to the next `f.times` requests (default: all until cleared):
 *   - `html`:       HTTP 200 with an HTML login page (what a proxy or SSO gateway answers)
 *   - `truncated`:  HTTP 200, JSON cut in the middle
 *   - `wrongTypes`: HTTP 200, the right envelope with fields of the wrong type (each emulator decides which)
 *   - `huge`:       HTTP 200, a 10 MB JSON body
 *   - `slow`:       waits `delayMs` (default 30 s) before answering normally (timeouts)
 *   - `reset`:      destroys the socket without an answer (network failure)
 *   - `status`:     HTTP `status` (default 502) with a short text body (gateway failures)
 *   - `answer`:     exactly `answer` (status, body, headers): any other server reply a test needs
 *
 * Failures (`emu.failOn(rule)`) fail one chosen request: the `nth` (default 1st) request from now on whose method and
 * path match answers HTTP `status` (default 500) instead of being served, or, with `apply: true`, after being served
 * (the server changed, the client never heard). With `drop: true` it is served and then the socket is destroyed with no
 * answer at all (a connection reset after the server applied it). `onFire` runs when it fires (e.g. to set a fault that
 * keeps the network down for the requests after it). Tests use it to break a multi-step operation between two steps.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createHmac, timingSafeEqual } from 'node:crypto'

export type FaultKind = 'html' | 'truncated' | 'wrongTypes' | 'huge' | 'slow' | 'reset' | 'status' | 'answer'
export interface Fault {
  kind: FaultKind
  delayMs?: number
  status?: number
  answer?: { status: number; body: string; headers?: Record<string, string> }
  /** How many requests it applies to; omitted = until cleared. */
  times?: number
}

export interface FailRule {
  method: string
  /** The path exactly, or a pattern over it. */
  path: string | RegExp
  /** Which matching request fails, counted from the call to failOn (1 = the next one). */
  nth?: number
  status?: number
  /** Serve the request, then answer the failure (the change happened, the answer was lost). */
  apply?: boolean
  /** Serve the request, then destroy the socket without an answer (the change happened, the connection reset). */
  drop?: boolean
  /** Called when the rule fires, before the request is served. */
  onFire?: () => void
}

export interface LoggedRequest {
  method: string
  /** Path and query as received. */
  url: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: string
  at: number
}

export interface EmulatorBaseOptions {
  port?: number
  host?: string
  fault?: Fault
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string }
  /** Largest request body accepted (bytes). */
  maxBody?: number
}

export interface Emulator {
  url: string
  port: number
  /** Every request received, oldest first (bodies included: emulators only ever see test credentials). */
  requests: LoggedRequest[]
  setFault(f: Fault | null): void
  /** Fails the nth request matching method + path (see FailRule); returns a probe of whether it has fired. */
  failOn(rule: FailRule): { fired(): boolean }
  clearRequests(): void
  close(): Promise<void>
}

export interface Reply {
  status: number
  body: string
  headers?: Record<string, string | string[]>
}

export const json = (status: number, value: unknown, headers?: Record<string, string | string[]>): Reply => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json;charset=UTF-8', ...headers }
})

export function parseQuery(url: string): { path: string; query: Record<string, string> } {
  const u = new URL(url, 'http://x')
  return { path: decodeURIComponent(u.pathname), query: Object.fromEntries(u.searchParams) }
}

export function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const HTML = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Please sign in</form></body></html>'

/** Starts a server that logs each request, applies faults, then asks `handle` for the answer. */
export async function startEmulator(
  opts: EmulatorBaseOptions,
  handle: (r: LoggedRequest) => Reply | Promise<Reply>,
  wrongTypes: (r: LoggedRequest) => unknown
): Promise<Emulator> {
  let fault: Fault | null = opts.fault ?? null
  let faultLeft = fault?.times ?? Infinity
  const requests: LoggedRequest[] = []
  const failures: Array<FailRule & { left: number; fired: boolean }> = []
  const sockets = new Set<import('node:net').Socket>()
  const timers = new Set<NodeJS.Timeout>()

  const send = (res: ServerResponse, r: Reply) => {
    res.writeHead(r.status, { 'content-length': Buffer.byteLength(r.body), ...r.headers })
    res.end(r.body)
  }

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    let body: string
    try {
      body = await readBody(req, opts.maxBody ?? 20 * 1024 * 1024)
    } catch {
      send(res, { status: 413, body: 'too large' })
      return
    }
    const { path, query } = parseQuery(req.url ?? '/')
    const logged: LoggedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path,
      query,
      headers: req.headers,
      body,
      at: Date.now()
    }
    requests.push(logged)
    const rule = failures.find(
      (x) =>
        !x.fired &&
        x.method === logged.method &&
        (typeof x.path === 'string' ? x.path === path : x.path.test(path)) &&
        --x.left === 0
    )
    if (rule) {
      rule.fired = true
      rule.onFire?.()
      if (rule.apply || rule.drop) await Promise.resolve(handle(logged)).catch(() => undefined)
      if (rule.drop) {
        req.socket.destroy()
        return
      }
      return send(res, {
        status: rule.status ?? 500,
        body: 'injected failure',
        headers: { 'content-type': 'text/plain' }
      })
    }
    const f = fault && faultLeft > 0 ? fault : null
    if (f) {
      faultLeft -= 1
      if (faultLeft <= 0) fault = null
      switch (f.kind) {
        case 'html':
          return send(res, { status: 200, body: HTML, headers: { 'content-type': 'text/html' } })
        case 'truncated': {
          const full = (await handle(logged)).body
          return send(res, {
            status: 200,
            body: full.slice(0, Math.max(5, Math.floor(full.length / 2))),
            headers: { 'content-type': 'application/json' }
          })
        }
        case 'wrongTypes':
          return send(res, json(200, wrongTypes(logged)))
        case 'huge': {
          const filler = 'x'.repeat(10 * 1024 * 1024)
          return send(res, {
            status: 200,
            body: `{"filler":"${filler}"}`,
            headers: { 'content-type': 'application/json' }
          })
        }
        case 'reset':
          req.socket.destroy()
          return
        case 'answer':
          return send(res, {
            status: f.answer?.status ?? 200,
            body: f.answer?.body ?? '',
            headers: { 'content-type': 'application/json', ...f.answer?.headers }
          })
        case 'status':
          return send(res, { status: f.status ?? 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } })
        case 'slow':
          await new Promise<void>((r) => {
            const t = setTimeout(() => {
              timers.delete(t)
              r()
            }, f.delayMs ?? 30_000)
            timers.add(t)
          })
          if (res.destroyed || req.socket.destroyed) return
          break
      }
    }
    try {
      send(res, await handle(logged))
    } catch (e) {
      send(res, { status: 500, body: `emulator error: ${(e as Error).message}` })
    }
  }

  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, (q, s) => void onRequest(q, s))
    : createHttpServer((q, s) => void onRequest(q, s))
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('secureConnection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    setFault(f) {
      fault = f
      faultLeft = f?.times ?? Infinity
    },
    failOn(rule) {
      const r = { ...rule, left: rule.nth ?? 1, fired: false }
      failures.push(r)
      return { fired: () => r.fired }
    },
    clearRequests() {
      requests.length = 0
    },
    close() {
      for (const t of timers) clearTimeout(t)
      for (const s of sockets) s.destroy()
      return new Promise<void>((r) => server.close(() => r()))
    }
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export function randomString(rand: () => number, n: number, alphabet = ALNUM): string {
  let s = ''
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)]
  return s
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url')
export const HS_HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

/** A compact HS* JWT (emulators sign and check their own test tokens with node:crypto, nothing more). */
export function signHs(alg: string, secret: string, payload: Record<string, unknown>): string {
  const input = `${b64u(JSON.stringify({ typ: 'JWT', alg }))}.${b64u(JSON.stringify(payload))}`
  return `${input}.${createHmac(HS_HASH[alg], secret).update(input).digest('base64url')}`
}

/** The payload when `token` is an HS* JWT of `alg` signed with `secret`, else null. */
export function verifyHs(token: string, alg: string, secret: string): Record<string, unknown> | null {
  const parts = token.split('.')
  if (parts.length !== 3 || !HS_HASH[alg]) return null
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as { alg?: string }
    if (header.alg !== alg) return null
    const want = createHmac(HS_HASH[alg], secret).update(`${parts[0]}.${parts[1]}`).digest()
    const got = Buffer.from(parts[2], 'base64url')
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as Record<string, unknown>
  } catch {
    return null
  }
}
