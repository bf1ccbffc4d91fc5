// The Electron shell only: window, security settings, IPC binding, app lifecycle. Services live in ./core.
import { app, BrowserWindow, ipcMain } from 'electron'
import { join } from 'node:path'
import { channels } from '../shared/contract'
import { createCore, type Core } from './core'
import { isTrustedSender } from './shell/sender'

let core: Core | null = null

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'TokenDesk',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false
    }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadFile(join(__dirname, '../renderer/index.html'))
  return win
}

function bindIpc(c: Core): void {
  for (const name of channels) {
    ipcMain.handle(name, (event, input) => {
      if (!isTrustedSender(event, ['file://'])) return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from an untrusted frame' } }
      return c.dispatch(name, input)
    })
  }
}

void app.whenReady().then(() => {
  core = createCore({ dataDir: app.getPath('userData'), mode: 'electron' })
  bindIpc(core)
  createWindow()
})

app.on('window-all-closed', () => {
  core?.close()
  app.quit()
})
