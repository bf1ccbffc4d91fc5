import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { startWebServer, SESSION_COOKIE, type WebServer } from '../../src/main/web/server'

let core: TestCore
let web: WebServer
const TOKEN = 'test-session-token-abcdefghijklmnop'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: web.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${web.port}`, ...opts.headers } },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    if (opts.body) req.write(opts.body)
    req.end()
  })
}

const cookie = { cookie: `${SESSION_COOKIE}=${TOKEN}` }
const rpc = (channel: string, input: unknown, headers: Record<string, string> = cookie) =>
  send(`/rpc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) })

beforeAll(async () => {
  core = makeCore()
  const renderer = tempDir('tokendesk-renderer-')
  mkdirSync(join(renderer, 'assets'))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>TokenDesk</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(core.dataDir, 'outside.txt'), 'not for the web')
  web = await startWebServer({ dispatch: core.dispatch, rendererDir: renderer, port: 0, sessionToken: TOKEN })
})
afterAll(async () => {
  await web?.close()
  core?.cleanup()
})

describe('web mode guards', () => {
  it('binds to loopback only and prints a URL with the session token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/`)
    expect(web.sessionUrl).toBe(`http://127.0.0.1:${web.port}/?token=${TOKEN}`)
    expect((web.server.address() as { address: string }).address).toBe('127.0.0.1')
  })

  it('answers 401 without the session token, for pages and RPC', async () => {
    expect((await send('/')).status).toBe(401)
    expect((await rpc('system:status', {}, {})).status).toBe(401)
    expect((await send('/?token=wrong')).status).toBe(401)
    expect((await send('/', { headers: { cookie: `${SESSION_COOKIE}=wrong` } })).status).toBe(401)
  })

  it('answers 403 to a Host other than the bound address (DNS rebinding)', async () => {
    const r = await send('/', { headers: { ...cookie, host: `evil.example:${web.port}` } })
    expect(r.status).toBe(403)
    const r2 = await send('/', { headers: { ...cookie, host: '127.0.0.1:1' } })
    expect(r2.status).toBe(403)
  })

  it('answers 403 to a foreign Origin, even with the right token', async () => {
    const r = await rpc('system:status', {}, { ...cookie, origin: 'https://evil.example' })
    expect(r.status).toBe(403)
    const own = await rpc('system:status', {}, { ...cookie, origin: `http://127.0.0.1:${web.port}` })
    expect(own.status).toBe(200)
  })

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const r = await send(`/?token=${TOKEN}`)
    expect(r.status).toBe(303)
    expect(r.headers.location).toBe('/')
    expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=${TOKEN}; HttpOnly; SameSite=Strict`))
  })

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const r = await send('/', { headers: cookie })
    expect(r.status).toBe(200)
    expect(r.body).toContain('<title>TokenDesk</title>')
    const csp = String(r.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toContain('unsafe-inline')
    expect((await send('/assets/app.js', { headers: cookie })).body).toContain('console.log')
    expect((await send('/../outside.txt', { headers: cookie })).body).not.toContain('not for the web')
    // Dot segments are resolved by the URL parser; encoded slashes are decoded later and must still stay inside.
    expect((await send('/%2e%2e/%2e%2e/etc/passwd', { headers: cookie })).body).not.toContain('root:')
    expect((await send('/..%2f..%2f..%2fetc%2fpasswd', { headers: cookie })).status).toBe(403)
    expect((await send('/..%2foutside.txt', { headers: cookie })).status).toBe(403)
    expect((await send('/assets/missing.js', { headers: cookie })).status).toBe(404)
  })
})

describe('web mode RPC', () => {
  it('runs the same dispatch and returns its Result', async () => {
    const r = await rpc('system:status', {})
    expect(r.status).toBe(200)
    const body = JSON.parse(r.body)
    expect(body.ok).toBe(true)
    expect(body.value.dataDir).toBe(core.dataDir)
  })

  it('returns coded errors as values', async () => {
    const bad = JSON.parse((await rpc('system:updateSettings', { theme: 'neon' })).body)
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { path: 'theme' } } })
    const unknown = JSON.parse((await rpc('nope:x', {})).body)
    expect(unknown.error.code).toBe('NOT_FOUND')
  })

  it('accepts JSON bodies only, by POST only', async () => {
    const form = await send('/rpc/system:status', { method: 'POST', headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })
    expect(form.status).toBe(415)
    expect((await send('/rpc/system:status', { headers: cookie })).status).toBe(405)
    const broken = await send('/rpc/system:status', { method: 'POST', headers: { ...cookie, 'content-type': 'application/json' }, body: '{"a":' })
    expect(broken.status).toBe(400)
    expect(JSON.parse(broken.body).error.code).toBe('VALIDATION')
  })
})
