import { request as httpRequest } from 'node:http'
import { test, expect } from './fixtures'
import { T } from '../../src/renderer/src/testids'

/** Plain Node HTTP, so Host and Origin are exactly what the test says (a browser would not let us forge them). */
function raw(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((ok, bad) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }))
      }
    )
    req.on('error', bad)
    req.end(opts.body)
  })
}

test.describe('web mode guard', () => {
  test('no session token -> 401, on pages and on RPC', async ({ serve }) => {
    const host = `127.0.0.1:${serve.port}`
    expect((await raw(serve.port, { path: '/', headers: { host } })).status).toBe(401)
    const rpc = await raw(serve.port, {
      path: '/rpc/system:status',
      method: 'POST',
      headers: { host, 'content-type': 'application/json' },
      body: '{}'
    })
    expect(rpc.status).toBe(401)
    // A wrong token is no better than none.
    expect((await raw(serve.port, { path: '/?token=wrong', headers: { host } })).status).toBe(401)
    // The right one works (so the 401s above are about the token, not a broken server).
    const okRpc = await raw(serve.port, {
      path: '/rpc/system:status',
      method: 'POST',
      headers: { host, 'content-type': 'application/json', cookie: `tokendesk_session_${serve.port}=${serve.token}` },
      body: '{}'
    })
    expect(okRpc.status).toBe(200)
    expect(JSON.parse(okRpc.body)).toMatchObject({ ok: true, value: { dataDir: serve.dataDir } })
  })

  test('wrong Host -> 403 even with the session token (DNS rebinding)', async ({ serve }) => {
    const r = await raw(serve.port, {
      path: '/rpc/system:status',
      method: 'POST',
      headers: {
        host: `evil.example:${serve.port}`,
        'content-type': 'application/json',
        cookie: `tokendesk_session_${serve.port}=${serve.token}`
      },
      body: '{}'
    })
    expect(r.status).toBe(403)
  })

  test('foreign Origin -> 403 even with the session token (cross-site requests)', async ({ serve }) => {
    const r = await raw(serve.port, {
      path: '/rpc/system:status',
      method: 'POST',
      headers: {
        host: `127.0.0.1:${serve.port}`,
        origin: 'http://evil.example',
        'content-type': 'application/json',
        cookie: `tokendesk_session_${serve.port}=${serve.token}`
      },
      body: '{}'
    })
    expect(r.status).toBe(403)
  })

  test('the console loads in Chromium; the status bar shows the real data folder and keychain state', async ({
    app,
    serve,
    page
  }) => {
    // The token left the address bar (traded for an HttpOnly cookie).
    expect(page.url()).not.toContain('token=')
    await expect(app.statusBar.dataDir).toHaveText(serve.dataDir)
    await expect(app.statusBar.schema).toHaveText(/^v\d+$/)
    // The tests run inside scripts/with-keyring.sh: a real Secret Service, so the keychain is reachable.
    await expect(app.statusBar.keychain).toContainText('keychain available')
    // The same facts straight from the server, so the UI is not showing something made up.
    const status = await page.evaluate(async () => {
      const r = await fetch('/rpc/system:status', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}'
      })
      return r.json()
    })
    expect(status.ok).toBe(true)
    await expect(app.statusBar.schema).toHaveText(`v${status.value.schemaVersion}`)
    expect(status.value.keychain.available).toBe(true)
    await expect(app.id(T.keychainBanner)).toHaveCount(0)
    await app.screenshot('web-mode-status-bar')
  })
})
