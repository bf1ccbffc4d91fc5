import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { request } from 'node:http'
import { connect } from 'node:net'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { startWebServer, type WebServer } from '../../src/main/web/server'
import { serveConsole } from '../../src/main/web/serve-console'
import { register as registerServeCommand } from '../../src/main/cli/commands/serve'
import { CliContext } from '../../src/main/cli/runtime'
import { buildProgram } from '../../src/main/cli/index'
import { APP_CSP } from '../../src/main/shell/csp'

let core: TestCore
let web: WebServer
const TOKEN = 'test-session-token-abcdefghijklmnop'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; port?: number } = {}
): Promise<Answer> {
  const port = opts.port ?? web.port
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers }
      },
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

const cookie: Record<string, string> = {}
const rpc = (channel: string, input: unknown, headers: Record<string, string> = cookie, port?: number) =>
  send(`/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
    port
  })

/** A raw request line and headers on a socket, for what Node's parser refuses before our handler runs. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (c) => (answer += c))
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}

let renderer: string
beforeAll(async () => {
  core = makeCore()
  renderer = tempDir('tokendesk-renderer-')
  mkdirSync(join(renderer, 'assets'))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>TokenDesk</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(core.dataDir, 'outside.txt'), 'not for the web')
  web = await startWebServer({ dispatch: core.dispatch, rendererDir: renderer, port: 0, sessionToken: TOKEN })
  cookie.cookie = `${web.cookieName}=${TOKEN}`
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
    expect((await send('/', { headers: { cookie: `${web.cookieName}=wrong` } })).status).toBe(401)
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
    expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`${web.cookieName}=${TOKEN}; HttpOnly; SameSite=Strict`))
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
    const form = await send('/rpc/system:status', {
      method: 'POST',
      headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1'
    })
    expect(form.status).toBe(415)
    expect((await send('/rpc/system:status', { headers: cookie })).status).toBe(405)
    const broken = await send('/rpc/system:status', {
      method: 'POST',
      headers: { ...cookie, 'content-type': 'application/json' },
      body: '{"a":'
    })
    expect(broken.status).toBe(400)
    expect(JSON.parse(broken.body).error.code).toBe('VALIDATION')
  })
})

describe('web mode hardening', () => {
  it('takes the session token from the query string on a page load only, never on /rpc/*', async () => {
    const viaQuery = await rpc(`system:status?token=${TOKEN}`, {}, {})
    expect(viaQuery.status).toBe(401)
    expect(viaQuery.body).not.toContain('"ok":true')
  })

  it('answers 400, not 500, to malformed %-encoding in a channel or a path', async () => {
    const channel = await rpc('system%E0%A4%A:status', {})
    expect(channel.status).toBe(400)
    expect(JSON.parse(channel.body).error.code).toBe('VALIDATION')
    expect((await send('/assets/%E0%A4%A.js', { headers: cookie })).status).toBe(400)
    expect((await send('/%zz', { headers: cookie })).status).toBe(400)
  })

  it('sends the security headers, CSP included, on every answer: redirects, refusals and errors', async () => {
    const answers = [
      await send(`/?token=${TOKEN}`),
      await send('/'),
      await send('/', { headers: { ...cookie, host: 'evil.example' } }),
      await send('/rpc/system:status', { headers: cookie }),
      await send('/%zz', { headers: cookie }),
      await rpc('system:status', {})
    ]
    expect(answers.map((a) => a.status)).toEqual([303, 401, 403, 405, 400, 200])
    for (const a of answers) {
      expect(a.headers['content-security-policy'], String(a.status)).toBe(APP_CSP)
      expect(a.headers['x-content-type-options']).toBe('nosniff')
      expect(a.headers['x-frame-options']).toBe('DENY')
    }
  })

  it("sends them on Node's own answers to requests it cannot parse (clientError)", async () => {
    const answer = await rawRequest(web.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n')
    const [head] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request/)
    expect(head.toLowerCase()).toContain(`content-security-policy: ${APP_CSP}`.toLowerCase())
    expect(head.toLowerCase()).toContain('x-frame-options: deny')
  })

  it('keeps both sessions working when a second server runs on another port (cookies ignore the port)', async () => {
    const second = await startWebServer({
      dispatch: core.dispatch,
      rendererDir: renderer,
      port: 0,
      sessionToken: 'second-token-0123456789abcdef'
    })
    try {
      // A browser keeps one cookie jar for 127.0.0.1, whatever the port: log in to both, then use both.
      const jar = new Map<string, string>()
      for (const [port, token] of [
        [web.port, TOKEN],
        [second.port, second.sessionToken]
      ] as const) {
        const login = await send(`/?token=${token}`, { port })
        const [pair] = String(login.headers['set-cookie']).split(';')
        const [name, value] = pair.split('=')
        jar.set(name, value)
      }
      const jarHeader = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }
      expect((await rpc('system:status', {}, jarHeader, web.port)).status).toBe(200)
      expect((await rpc('system:status', {}, jarHeader, second.port)).status).toBe(200)
    } finally {
      await second.close()
    }
  })
})

describe('web mode stop', () => {
  it('close() ends with connections still open: a keep-alive one and one that never sent a request', async () => {
    const own = await startWebServer({ dispatch: core.dispatch, rendererDir: renderer, port: 0, sessionToken: TOKEN })
    // A browser keeps its last connection alive and opens spare ones ahead of need (preconnect).
    const spare = connect(own.port, '127.0.0.1')
    await new Promise((ok) => spare.once('connect', ok))
    const kept = connect(own.port, '127.0.0.1')
    await new Promise((ok) => kept.once('connect', ok))
    kept.write(`GET /rpc/x HTTP/1.1\r\nHost: 127.0.0.1:${own.port}\r\nConnection: keep-alive\r\n\r\n`)
    await new Promise((ok) => kept.once('data', ok))
    const ended = (s: typeof spare) => new Promise((ok) => s.once('close', ok))
    const closed = Promise.all([ended(spare), ended(kept)])
    const outcome = await Promise.race([
      own.close().then(() => 'closed'),
      new Promise((ok) => setTimeout(() => ok('still open after 10 s'), 10_000))
    ])
    expect(outcome).toBe('closed')
    await closed
  }, 20_000)
})

describe('web mode start', () => {
  it('prints the URL before it opens the store, and the first RPC waits for the store', async () => {
    const lines: string[] = []
    let release!: () => void
    const slowOpen = new Promise<void>((ok) => (release = ok))
    const linesWhenOpened: string[][] = []
    const serving = await serveConsole({
      rendererDir: renderer,
      port: 0,
      sessionToken: TOKEN,
      out: (l) => lines.push(l),
      err: () => undefined,
      open: async () => {
        linesWhenOpened.push([...lines])
        await slowOpen
        return core
      }
    })
    try {
      expect(lines).toEqual([`${serving.web.sessionUrl}\n`])
      const headers = { cookie: `${serving.web.cookieName}=${TOKEN}` }
      const answer = rpc('system:status', {}, headers, serving.web.port)
      let answered = false
      void answer.then(() => (answered = true))
      await new Promise((ok) => setTimeout(ok, 100))
      expect(answered).toBe(false)
      release()
      const r = await answer
      expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { dataDir: core.dataDir } })
      expect(linesWhenOpened).toEqual([[`${serving.web.sessionUrl}\n`]])
    } finally {
      await serving.web.close()
    }
  })

  it('answers RPCs with the coded error when the store cannot be opened', async () => {
    const errors: string[] = []
    const serving = await serveConsole({
      rendererDir: renderer,
      port: 0,
      sessionToken: TOKEN,
      out: () => undefined,
      err: (l) => errors.push(l),
      open: () => {
        throw Object.assign(new Error('x'), { code: 'IO' })
      }
    })
    try {
      const r = await rpc('system:status', {}, { cookie: `${serving.web.cookieName}=${TOKEN}` }, serving.web.port)
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
      expect(errors.join('')).toContain('could not be opened')
    } finally {
      await serving.web.close()
    }
  })

  it('`tokendesk serve` writes the URL line before the store is opened', async () => {
    const order: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      order.push(`stdout:${String(chunk)}`)
      return true
    })
    const note = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const previous = process.env.TOKENDESK_RENDERER_DIR
    process.env.TOKENDESK_RENDERER_DIR = renderer
    const ctx = {
      dataDir: core.dataDir,
      load: async () => {},
      open: () => {
        order.push('open')
        return core
      }
    } as unknown as CliContext
    const program = new Command()
    registerServeCommand(program, ctx)
    const running = program.parseAsync(['serve', '--port', '0'], { from: 'user' })
    try {
      await vi.waitFor(() => expect(order).toContain('open'))
      expect(order[0]).toMatch(/^stdout:http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n$/)
      expect(order.indexOf('open')).toBeGreaterThan(0)
    } finally {
      process.emit('SIGINT')
      await running
      write.mockRestore()
      note.mockRestore()
      if (previous === undefined) delete process.env.TOKENDESK_RENDERER_DIR
      else process.env.TOKENDESK_RENDERER_DIR = previous
    }
  })
  it('`tokendesk serve` writes the URL line before the services load', async () => {
    const order: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      order.push(`stdout:${String(chunk)}`)
      return true
    })
    const note = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const load = vi.spyOn(CliContext.prototype, 'load').mockImplementation(async () => {
      order.push('load')
    })
    const open = vi.spyOn(CliContext.prototype, 'open').mockImplementation(() => {
      order.push('open')
      return core as unknown as ReturnType<CliContext['open']>
    })
    const previous = process.env.TOKENDESK_RENDERER_DIR
    process.env.TOKENDESK_RENDERER_DIR = renderer
    const { program } = await buildProgram(['serve', '--port', '0'])
    const running = program.parseAsync(['serve', '--port', '0'], { from: 'user' })
    try {
      await vi.waitFor(() => expect(order).toContain('open'))
      expect(order[0]).toMatch(/^stdout:http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n$/)
      expect(order.slice(1)).toEqual(['load', 'open'])
    } finally {
      process.emit('SIGINT')
      await running
      for (const spy of [write, note, load, open]) spy.mockRestore()
      if (previous === undefined) delete process.env.TOKENDESK_RENDERER_DIR
      else process.env.TOKENDESK_RENDERER_DIR = previous
    }
  })
})
