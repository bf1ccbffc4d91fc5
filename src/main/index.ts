// The Electron shell only: window, security settings, IPC binding, app lifecycle. Services live in ./core; every
// security decision lives in ./shell as a pure, unit-tested function. The README's security checklist table maps each
// Electron checklist item to the line here that applies it and the test that shows it.
import { createErrorLog, LOG_DIR, type ErrorLog } from './audit/logfile'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  powerMonitor,
  protocol,
  screen,
  session
} from 'electron'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { channels } from '../shared/contract'
import { SHELL_EVENT, ShellEvent } from '../shared/shell-events'
import type { Core } from './core'
import { APP_ENTRY, APP_ORIGIN, APP_SCHEME, originOf } from './shell/origin'
import { devRendererUrl, isDevServerUrl } from './shell/dev-url'
import { createAppProtocolHandler } from './shell/protocol'
import { bindContract } from './shell/ipc'
import { decideNavigation, decideWindowOpen, isBlockedRendererRequest } from './shell/navigation'
import { openExternalSafe } from './shell/links'
import { denyAllPermissions } from './shell/permissions'
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink } from './shell/deeplink'
import { buildMenuTemplate } from './shell/menu'
import { fitToDisplays, loadWindowState, saveWindowState, WINDOW_STATE_FILE } from './shell/window-state'
import { createIdleLock, DEFAULT_IDLE_LOCK_MINUTES, type IdleLock } from './shell/idle-lock'
import { createJobNotifier } from './shell/job-notifier'
import { createWatchNotifier } from './shell/watch-notifier'
import { resolveSqliteBinding } from './shell/native'
import { createCoreGate, type CoreGate } from './shell/core-gate'

// Development and the _electron test suite point userData at a throwaway folder; a packaged app ignores this.
if (!app.isPackaged && process.env.TOKENDESK_USER_DATA)
  app.setPath('userData', resolve(process.env.TOKENDESK_USER_DATA))

// Checklist: sandbox every renderer, whatever a window asks for.
app.enableSandbox()
// Checklist: the renderer comes from app://tokendesk, a privileged standard secure scheme (registered before ready).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
])

// `npm run dev` only: the renderer from electron-vite's dev server (hot reload); never in a packaged app.
const DEV_URL = devRendererUrl(process.env, app.isPackaged)

let core: Core | null = null
let win: BrowserWindow | null = null
let idleLock: IdleLock | null = null
let jobTimer: NodeJS.Timeout | null = null
let rendererReady = false
let storeOpening = false
let quitting = false
const STORE_OPEN_FALLBACK_MS = 3000
const pendingEvents: ShellEvent[] = []

/** The one main -> renderer message: a shell event, validated against its schema before it leaves main. */
function sendShellEvent(event: ShellEvent): void {
  const parsed = ShellEvent.safeParse(event)
  if (!parsed.success) return
  if (!win || win.isDestroyed() || !rendererReady) {
    pendingEvents.push(parsed.data)
    return
  }
  win.webContents.send(SHELL_EVENT, parsed.data)
}

function handleDeepLink(raw: string | null): void {
  if (!raw) return
  // Validated like any input; an unknown or malformed link is dropped without echoing it (it may carry a token).
  const event = parseDeepLink(raw)
  if (event) sendShellEvent(event)
  focusWindow()
}

function focusWindow(): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

function idleLockMinutes(): number {
  const n = Number(process.env.TOKENDESK_IDLE_LOCK_MINUTES)
  return Number.isInteger(n) && n >= 1 && n <= 24 * 60 ? n : DEFAULT_IDLE_LOCK_MINUTES
}

// The services (and their native addons) load after the window exists: the first paint does not wait for them.
async function startCore(log: ErrorLog): Promise<Core | null> {
  const nativeBinding = resolveSqliteBinding({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch
  })
  if (!existsSync(nativeBinding)) {
    dialog.showErrorBox(
      'TokenDesk cannot open its store',
      `The SQLite module built for Electron is missing (${nativeBinding}). Run "npm start", which prepares it, or reinstall TokenDesk.`
    )
    return null
  }
  try {
    const { createCore } = await import('./core')
    const onWatchReport = createWatchNotifier({ Notification, send: sendShellEvent, focus: focusWindow })
    return createCore({
      dataDir: app.getPath('userData'),
      mode: 'electron',
      nativeBinding,
      log,
      hygiene: { onWatchReport }
    })
  } catch (e) {
    dialog.showErrorBox('TokenDesk cannot open its store', e instanceof Error ? e.message : String(e))
    return null
  }
}

