import { afterAll, describe, expect, it, vi } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const scratch = mkdtempSync(join(tmpdir(), 'tokendesk-noelectron-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/**
 * A machine where Electron cannot be obtained, made deterministic anywhere: no installed binary (an empty override
 * folder), an empty download cache, and a download mirror on a closed loopback port.
 */
const noElectron = {
  ...process.env,
  ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'dist'),
  ELECTRON_MIRROR: 'http://127.0.0.1:9/',
  electron_config_cache: join(scratch, 'cache'),
  DISPLAY: ':99'
}

function run(script: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', script), ...args], {
    cwd: root,
    env: noElectron,
    encoding: 'utf8',
    timeout: 120_000
  })
  return { code: r.status, out: `${r.stdout}`, err: `${r.stderr}` }
}

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m)

/** Starts scripts/start.mjs in the background; resolves once its stdout has printed the console's URL. */
function startInBackground(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), ...args], { cwd: root, env })
  let out = ''
  let err = ''
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${err}`)))
  })
  const stopped = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, url, stopped, output: () => ({ out, err }) }
}

/** What a browser does with the printed URL: trade the token for the cookie, then load the page and its script. */
async function loadConsole(url: string) {
  const login = await fetch(url, { redirect: 'manual' })
  expect(login.status).toBe(303)
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]
  const page = await fetch(new URL('/', url), { headers: { cookie } })
  expect(page.status).toBe(200)
  const html = await page.text()
  expect(html).toContain('<div id="root">')
  const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1]
  expect(script).toBeTruthy()
  const js = await fetch(new URL(script!, url), { headers: { cookie } })
  expect(js.status).toBe(200)
  expect(js.headers.get('content-type')).toContain('javascript')
}

const built = existsSync(join(root, 'out', 'main', 'cli.js')) && existsSync(join(root, 'out', 'renderer', 'index.html'))

describe('npm start where Electron cannot be obtained', () => {
  it.runIf(built)('says so in one line and serves the console in the browser instead; Ctrl+C stops it', async () => {
    const started = startInBackground(['--port', '0'], {
      ...noElectron,
      TOKENDESK_DATA: join(scratch, 'data'),
      TOKENDESK_BROWSER: 'none'
    })
    try {
      const url = await started.url
      await loadConsole(url)
      const { out, err } = started.output()
      noStack(err)
      const notes = err.split('\n').filter((l) => /desktop window/.test(l))
      expect(notes).toHaveLength(1)
      expect(notes[0]).toMatch(
        /^TokenDesk cannot open its desktop window here \(no Electron \d+\.\d+\.\d+ binary .*\): starting the web console instead\.$/
      )
      expect(out).toContain(`Open the console in your browser: ${url}`)
    } finally {
      started.child.kill('SIGINT')
    }
    expect(await started.stopped).toBe(0)
  })

  it.runIf(built && process.platform !== 'win32')(
    'opens the URL with the default browser when there is one',
    async () => {
      const opened = join(scratch, 'opened.txt')
      const opener = join(scratch, 'browser.sh')
      writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`)
      chmodSync(opener, 0o755)
      const started = startInBackground(['--web', '--port', '0'], {
        ...noElectron,
        TOKENDESK_DATA: join(scratch, 'data2'),
        TOKENDESK_BROWSER: opener
      })
      let url = ''
      try {
        url = await started.url
        await vi.waitFor(() => expect(existsSync(opened) && readFileSync(opened, 'utf8')).toBe(url))
        // --web asks for the browser directly: no Electron lookup, no note about the desktop window.
        expect(started.output().err).not.toMatch(/desktop window/)
        expect(started.output().out).toContain(`Opened in your browser: ${url}`)
      } finally {
        started.child.kill('SIGINT')
      }
      await started.stopped
      // The server went with it: nothing answers on its port.
      await expect(fetch(url)).rejects.toThrow()
    }
  )
})

describe('npm run dev where Electron cannot be obtained', () => {
  it('says so in one line and names npm run dev:web', () => {
    const r = run('dev.mjs')
    expect(r.code).toBe(1)
    noStack(r.err)
    const lines = r.err.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^npm run dev needs the Electron binary \(.+\); `npm run dev:web` runs the console in a browser\.$/
    )
  })
})

describe('npm run package:linux where Electron cannot be downloaded', () => {
  it.runIf(process.platform === 'linux')('fails with one clear sentence', () => {
    const r = run('package.mjs', ['linux'])
    expect(r.code).toBe(1)
    noStack(r.err)
    const lines = r.err.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^Cannot package TokenDesk for linux: the Electron \S+ binary could not be downloaded \(.+\), so no AppImage or deb was produced\.$/
    )
  })

  it('refuses an unknown platform with its usage', () => {
    const r = run('package.mjs', ['beos'])
    expect(r.code).toBe(1)
    expect(r.err.trim()).toBe('Usage: node scripts/package.mjs linux|mac|win [electron-builder options]')
  })
})
