import type { Db } from '../db'
import type { Settings, StoreState } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import type { CoreDeps, HandlersFor } from './types'
import { WATCH_KEYS } from '../hygiene/settings-keys'
import { WATCH_DEFAULTS } from '../hygiene/watch'

/** Settings fields stored under another key or unit (the expiry watch's rows, which it reads itself). */
const STORED_AS: Partial<Record<keyof Settings, { key: string; write: (v: unknown) => unknown }>> = {
  watchEnabled: { key: WATCH_KEYS.enabled, write: (v) => v },
  watchIntervalMinutes: { key: WATCH_KEYS.intervalMs, write: (v) => (v as number) * 60_000 },
  watchWindowDays: { key: WATCH_KEYS.windowDays, write: (v) => v }
}

export interface SettingsStore {
  get(): Settings
  update(patch: Partial<Settings>): Settings
}

export function createSettings(db: Db, defaultOperator: () => string): SettingsStore {
  const read = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings')
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = version + 1'
  )
  return {
    get() {
      const map = new Map(read.all().map((r) => [r.key, JSON.parse(r.value) as unknown]))
      return {
        operator: (map.get('operator') as string | undefined) ?? defaultOperator(),
        theme: (map.get('theme') as Settings['theme'] | undefined) ?? 'system',
        watchEnabled: (map.get(WATCH_KEYS.enabled) as boolean | undefined) ?? WATCH_DEFAULTS.enabled,
        watchIntervalMinutes: Math.round(
          ((map.get(WATCH_KEYS.intervalMs) as number | undefined) ?? WATCH_DEFAULTS.intervalMs) / 60_000
        ),
        watchWindowDays: (map.get(WATCH_KEYS.windowDays) as number | undefined) ?? WATCH_DEFAULTS.windowDays
      }
    },
    update(patch) {
      db.transaction(() => {
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined) continue
          const as = STORED_AS[k as keyof Settings]
          write.run(as?.key ?? k, JSON.stringify(as ? as.write(v) : v))
        }
      })()
      return this.get()
    }
  }
}

export function createSystemHandlers(
  deps: CoreDeps,
  settings: SettingsStore,
  version: () => number,
  storeState: () => StoreState | null = () => null,
  /** After settings change (the expiry watch picks up its new schedule). */
  onSettingsChanged: () => void = () => undefined
): HandlersFor<'system'> & HandlersFor<'audit'> & HandlersFor<'jobs'> {
  return {
    'system:status': async () => {
      let keychain: { available: boolean; backend: string; message?: string }
      try {
        await deps.secrets.check()
        keychain = { available: true, backend: deps.secrets.backend }
      } catch (e) {
        keychain = {
          available: false,
          backend: deps.secrets.backend,
          message: e instanceof AppError ? e.message : 'The keychain could not be reached.'
        }
      }
      return {
        appVersion: deps.appVersion,
        dataDir: deps.dataDir,
        dbFile: deps.dbFile,
        schemaVersion: version(),
        keychain,
        operator: deps.actor(),
        mode: deps.mode,
        store: storeState()
      }
    },
    'system:getSettings': () => settings.get(),
    'system:updateSettings': (input) => {
      const out = settings.update(input)
      onSettingsChanged()
      return out
    },
    'audit:list': (input) => deps.audit.list(input),
    'jobs:get': (input) => deps.jobs.get(input.id),
    'jobs:list': () => deps.jobs.list(),
    'jobs:cancel': (input) => deps.jobs.cancel(input.id)
  }
}
