import { z } from 'zod'
import { channel } from './define'
import { hasControl, NO_CONTROLS } from './fields'

export const Theme = z.enum(['light', 'dark', 'system'])

export interface KeychainStatus {
  available: boolean
  backend: string
  /** How to fix it, when not available. */
  message?: string
}

export interface SystemStatus {
  appVersion: string
  dataDir: string
  dbFile: string
  schemaVersion: number
  keychain: KeychainStatus
  operator: string
  mode: 'electron' | 'web' | 'cli'
}

export interface Settings {
  operator: string
  theme: z.infer<typeof Theme>
}

export const systemChannels = {
  'system:status': channel<SystemStatus>()({
    input: z.object({}).strict().default({}),
    mutates: false,
    summary: 'Data folder, store schema version and keychain state'
  }),
  'system:getSettings': channel<Settings>()({
    input: z.object({}).strict().default({}),
    mutates: false,
    summary: 'Operator name and theme'
  }),
  'system:updateSettings': channel<Settings>()({
    input: z
      .object({
        operator: z.string().trim().min(1).max(64).refine((v) => !hasControl(v), NO_CONTROLS).optional(),
        theme: Theme.optional()
      })
      .strict(),
    mutates: true,
    summary: 'Change the operator name or theme'
  })
}
