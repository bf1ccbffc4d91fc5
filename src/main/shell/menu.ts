import type { MenuItemConstructorOptions } from 'electron'
import type { ShellEvent, Screen, ShellCommand } from '../../shared/shell-events'

/**
 * The application menu: the usual roles (so copy/paste, undo, zoom, full screen and quit behave as in any native app)
 * plus the console's main actions, each of which only sends a shell event to the renderer. Pure: index.ts passes the
 * template to Menu.buildFromTemplate; tests inspect it.
 */
export interface MenuOptions {
  platform: NodeJS.Platform
  appName: string
  /** Development builds keep the DevTools toggle; packaged builds do not offer it. */
  devTools: boolean
  send(event: ShellEvent): void
}

const SCREEN_LABELS: Record<Screen, string> = {
  tokens: 'Tokens',
  accessTokens: 'Access Tokens',
  ssoApps: 'SSO Apps',
  jwt: 'JWT',
  keys: 'Keys',
  connections: 'Connections',
  audit: 'Audit',
  settings: 'Settings',
  inventory: 'Inventory'
}

const COMMANDS: { command: ShellCommand; label: string; accelerator: string }[] = [
  { command: 'newToken', label: 'New Token…', accelerator: 'CmdOrCtrl+N' },
  { command: 'newKey', label: 'New Signing Key…', accelerator: 'CmdOrCtrl+Shift+N' },
  { command: 'signJwt', label: 'Sign a JWT…', accelerator: 'CmdOrCtrl+J' }
]

export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin'
  const screens = Object.entries(SCREEN_LABELS) as [Screen, string][]
  const template: MenuItemConstructorOptions[] = []
  if (mac) {
    template.push({
      label: opts.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'Cmd+,', click: () => opts.send({ type: 'navigate', screen: 'settings' }) },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' }
      ]
    })
  }
  template.push({
    label: 'File',
    submenu: [
      ...COMMANDS.map((c): MenuItemConstructorOptions => ({
        label: c.label,
        accelerator: c.accelerator,
        click: () => opts.send({ type: 'command', command: c.command })
      })),
      { type: 'separator' },
      { label: 'Lock Now', accelerator: 'CmdOrCtrl+L', click: () => opts.send({ type: 'lock', reason: 'menu' }) },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' }
    ]
  })
  template.push({ role: 'editMenu' })
  template.push({
    label: 'View',
    submenu: [
      {
        label: 'Command Palette…',
        accelerator: 'CmdOrCtrl+K',
        click: () => opts.send({ type: 'command', command: 'commandPalette' })
      },
      { label: 'Refresh Data', accelerator: 'F5', click: () => opts.send({ type: 'command', command: 'refresh' }) },
      { type: 'separator' },
      ...screens.map(([screen, label], i): MenuItemConstructorOptions => ({
        label,
        accelerator: `CmdOrCtrl+${i + 1}`,
        click: () => opts.send({ type: 'navigate', screen })
      })),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.devTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : [])
    ]
  })
  template.push({ role: 'windowMenu' })
  return template
}
