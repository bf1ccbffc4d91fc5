import { test, expect, _electron as electron, type ElectronApplication, type Page } from '@playwright/test'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { channels, contract, splitChannel } from '../../src/shared/contract'
import { ERROR_CODES } from '../../src/shared/errors'
import { APP_CSP } from '../../src/main/shell/csp'
import { electronBinary, launchArgs, ROOT, skipReason } from './env'

const reason = skipReason()
// The list reporter does not print skip annotations: say it once, plainly, in the run's output too.
if (reason) console.log(`[electron] skipping the desktop shell suite: ${reason}`)

test.describe('desktop shell (Playwright _electron)', () => {
  test.skip(reason !== null, `Electron suite skipped: ${reason}`)

  let app: ElectronApplication
  let page: Page
  let userData: string

  test.beforeAll(async () => {
    // Bruno's rule: every run gets a fresh user-data folder (store, window state, Chromium profile).
    userData = mkdtempSync(join(tmpdir(), 'tokendesk-electron-'))
    app = await electron.launch({
      executablePath: electronBinary()!,
      args: [...launchArgs(), ROOT],
      cwd: ROOT,
      env: { ...process.env, TOKENDESK_USER_DATA: userData } as Record<string, string>
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })

  test.afterAll(async () => {
    await app?.close()
    if (userData) rmSync(userData, { recursive: true, force: true })
  })

  test('launches one window served from app://tokendesk', async () => {
    expect(page.url()).toBe('app://tokendesk/index.html')
    expect(app.windows()).toHaveLength(1)
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]
      return { title: w.getTitle(), visible: w.isVisible() }
    })
    expect(prefs.title).toBe('TokenDesk')
  })

  test('window.tokendesk is present; require, process and ipcRenderer are not', async () => {
    const seen = await page.evaluate(() => {
      const g = globalThis as any
      return {
        tokendesk: typeof g.tokendesk,
        shell: typeof g.tokendeskShell?.onShellEvent,
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
        ipcRenderer: typeof g.ipcRenderer,
        electron: typeof g.electron,
        domains: Object.keys(g.tokendesk ?? {}).sort()
      }
    })
    expect(seen).toEqual({
      tokendesk: 'object',
      shell: 'function',
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      domains: [...new Set(channels.map((c) => splitChannel(c).domain))].sort()
    })
  })

  test('one round trip per domain through the sender check and the dispatch', async () => {
    const domains = [...new Set(channels.map((c) => splitChannel(c).domain))]
    for (const domain of domains) {
      // A read channel with an empty input; a domain with only mutating channels gets an input that must fail
      // validation, so the round trip changes nothing.
      const read = channels.find((c) => c.startsWith(`${domain}:`) && !contract[c].mutates)
      const name = read ?? channels.find((c) => c.startsWith(`${domain}:`))!
      const { verb } = splitChannel(name)
      const input = read ? {} : { __probe__: true }
      const r: any = await page.evaluate(([d, v, i]) => (globalThis as any).tokendesk[d as string][v as string](i), [
        domain,
        verb,
        input
      ] as const)
      expect(typeof r?.ok, name).toBe('boolean')
      if (!r.ok) {
        expect(ERROR_CODES, `${name}: ${r.error.code}`).toContain(r.error.code)
        expect(r.error.code, name).not.toBe('FORBIDDEN')
      }
      if (!read) expect(r.ok, name).toBe(false)
    }
  })

  test('system:status reports the Electron mode, its data folder and the keychain', async () => {
    const r: any = await page.evaluate(() => (globalThis as any).tokendesk.system.status({}))
    expect(r.ok).toBe(true)
    expect(r.value.mode).toBe('electron')
    expect(r.value.dataDir).toBe(userData)
    expect(typeof r.value.keychain.available).toBe('boolean')
    // Inside scripts/with-keyring.sh (as `npm test` runs it) a real Secret Service is there.
    if (process.env.TOKENDESK_IN_KEYRING) expect(r.value.keychain).toMatchObject({ available: true })
  })

  test('navigation, new windows and the network are locked', async () => {
    await page.evaluate(() => {
      // http, so the refused navigation is not handed to the workstation's browser either.
      ;(globalThis as any).location.href = 'http://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe('app://tokendesk/index.html')
    expect(await page.evaluate(() => (globalThis as any).open('app://tokendesk/index.html') === null)).toBe(true)
    expect(app.windows()).toHaveLength(1)
    const fetched = await page.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'loaded',
        () => 'blocked'
      )
    )
    expect(fetched).toBe('blocked')
    expect(await page.evaluate(() => (globalThis as any).document.querySelectorAll('webview').length)).toBe(0)
  })

  test('app:// serves with the CSP header and refuses traversal', async () => {
    const r = await page.evaluate(async () => {
      const ok = await fetch('app://tokendesk/index.html')
      const bad = await fetch('app://tokendesk/..%2fmain%2findex.js')
      return { csp: ok.headers.get('content-security-policy'), status: bad.status, body: await bad.text() }
    })
    expect(r.csp).toBe(APP_CSP)
    expect(r.status).toBe(403)
    expect(r.body).not.toContain('require(')
  })

  test('permission requests are denied', async () => {
    const answer = await page.evaluate(() => (globalThis as any).Notification.requestPermission())
    expect(answer).toBe('denied')
  })

  test('a second instance hands over and exits', async () => {
    const second = spawn(electronBinary()!, [...launchArgs(), ROOT, 'tokendesk://open/audit'], {
      cwd: ROOT,
      env: { ...process.env, TOKENDESK_USER_DATA: userData },
      stdio: 'ignore'
    })
    const code = await new Promise<number | null>((done) => second.on('exit', (c) => done(c)))
    expect(code).toBe(0)
    expect(app.windows()).toHaveLength(1)
  })
})
