import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import { APP_SECURITY_HEADERS } from './csp'
import { APP_HOST, APP_SCHEME } from './origin'
import { mimeType } from '../web/mime'

/**
 * The renderer is served from the privileged standard scheme `app://tokendesk/` instead of file:// (Electron security
 * checklist item 18): file:// grants every page the whole disk, a custom scheme only the built renderer folder.
 * Kept free of `electron` imports: index.ts registers the scheme and passes `createAppProtocolHandler(...)` to
 * `protocol.handle`, tests call the handler with plain Request objects.
 */

export type AppPathResult = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string }

/**
 * Maps an app:// URL to a file inside `root`, refusing anything that could leave it: another host, encoded or plain
 * `..` segments, backslashes, NUL bytes, absolute paths. Chromium already normalizes `..` in standard-scheme URLs;
 * this check does not rely on that.
 */
export function resolveAppPath(root: string, rawUrl: string): AppPathResult {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' }
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST)
    return { ok: false, status: 403, reason: 'foreign origin' }
  // Decode segment by segment so an encoded "/" or "\" cannot smuggle a separator into one segment.
  const segments: string[] = []
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue
    let seg: string
    try {
      seg = decodeURIComponent(raw)
    } catch {
      return { ok: false, status: 400, reason: 'bad escape' }
    }
    if (seg === '.' || seg === '..' || /[/\\\0:]/.test(seg)) return { ok: false, status: 403, reason: 'path traversal' }
    segments.push(seg)
  }
  const base = resolve(root)
  const file = segments.length === 0 ? join(base, 'index.html') : resolve(base, ...segments)
  const rel = relative(base, file)
  if (rel.startsWith('..') || isAbsolute(rel)) return { ok: false, status: 403, reason: 'path traversal' }
  return { ok: true, file }
}

export interface AppProtocolOptions {
  /** The built renderer folder (out/renderer). */
  root: string
  /** Injected for tests; defaults to fs.readFile. */
  read?: (file: string) => Promise<Buffer>
}

function plain(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { ...APP_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }
  })
}

/** The `protocol.handle('app', ...)` handler: static files of the renderer, each response with the CSP header. */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = opts.read ?? ((f: string) => readFile(f))
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
    const resolved = resolveAppPath(opts.root, request.url)
    if (!resolved.ok) return plain(resolved.status, resolved.status === 403 ? 'Forbidden' : 'Bad request')
    let file = resolved.file
    let body: Buffer
    try {
      body = await read(file)
    } catch {
      // Client-side routes (no extension) fall back to the app shell; a missing asset is a plain 404.
      if (extname(file)) return plain(404, 'Not found')
      file = join(resolve(opts.root), 'index.html')
      try {
        body = await read(file)
      } catch {
        return plain(404, 'Not found')
      }
    }
    const type = mimeType(file)
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...APP_SECURITY_HEADERS, 'content-type': type }
    })
  }
}
