import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppProtocolHandler, resolveAppPath } from '../../src/main/shell/protocol'
import { APP_CSP } from '../../src/main/shell/csp'

let base: string
let root: string

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tokendesk-protocol-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>shell</title>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
  // A file beside the renderer folder that traversal would reach.
  writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET')
  mkdirSync(join(base, 'renderer-evil'))
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil')
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => createAppProtocolHandler({ root })(new Request(url, { method }))

describe('app:// protocol handler (checklist: custom protocol instead of file://)', () => {
  it('serves the renderer with the right types', async () => {
    const index = await get('app://tokendesk/index.html')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await index.text()).toContain('<title>shell</title>')
    const js = await get('app://tokendesk/assets/app.js')
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await get('app://tokendesk/')).status).toBe(200)
  })

  it('falls back to the app shell for client routes, 404 for missing assets', async () => {
    expect(await (await get('app://tokendesk/tokens/abc')).text()).toContain('<title>shell</title>')
    expect((await get('app://tokendesk/assets/missing.js')).status).toBe(404)
  })

  it('refuses path traversal in every spelling', async () => {
    const urls = [
      'app://tokendesk/%2e%2e/secret.txt',
      'app://tokendesk/assets/%2E%2E/%2E%2E/secret.txt',
      'app://tokendesk/..%2fsecret.txt',
      'app://tokendesk/..%5csecret.txt',
      'app://tokendesk/assets%2f..%2f..%2fsecret.txt',
      'app://tokendesk/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://tokendesk/%00index.html',
      'app://tokendesk/C:%5cwindows%5cwin.ini',
      'app://tokendesk/%2fetc%2fpasswd'
    ]
    for (const url of urls) {
      const r = await get(url)
      const body = await r.text()
      expect(r.status, url).toBeGreaterThanOrEqual(400)
      expect(body, url).not.toContain('TOP-SECRET')
    }
    // Plain `..` is normalized by the URL parser before it reaches us, and stays inside the root.
    const normalized = await get('app://tokendesk/../../secret.txt')
    expect(await normalized.text()).not.toContain('TOP-SECRET')
  })

  it('resolveAppPath never yields a file outside the root, nor a sibling folder sharing its prefix', () => {
    expect(resolveAppPath(root, 'app://tokendesk/assets/app.js')).toEqual({
      ok: true,
      file: join(root, 'assets', 'app.js')
    })
    // The URL parser turns %2e%2e into a `..` segment and drops it: what is left is looked up inside the root.
    const dotted = resolveAppPath(root, 'app://tokendesk/%2e%2e/renderer-evil/x.js')
    expect(dotted).toEqual({ ok: true, file: join(root, 'renderer-evil', 'x.js') })
    expect(resolveAppPath(root, 'app://tokendesk/..%2frenderer-evil%2fx.js').ok).toBe(false)
    expect(resolveAppPath(root, 'app://tokendesk/a%5c..%5c..%5crenderer-evil%5cx.js').ok).toBe(false)
  })

  it('serves no other host and no other method', async () => {
    expect((await get('app://evil/index.html')).status).toBe(403)
    expect((await get('app://tokendesk/index.html', 'POST')).status).toBe(405)
    expect((await get('app://tokendesk/index.html', 'HEAD')).status).toBe(200)
  })

  it('puts the CSP header on every response, errors included', async () => {
    for (const url of [
      'app://tokendesk/index.html',
      'app://tokendesk/assets/app.js',
      'app://tokendesk/assets/missing.js',
      'app://tokendesk/%2e%2e/secret.txt',
      'app://evil/'
    ])
      expect((await get(url)).headers.get('content-security-policy'), url).toBe(APP_CSP)
    expect((await get('app://tokendesk/index.html')).headers.get('x-content-type-options')).toBe('nosniff')
  })
})
