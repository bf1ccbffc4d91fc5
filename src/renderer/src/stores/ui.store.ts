import { create } from 'zustand'
import { consoleMessage } from '../lib/errors'
import type { AppErrorShape } from '../../../shared/errors'

/** Screens of the console; the hash (#/tokens) mirrors the current one so reloads and tests land on it. */
export const SCREENS = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'inventory', label: 'Inventory' },
  { id: 'tokens', label: 'Tokens' },
  { id: 'accessTokens', label: 'Access tokens' },
  { id: 'ssoApps', label: 'SSO apps' },
  { id: 'jwt', label: 'JWT' },
  { id: 'keys', label: 'Keys' },
  { id: 'connections', label: 'Connections' },
  { id: 'audit', label: 'Audit' },
  { id: 'settings', label: 'Settings' }
] as const
export type ScreenId = (typeof SCREENS)[number]['id']

export function isScreen(s: string): s is ScreenId {
  return SCREENS.some((x) => x.id === s)
}

export interface Toast {
  id: number
  kind: 'ok' | 'error' | 'info'
  text: string
  /** One follow-up button (Undo). `key` names what it acts on, so a later change to that thing can withdraw it. */
  action?: { label: string; run: () => void; key?: string }
}

export interface UiState {
  screen: ScreenId
  paletteOpen: boolean
  toasts: Toast[]
  /** Bumped by the desktop shell's lock (idle, screen lock, suspend): every revealed secret hides when it changes. */
  lockEpoch: number
}

export interface UiActions {
  go(screen: ScreenId): void
  setPalette(open: boolean): void
  toast(kind: Toast['kind'], text: string, action?: Toast['action']): void
  toastError(e: AppErrorShape): void
  dismiss(id: number): void
  /** Withdraws the follow-up offers made for `key` (an Undo that a later change made stale). */
  dismissKey(key: string): void
  /** Hides every revealed secret (the shell's idle lock). */
  lock(): void
  reset(): void
}

function screenFromHash(): ScreenId {
  const h = typeof location !== 'undefined' ? location.hash.replace(/^#\/?/, '') : ''
  return isScreen(h) ? h : 'dashboard'
}

const initialUiState: UiState = { screen: screenFromHash(), paletteOpen: false, toasts: [], lockEpoch: 0 }

let toastId = 0

export const useUiStore = create<UiState & UiActions>()((set, get) => ({
  ...initialUiState,
  go(screen) {
    if (location.hash !== `#/${screen}`) history.replaceState(null, '', `#/${screen}`)
    set({ screen, paletteOpen: false })
  },
  setPalette(open) {
    set({ paletteOpen: open })
  },
  toast(kind, text, action) {
    const id = ++toastId
    set({ toasts: [...get().toasts, { id, kind, text, action }].slice(-4) })
    setTimeout(() => get().dismiss(id), kind === 'error' || action ? 10000 : 4000)
  },
  toastError(e) {
    get().toast('error', `${e.code}: ${consoleMessage(e)}`)
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) })
  },
  dismissKey(key) {
    set({ toasts: get().toasts.filter((t) => t.action?.key !== key) })
  },
  lock() {
    set({ lockEpoch: get().lockEpoch + 1 })
  },
  reset() {
    set({ ...initialUiState, screen: screenFromHash() })
  }
}))
