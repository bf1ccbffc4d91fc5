import { create } from 'zustand'
import type { Settings, SystemStatus } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api } from '../api'
import { latest, requestInto } from './latest'

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

const initialSystemState: SystemState = {
  status: null,
  statusError: null,
  settings: null,
  settingsError: null,
  saving: false
}

const requests = latest('status', 'settings')

export const useSystemStore = create<SystemState & SystemActions>()((set, get) => ({
  ...initialSystemState,
  loadStatus: () =>
    requestInto(requests.status, set, {
      call: () => api.system.status({}),
      ok: (status) => ({ status, statusError: null }),
      failed: (statusError) => ({ statusError })
    }),
  loadSettings: () =>
    requestInto(requests.settings, set, {
      call: () => api.system.getSettings({}),
      ok: (settings) => ({ settings, settingsError: null }),
      failed: (settingsError) => ({ settingsError })
    }),
  async updateSettings(patch) {
    const current = requests.settings.start()
    const before = get().settings
    // Optimistic: the theme switches at once; a refusal puts the old settings back.
    set({ saving: true, settings: before ? { ...before, ...patch } : before })
    const r = await api.system.updateSettings(patch)
    if (!current()) return r.ok ? null : r.error
    if (r.ok) {
      set({ settings: r.value, settingsError: null, saving: false })
      return null
    }
    set({ saving: false, settings: before })
    return r.error
  }
}))
