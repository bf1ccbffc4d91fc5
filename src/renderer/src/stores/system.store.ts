import { create } from 'zustand'
import type { Settings, SystemStatus } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api } from '../api'

export interface SystemState {
  status: SystemStatus | null
  statusError: AppErrorShape | null
  settings: Settings | null
  settingsError: AppErrorShape | null
  saving: boolean
}

export interface SystemActions {
  loadStatus(): Promise<void>
  loadSettings(): Promise<void>
  updateSettings(patch: Partial<Settings>): Promise<AppErrorShape | null>
}

export const initialSystemState: SystemState = {
  status: null,
  statusError: null,
  settings: null,
  settingsError: null,
  saving: false
}

// Request counters: an answer that arrives after a newer request was sent is dropped (jwt.io's guard).
let statusSeq = 0
let settingsSeq = 0

export const useSystemStore = create<SystemState & SystemActions>()((set, get) => ({
  ...initialSystemState,
  async loadStatus() {
    const n = ++statusSeq
    const r = await api.system.status({})
    if (n !== statusSeq) return
    if (r.ok) set({ status: r.value, statusError: null })
    else set({ statusError: r.error })
  },
  async loadSettings() {
    const n = ++settingsSeq
    const r = await api.system.getSettings({})
    if (n !== settingsSeq) return
    if (r.ok) set({ settings: r.value, settingsError: null })
    else set({ settingsError: r.error })
  },
  async updateSettings(patch) {
    const n = ++settingsSeq
    const before = get().settings
    // Optimistic: the theme switches at once; a refusal puts the old settings back.
    set({ saving: true, settings: before ? { ...before, ...patch } : before })
    const r = await api.system.updateSettings(patch)
    if (n !== settingsSeq) return r.ok ? null : r.error
    if (r.ok) {
      set({ settings: r.value, settingsError: null, saving: false })
      return null
    }
    set({ saving: false, settings: before })
    return r.error
  }
}))
