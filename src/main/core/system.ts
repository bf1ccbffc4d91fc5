import type { Db } from '../db'
import type { Settings, StoreState } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import type { CoreDeps, HandlersFor } from './types'

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
        theme: (map.get('theme') as Settings['theme'] | undefined) ?? 'system'
      }
    },
    update(patch) {
      db.transaction(() => {
        for (const [k, v] of Object.entries(patch)) if (v !== undefined) write.run(k, JSON.stringify(v))
      })()
      return this.get()
    }
  }
}

export function createSystemHandlers(
  deps: CoreDeps,
  settings: SettingsStore,
  version: () => number,
  storeState: () => StoreState | null = () => null
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
    'system:updateSettings': (input) => settings.update(input),
    'audit:list': (input) => deps.audit.list(input),
    'jobs:get': (input) => deps.jobs.get(input.id),
    'jobs:list': () => deps.jobs.list(),
    'jobs:cancel': (input) => deps.jobs.cancel(input.id)
  }
}
