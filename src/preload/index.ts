import { contextBridge, ipcRenderer } from 'electron'
import { channels, splitChannel } from '../shared/contract'

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

contextBridge.exposeInMainWorld('tokendesk', api)
