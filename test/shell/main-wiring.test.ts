import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { channels } from '../../src/shared/contract'
import { APP_CSP } from '../../src/main/shell/csp'
import { electronBindingDir } from '../../src/main/shell/native'
import { SHELL_EVENT } from '../../src/shared/shell-events'

/**
 * The BUILT main bundle (out/main/index.js) under plain Node with a stand-in `electron` (fixtures/electron-stand-in.cjs):
 * shows that index.ts wires every checklist item (scheme before ready, sandbox, webPreferences, sender-checked IPC from
 * the contract, navigation/window-open/webview locks, permissions, network lock, app:// with CSP, menu, deep links)
 * and that the real core answers through it. What it cannot show is Chromium enforcing them: the _electron suite does.
 */
const root = join(__dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'tokendesk-standin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function runShell() {
  // Under Node the "Electron" ABI is Node's: the Node build stands in for the Electron build, in the stand-in app folder.
  const bindingDir = electronBindingDir(join(dir, 'app'), 'standin', process.platform, process.arch)
  mkdirSync(bindingDir, { recursive: true })
  copyFileSync(
    join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
    join(bindingDir, 'better_sqlite3.node')
  )
  const r = spawnSync(
    process.execPath,
    ['--require', join(__dirname, 'fixtures', 'electron-stand-in.cjs'), join(root, 'out', 'main', 'index.js')],
    {
      cwd: root,
      env: { ...process.env, STANDIN_DIR: dir, TOKENDESK_USER_DATA: join(dir, 'user-data') },
      encoding: 'utf8',
      timeout: 60_000
    }
  )
  const line = r.stdout.split('\n').find((l) => l.startsWith('STANDIN-REPORT '))
  if (!line) throw new Error(`no report; exit ${r.status}; stderr: ${r.stderr}`)
  return JSON.parse(line.slice('STANDIN-REPORT '.length))
}

// One run of the shell serves every test below.
let report: ReturnType<typeof runShell> | undefined
function shell() {
  expect(existsSync(join(root, 'out', 'main', 'index.js')), 'build first: npx electron-vite build').toBe(true)
  report ??= runShell()
  return report
}

/** The start-up milestones, in the order a secure start that paints before the store opens must reach them. */
const START_ORDER = [
  'enableSandbox',
  'registerSchemesAsPrivileged',
  'requestSingleInstanceLock',
  'ready',
  'setPermissionRequestHandler',
  'setPermissionCheckHandler',
  'setDevicePermissionHandler',
  'setDisplayMediaRequestHandler',
  'onBeforeRequest',
  'protocol.handle',
  'ipcMain.handle',
  'BrowserWindow',
  'loadURL',
  'show',
  'store:open'
]

describe('main process wiring (built bundle, stand-in electron)', () => {
  it('starts in order: sandbox, app://, permissions, IPC, a secure window shown before the store opens', () => {
    const r = shell()
    expect(r.crash).toBeUndefined()
    expect(r.errors).toEqual([])
    const steps: string[] = r.calls.map((c: unknown[]) => c[0])
    // Each milestone by its first occurrence (later ones, e.g. a focus's show(), do not count).
    expect([...new Set(steps.filter((s) => START_ORDER.includes(s)))]).toEqual(START_ORDER)
    // Every contract channel is bound before the window loads, so no early call meets a missing handler.
    expect(steps.lastIndexOf('ipcMain.handle')).toBeLessThan(steps.indexOf('BrowserWindow'))
    expect(r.calls.filter((c: unknown[]) => c[0] === 'ipcMain.handle').map((c: unknown[]) => c[1])).toEqual([
      ...channels
    ])
    expect(r.calls.find((c: unknown[]) => c[0] === 'BrowserWindow')).toEqual(['BrowserWindow', true])
    expect(r.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    })
    // The store opens once; calls made before it opened were answered by it (the status below went through it).
    expect(steps.filter((s) => s === 'store:open')).toHaveLength(1)
    expect(r.ipc.trusted).toMatchObject({ ok: true })
  })

  it('applies every checklist item', () => {
    const r = shell()
    expect(r.crash).toBeUndefined()
    expect(r.errors).toEqual([])

    // Before ready: userData (dev only), the app:// scheme, the sandbox, the single-instance lock.
    expect(r.schemes).toEqual({
      schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
      isReady: false
    })
    expect(r.calls).toEqual(
      expect.arrayContaining([
        ['setPath', 'userData', false],
        ['enableSandbox', false],
        ['requestSingleInstanceLock', false]
      ])
    )
    expect(r.calls.find((c: unknown[]) => c[0] === 'setAsDefaultProtocolClient')).toBeUndefined() // dev builds do not claim tokendesk://

    expect(r.windows).toBe(1)
    expect(r.loaded).toBe('app://tokendesk/index.html')
    expect(r.webPreferences).toMatchObject({
      preload: join('out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false
    })
    expect(r.webPreferences.enableBlinkFeatures).toBeUndefined()
    expect(r.webPreferences.devTools).toBe(true) // a development run; packaged builds pass !app.isPackaged = false

    // IPC: exactly the contract, sender checked first, then the real dispatch.
    expect(r.channels).toEqual([...channels].sort())
    expect(r.ipc.foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(r.ipc.subframe).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(r.ipc.trusted).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: join(dir, 'user-data') } })
    expect(r.ipc.invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

    expect(r.navigation).toEqual({ app: false, https: true, file: true, webview: true })
    // Subframes stay on our origin; the main frame is will-navigate's (so a link is not opened twice).
    expect(r.frames).toEqual({ subApp: false, subHttps: true, main: false })
    expect(r.windowOpen).toEqual([{ action: 'deny' }, { action: 'deny' }])
    expect(r.opened).toEqual(['https://example.com/docs', 'https://example.com/new'])

    expect(r.protocol).toEqual({ status: 200, csp: APP_CSP, isApp: true, traversal: 403 })
    expect(r.permissions).toEqual({
      granted: false,
      check: false,
      device: false,
      filter: { urls: ['<all_urls>'] },
      cancelled: true
    })
    expect(r.menu).toEqual(['File', 'editMenu', 'View', 'windowMenu'])

    expect(r.sentBeforeLoad).toBe(0)
    expect(r.sent).toEqual([
      [SHELL_EVENT, { type: 'openToken', id: 'abc' }],
      [SHELL_EVENT, { type: 'navigate', screen: 'audit' }]
    ])
  })

  it('runs the expiry watch: a report becomes a native notification whose click opens the Inventory on the window', () => {
    const w = shell().watch
    expect(w.scheduled).toBe(true)
    expect(w.shown).toEqual([
      {
        title: 'TokenDesk: 1 token expiring within 14 days',
        body: 'due_soon (local). Click to open them in the Inventory.',
        shown: 1
      }
    ])
    expect(w.sent).toEqual([[SHELL_EVENT, { type: 'openInventory', expiringWithin: 14 }]])
  })
})