/** Opens the store behind the IPC gate once, then starts what needs it; quits when it cannot be opened. */
async function openStore(gate: CoreGate, log: ErrorLog): Promise<void> {
  if (storeOpening || quitting) return
  storeOpening = true
  const opened = await startCore(log)
  if (quitting) {
    opened?.close()
    gate.open(null)
    return
  }
  core = opened
  gate.open(opened)
  if (!opened) {
    app.exit(1)
    return
  }
  const notifier = createJobNotifier({
    listJobs: () => opened.deps.jobs.list(),
    inBackground: () => !win || win.isDestroyed() || !win.isVisible() || win.isMinimized() || !win.isFocused(),
    notify: (title, body) => {
      if (!Notification.isSupported()) return
      const n = new Notification({ title, body })
      n.on('click', focusWindow)
      n.show()
    }
  })
  jobTimer = setInterval(() => notifier.poll(), 2000)
  jobTimer.unref()
  // The expiry watch runs while the app does; its reports become notifications (createWatchNotifier).
  opened.services.hygiene.watch.start()
}

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE)
  const state = fitToDisplays(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea)
  )
  const icon = join(app.getAppPath(), 'resources', 'icon.png')
  const w = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'TokenDesk',
    ...(process.platform === 'linux' && existsSync(icon) ? { icon } : {}),
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      // Checklist: isolation, sandbox, no Node in any frame or worker, web security on, no <webview>.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Secrets are typed into fields: never hand them to a spelling service.
      spellcheck: false,
      devTools: !app.isPackaged
    }
  })
  if (state.maximized) w.maximize()

  let saveTimer: NodeJS.Timeout | null = null
  const persist = () => {
    if (w.isDestroyed()) return
    const b = w.getNormalBounds()
    try {
      saveWindowState(stateFile, { ...b, maximized: w.isMaximized() })
    } catch {
      // Remembering the window is a convenience; a read-only profile must not break the app.
    }
  }
  const persistSoon = () => {
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = setTimeout(persist, 500)
  }
  w.on('resize', persistSoon)
  w.on('move', persistSoon)
  w.on('close', () => {
    if (saveTimer) clearTimeout(saveTimer)
    persist()
  })

  w.once('ready-to-show', () => w.show())
  w.webContents.on('did-finish-load', () => {
    rendererReady = true
    for (const e of pendingEvents.splice(0)) w.webContents.send(SHELL_EVENT, e)
  })
  w.webContents.on('did-start-loading', () => {
    rendererReady = false
  })
  w.on('closed', () => {
    win = null
    rendererReady = false
  })
  void w.loadURL(DEV_URL ?? APP_ENTRY)
  return w
}

/** Checklist: navigation and new windows locked to the app's origin, for every webContents ever created. */
app.on('web-contents-created', (_e, contents) => {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isDevServerUrl(url, DEV_URL)) return
    const d = decideNavigation(url)
    if (d.allow) return
    event.preventDefault()
    if (d.openExternal) void openExternalSafe(d.openExternal)
  }
  contents.on('will-navigate', (event, url) => guard(event, url))
  contents.on('will-redirect', (event, url) => guard(event, url))
  // Subframes (will-navigate covers the main frame only): kept on our origin, never handed to the browser.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !decideNavigation(event.url).allow) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    const d = decideWindowOpen(url)
    if (d.openExternal) void openExternalSafe(d.openExternal)
    return { action: 'deny' }
  })
  // Checklist: no <webview>, even if a page tried to create one.
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

// Checklist: one instance. A second launch (e.g. a tokendesk:// link on Linux/Windows) hands its argv to this one.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_e, argv) => {
    focusWindow()
    handleDeepLink(findDeepLink(argv))
  })
  // macOS delivers deep links as open-url, possibly before ready.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    handleDeepLink(url)
  })
  if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)

  void app.whenReady().then(() => {
    const ses = session.defaultSession
    // Checklist: every permission request denied.
    denyAllPermissions(ses)
    // The renderer talks to services over IPC only: it never loads anything from the network or the disk.
    ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) =>
      callback({ cancel: isBlockedRendererRequest(details.url) && !isDevServerUrl(details.url, DEV_URL) })
    )
    // Checklist: custom protocol with traversal refused and the CSP header on every response.
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: join(__dirname, '../renderer') }))

    // Checklist: IPC bound from the contract only, the sender frame checked before the payload is parsed. Bound
    // before the window loads; calls made while the store opens wait for it (the shell paints meanwhile).
    const gate = createCoreGate()
    const origins = DEV_URL ? [APP_ORIGIN, originOf(DEV_URL) ?? APP_ORIGIN] : [APP_ORIGIN]
    // One error log for the data folder: refused senders are logged before the store opens, the core's failures after.
    const log = createErrorLog(join(app.getPath('userData'), LOG_DIR))
    bindContract(ipcMain, channels, gate.dispatch, { allowedOrigins: origins, log })

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          appName: app.name,
          devTools: !app.isPackaged,
          send: sendShellEvent
        })
      )
    )

    win = createWindow()
    handleDeepLink(findDeepLink(process.argv))
    // The store opens once the shell has painted: main also serves app://, so opening it first would hold the page's
    // own scripts. The timer covers a window that never paints (a renderer that crashed while loading).
    win.once('ready-to-show', () => void openStore(gate, log))
    setTimeout(() => void openStore(gate, log), STORE_OPEN_FALLBACK_MS).unref()

    idleLock = createIdleLock({
      minutes: idleLockMinutes(),
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
      onLock: () => sendShellEvent({ type: 'lock', reason: 'idle' })
    })
    powerMonitor.on('lock-screen', () => sendShellEvent({ type: 'lock', reason: 'screen-locked' }))
    powerMonitor.on('suspend', () => sendShellEvent({ type: 'lock', reason: 'suspend' }))

    app.on('activate', () => {
      if (!win) win = createWindow()
    })
  })
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('will-quit', () => {
  quitting = true
  idleLock?.stop()
  if (jobTimer) clearInterval(jobTimer)
  core?.close()
  core = null
})
