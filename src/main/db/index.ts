import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import type Database from 'better-sqlite3'
import { migrations } from './migrations'

export type Db = Database.Database

export const DB_FILE = 'tokendesk.db'

export interface OpenDbOptions {
  /** Path to a better_sqlite3.node built for the running ABI (the Electron shell passes its own build). */
  nativeBinding?: string
}

/** Opens (creating if needed) the one SQLite file of a data folder and brings its schema up to date. */
export function openDb(dataDir: string, opts: OpenDbOptions = {}): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  // Required here, not at import: a command that needs no store never loads the native addon.
  const Sqlite = createRequire(__filename)('better-sqlite3') as typeof Database
  const db = new Sqlite(join(dataDir, DB_FILE), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {})
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Migrations by PRAGMA user_version: each step runs in one transaction, so a crash leaves the old or the new schema. */
export function migrate(db: Db): void {
  const current = schemaVersion(db)
  for (const m of migrations) {
    if (m.version <= current) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
