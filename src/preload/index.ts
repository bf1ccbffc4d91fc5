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
 * ipcRenderer itself). Events that arrive before the renderer subscribes (a deep link at launch) are kept, a few at
 * most, and handed to the first subscriber.
 */
const MAX_EARLY_EVENTS = 16
const subscribers = new Set<(event: ShellEvent) => void>()
const early: ShellEvent[] = []
ipcRenderer.on(SHELL_EVENT, (_event: unknown, payload: unknown) => {
  const parsed = ShellEvent.safeParse(payload)
  if (!parsed.success) return
  if (subscribers.size === 0) {
    if (early.length < MAX_EARLY_EVENTS) early.push(parsed.data)
    return
  }
  for (const s of subscribers) s(parsed.data)
})

const shell: TokenDeskShellApi = {
  onShellEvent(callback) {
    const cb = (e: ShellEvent) => callback(e)
    subscribers.add(cb)
    for (const e of early.splice(0)) cb(e)
    return () => {
      subscribers.delete(cb)
    }
  }
}

contextBridge.exposeInMainWorld('tokendesk', api)
contextBridge.exposeInMainWorld('tokendeskShell', shell)
