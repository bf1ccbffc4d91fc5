import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { hasControl, NO_CONTROLS, noInput } from './fields'

export const Theme = lazy(() => z.enum(['light', 'dark', 'system']))

export interface KeychainStatus {
  available: boolean
  backend: string
  /** How to fix it, when not available. */
  message?: string
}

/** A bulk load (import or seed) as every process sees it: running, being repaired, or cut short by a crash. */
export interface StoreState {
  state: 'loading' | 'repairing' | 'interrupted'
  /** The process that runs (or ran) it. */
  pid: number | null
  since: string | null
  operation: string | null
}

export interface SystemStatus {
  appVersion: string
  dataDir: string
  dbFile: string
  schemaVersion: number
  keychain: KeychainStatus
  operator: string
  mode: 'electron' | 'web' | 'cli'
  /** Null when the store is free; else writes to tokens answer BUSY and counts may lag until the load ends. */
  store: StoreState | null
}

export interface Settings {
  operator: string
  theme: z.infer<typeof Theme>
  /** The expiry watch: on/off, minutes between its refreshes, and the window (days) it reports tokens entering. */
  watchEnabled: boolean
  watchIntervalMinutes: number
  watchWindowDays: number
}

export const SettingsUpdateInput = lazy(() =>
  z.strictObject({
    operator: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine((v) => !hasControl(v), NO_CONTROLS)
      .optional(),
    theme: Theme.optional(),
    watchEnabled: z.boolean().optional(),
    watchIntervalMinutes: z.number().int().min(1).max(10_080).optional(),
    watchWindowDays: z.number().int().min(1).max(365).optional()
  })
)

export const systemChannels = {
  /** Data folder, store schema version and keychain state */
  'system:status': reads<SystemStatus>()(noInput()),
  /** Operator name, theme and expiry watch settings */
  'system:getSettings': reads<Settings>()(noInput()),
  /** Change the operator name, theme or expiry watch settings */
  'system:updateSettings': writes<Settings>()(SettingsUpdateInput)
}
