import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Dispatch } from '../core/dispatch'

/** The console's CSP in web mode: everything from our own origin, no inline script, no eval, no framing. */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

export const SESSION_COOKIE = 'tokendesk_session'
export const SESSION_HEADER = 'x-tokendesk-session'
const MAX_BODY = 8 * 1024 * 1024

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2'
}

export interface WebServerOptions {
  dispatch: Dispatch
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  port?: number
  /** Fixed token for tests; random per start otherwise. */
  sessionToken?: string
}

export interface WebServer {
  server: Server
  port: number
  url: string
  /** The URL with the session token, printed first so scripts can read it. */
  sessionUrl: string
  sessionToken: string
  close(): Promise<void>
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': WEB_CSP,
    ...headers
  })
  res.end(body)
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) return null
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Web mode (DESIGN "Web mode"): the built renderer and `POST /rpc/<channel>` on 127.0.0.1 only, over the same dispatch
 * as IPC. Guarded like Jupyter: a random per-start session token (URL once, then an HttpOnly SameSite=Strict cookie),
 * a Host check against DNS rebinding, an Origin check against cross-site requests, and a strict CSP.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.sessionToken ?? randomBytes(24).toString('base64url')
  const rendererDir = resolve(opts.rendererDir)
  let allowedHosts: Set<string> = new Set()
  let ownOrigins: Set<string> = new Set()

  const authorized = (req: IncomingMessage, url: URL): 'ok' | 'query' | false => {
    const header = req.headers[SESSION_HEADER]
    if (typeof header === 'string' && safeEqual(header, token)) return 'ok'
    const cookie = cookieValue(req, SESSION_COOKIE)
    if (cookie && safeEqual(cookie, token)) return 'ok'
    const q = url.searchParams.get('token')
    if (q && safeEqual(q, token)) return 'query'
    return false
  }

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? ''
      if (!allowedHosts.has(host)) return send(res, 403, 'Forbidden: unexpected Host header')
      const origin = req.headers.origin
      if (origin !== undefined && !ownOrigins.has(origin)) return send(res, 403, 'Forbidden: foreign Origin')
      const url = new URL(req.url ?? '/', `http://${host}`)
      const auth = authorized(req, url)
      if (!auth) return send(res, 401, 'Unauthorized: open the URL printed by `tokendesk serve` (it carries the session token).')

      if (url.pathname.startsWith('/rpc/')) {
        if (req.method !== 'POST') return send(res, 405, 'Method not allowed', undefined, { allow: 'POST' })
        // JSON only: a cross-site form cannot send it without a CORS preflight, which we never grant.
        if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
          return send(res, 415, 'RPC bodies must be application/json')
        const raw = await readBody(req)
        if (raw === null) return send(res, 413, 'Request body too large')
        let input: unknown
        try {
          input = raw.length ? JSON.parse(raw) : undefined
        } catch {
          const body = { ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON' } }
          return send(res, 400, JSON.stringify(body), 'application/json')
        }
        const channel = decodeURIComponent(url.pathname.slice('/rpc/'.length))
        const result = await opts.dispatch(channel, input)
        return send(res, 200, JSON.stringify(result), 'application/json')
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
      const headers: Record<string, string> = {}
      if (auth === 'query') {
        // Trade the token in the URL for a cookie, then drop it from the address bar and history.
        headers['set-cookie'] = `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
        url.searchParams.delete('token')
        res.writeHead(303, { ...headers, location: url.pathname + url.search, 'cache-control': 'no-store' })
        return res.end()
      }
      await serveStatic(rendererDir, url.pathname, res)
    } catch {
      if (!res.headersSent) send(res, 500, 'Internal error')
      else res.end()
    }
  })

  await new Promise<void>((ok, bad) => {
    server.once('error', bad)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  const port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  ownOrigins = new Set([...allowedHosts].map((h) => `http://${h}`))
  const url = `http://127.0.0.1:${port}/`
  return {
    server,
    port,
    url,
    sessionUrl: `${url}?token=${token}`,
    sessionToken: token,
    close: () => new Promise<void>((ok) => server.close(() => ok()))
  }
}

async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    return send(res, 400, 'Bad path')
  }
  if (rel.includes('\0')) return send(res, 400, 'Bad path')
  const file = normalize(join(root, rel === '/' ? 'index.html' : rel))
  // Path traversal: the resolved file must stay inside the renderer folder.
  if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'Forbidden')
  let target = file
  try {
    const s = await stat(target)
    if (s.isDirectory()) target = join(target, 'index.html')
  } catch {
    // Client-side routes fall back to the app shell; missing assets are a plain 404.
    if (extname(rel)) return send(res, 404, 'Not found')
    target = join(root, 'index.html')
  }
  try {
    const body = await readFile(target)
    res.writeHead(200, {
      'content-type': MIME[extname(target)] ?? 'application/octet-stream',
      'cache-control': extname(target) === '.html' ? 'no-store' : 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': WEB_CSP
    })
    res.end(body)
  } catch {
    send(res, 404, 'Not found: the console is not built. Run `npm run build`.')
  }
}
