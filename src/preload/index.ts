import { contextBridge, ipcRenderer } from 'electron'
import { channels, splitChannel } from '../shared/contract'
import { SHELL_EVENT, ShellEvent, type TokenDeskShellApi } from '../shared/shell-events'

/**
 * Exposes the contract as named methods, `window.tokendesk.<domain>.<verb>(input)`, and nothing else: no raw
 * `invoke(channel)`, no ipcRenderer. Generated from the contract so a channel cannot be exposed without being in it.
 */
const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
for (const name of channels) {
  const { domain, verb } = splitChannel(name)
  api[domain] ??= {}
  api[domain][verb] = (input?: unknown) => ipcRenderer.invoke(name, input)
}

/**
 * The one main -> renderer stream (src/shared/shell-events.ts): menu actions, the idle lock, validated deep links.
 * The callback gets the parsed event only, never Electron's IPC event object (whose `sender` would hand the page
 * ipcRenderer itself).
 */
const shell: TokenDeskShellApi = {
  onShellEvent(callback) {
    const listener = (_event: unknown, payload: unknown) => {
      const parsed = ShellEvent.safeParse(payload)
      if (parsed.success) callback(parsed.data)
    }
    ipcRenderer.on(SHELL_EVENT, listener)
    return () => {
      ipcRenderer.removeListener(SHELL_EVENT, listener)
    }
  }
}

contextBridge.exposeInMainWorld('tokendesk', api)
contextBridge.exposeInMainWorld('tokendeskShell', shell)
