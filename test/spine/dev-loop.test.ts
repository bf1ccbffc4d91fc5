import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../helpers/core'
import { devRendererUrl, isDevServerUrl } from '../../src/main/shell/dev-url'

const root = join(__dirname, '..', '..')
const data = tempDir('tokendesk-devweb-')
afterAll(() => rmSync(data, { recursive: true, force: true }))

describe('npm run dev: the dev-server URL', () => {
  it('is used only by an unpackaged app, and only for plain http on loopback', () => {
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/')
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, false)).toBe('http://127.0.0.1:5173/')
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeNull()
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeNull()
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://10.0.0.1:5173/' }, false)).toBeNull()
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'file:///etc/passwd' }, false)).toBeNull()
    expect(devRendererUrl({}, false)).toBeNull()
  })

  it("lets through the dev server's pages and hot-reload socket, nothing else", () => {
    const dev = 'http://localhost:5173/'
    expect(isDevServerUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true)
    expect(isDevServerUrl('ws://localhost:5173/?token=x', dev)).toBe(true)
    expect(isDevServerUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isDevServerUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isDevServerUrl('http://localhost:5173/', null)).toBe(false)
  })
})

describe('npm run dev:web', () => {
  it.runIf(existsSync(join(root, 'out', 'main', 'cli.js')))(
    "serves the console from vite's dev server (hot reload) with the RPC behind it",
    async () => {
      const child = spawn(process.execPath, [join(root, 'scripts', 'dev-web.mjs')], {
        cwd: root,
        env: { ...process.env, TOKENDESK_DATA: data, TOKENDESK_DEV_PORT: '0' }
      })
      const stopped = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)))
      try {
        const url = await new Promise<string>((ok, bad) => {
          let out = ''
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString()
            const m = /hot reload: (http:\/\/\S+)/.exec(out)
            if (m) ok(m[1])
          })
          child.on('exit', (code) => bad(new Error(`dev:web exited with ${code}`)))
        })
        const html = await (await fetch(url)).text()
        expect(html).toContain('<div id="root">')
        expect(html).toContain('/@vite/client')
        const module = await fetch(new URL('/src/main.tsx', url))
        expect(module.status).toBe(200)
        expect(module.headers.get('content-type')).toContain('javascript')
        const origin = new URL(url).origin
        const status = await fetch(new URL('/rpc/system:status', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: '{}'
        })
        expect(await status.json()).toMatchObject({ ok: true, value: { dataDir: data } })
        const foreign = await fetch(new URL('/rpc/system:status', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
          body: '{}'
        })
        expect(foreign.status).toBe(403)
      } finally {
        child.kill('SIGINT')
      }
      expect(await stopped).toBe(0)
    },
    60_000
  )
})
