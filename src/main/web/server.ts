import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, extname, join, normalize, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Dispatch } from '../core/dispatch'
import { APP_CSP, WEB_SECURITY_HEADERS } from '../shell/csp'
import { mimeType } from './mime'

/** The console's CSP in web mode: the one policy of src/main/shell/csp.ts, as on app:// and in index.html. */
export const WEB_CSP = APP_CSP

/** One cookie name per port: cookies ignore the port, so a shared name would let a second server log the first out. */
function sessionCookieName(port: number): string {
  return `tokendesk_session_${port}`
}
const SESSION_HEADER = 'x-tokendesk-session'
const MAX_BODY = 8 * 1024 * 1024

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
  /** The session cookie's name, unique to this server's port. */
  cookieName: string
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

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {}
) {
  res.writeHead(status, { ...WEB_SECURITY_HEADERS, 'content-type': type, ...headers })
  res.end(body)
}

function parseUrl(path: string, host: string): URL | null {
  try {
    return new URL(path, `http://${host}`)
  } catch {
    return null
  }
}

/** decodeURIComponent that answers null for malformed %-encoding instead of throwing. */
function decode(s: string): string | null {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

/** Node's own answer to a request it cannot parse, with the security headers every other answer has. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const headers = Object.entries({ ...WEB_SECURITY_HEADERS, 'content-length': '0', connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n`)
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
  let cookieName = ''

  // The token in the query string is only taken by a page load, which trades it for the cookie; RPC never reads it.
  const authorized = (req: IncomingMessage, url: URL, isRpc: boolean): 'ok' | 'query' | false => {
    const header = req.headers[SESSION_HEADER]
    if (typeof header === 'string' && safeEqual(header, token)) return 'ok'
    const cookie = cookieValue(req, cookieName)
    if (cookie && safeEqual(cookie, token)) return 'ok'
    const q = isRpc ? null : url.searchParams.get('token')
    if (q && safeEqual(q, token)) return 'query'
    return false
  }

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? ''
      if (!allowedHosts.has(host)) return send(res, 403, 'Forbidden: unexpected Host header')
      const origin = req.headers.origin
      if (origin !== undefined && !ownOrigins.has(origin)) return send(res, 403, 'Forbidden: foreign Origin')
      const url = parseUrl(req.url ?? '/', host)
      if (!url) return send(res, 400, 'Bad request URL')
      const isRpc = url.pathname.startsWith('/rpc/')
      const auth = authorized(req, url, isRpc)
      if (!auth)
        return send(res, 401, 'Unauthorized: open the URL printed by `tokendesk serve` (it carries the session token).')

      if (isRpc) {
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
        const channel = decode(url.pathname.slice('/rpc/'.length))
        if (channel === null) {
          const body = {
            ok: false,
            error: { code: 'VALIDATION', message: 'The channel name has malformed %-encoding' }
          }
          return send(res, 400, JSON.stringify(body), 'application/json')
        }
        const result = await opts.dispatch(channel, input)
        return send(res, 200, JSON.stringify(result), 'application/json')
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
      if (auth === 'query') {
        // Trade the token in the URL for a cookie, then drop it from the address bar and history.
        url.searchParams.delete('token')
        return send(res, 303, '', undefined, {
          'set-cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          location: url.pathname + url.search
        })
      }
      if (url.pathname.startsWith(DOWNLOAD_PREFIX)) {
        // The cookie or header only: a download link never carries the session token.
        if (auth !== 'ok') return send(res, 401, 'Unauthorized')
        return await serveDownload(
          opts.dispatch,
          url.pathname.slice(DOWNLOAD_PREFIX.length),
          res,
          req.method === 'HEAD'
        )
      }
      await serveStatic(rendererDir, url.pathname, res)
    } catch {
      if (!res.headersSent) send(res, 500, 'Internal error')
      else res.end()
    }
  })

  server.on('clientError', answerClientError)

  await new Promise<void>((ok, bad) => {
    server.once('error', bad)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  const port = (server.address() as AddressInfo).port
  cookieName = sessionCookieName(port)
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  ownOrigins = new Set([...allowedHosts].map((h) => `http://${h}`))
  const url = `http://127.0.0.1:${port}/`
  return {
    server,
    port,
    url,
    sessionUrl: `${url}?token=${token}`,
    sessionToken: token,
    cookieName,
    // close() alone waits for every open connection, and a browser keeps one alive and opens spare ones it may never
    // use: stopping the server ends them.
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok())
        server.closeAllConnections()
      })
  }
}

/** `GET /download/<job id>`: the file a finished export or bulk-mint job of this server wrote; nothing else. */
const DOWNLOAD_PREFIX = '/download/'
const DOWNLOADABLE: Record<string, (result: Record<string, unknown>) => unknown> = {
  'tokens:export': (r) => r.file,
  'jwt:mint': (r) => r.out
}

async function serveDownload(dispatch: Dispatch, rawId: string, res: ServerResponse, head: boolean): Promise<void> {
  const id = decode(rawId)
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return send(res, 404, 'Not found')
  const job = await dispatch('jobs:get', { id })
  const info = job.ok ? (job.value as { kind: string; state: string; result?: Record<string, unknown> }) : null
  const fileOf = info && info.state === 'done' && info.result ? DOWNLOADABLE[info.kind] : undefined
  const file = fileOf?.(info!.result!)
  if (typeof file !== 'string') return send(res, 404, 'Not found')
  let size: number
  try {
    const s = await stat(file)
    if (!s.isFile()) return send(res, 404, 'Not found')
    size = s.size
  } catch {
    return send(res, 404, 'Not found: the file was moved or deleted')
  }
  const name = basename(file)
  res.writeHead(200, {
    ...WEB_SECURITY_HEADERS,
    'content-type': extname(name) === '.csv' ? 'text/csv; charset=utf-8' : 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'cache-control': 'no-store'
  })
  if (head) return void res.end()
  await new Promise<void>((done) => {
    const stream = createReadStream(file)
    stream.on('error', () => {
      res.destroy()
      done()
    })
    stream.on('end', () => done())
    stream.pipe(res)
  })
}

async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  const rel = decode(pathname)
  if (rel === null || rel.includes('\0')) return send(res, 400, 'Bad path')
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
      ...WEB_SECURITY_HEADERS,
      'content-type': mimeType(target),
      'cache-control': extname(target) === '.html' ? 'no-store' : 'public, max-age=3600'
    })
    res.end(body)
  } catch {
    send(res, 404, 'Not found: the console is not built. Run `npm run build`.')
  }
}
