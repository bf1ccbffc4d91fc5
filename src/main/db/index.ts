import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import type Database from 'better-sqlite3'
import { migrations } from './migrations'
import { BUSY_TIMEOUT_MS, busyError, isSqliteBusy } from './busy'

export type Db = Database.Database

export const DB_FILE = 'tokendesk.db'

export interface OpenDbOptions {
  /** Path to a better_sqlite3.node built for the running ABI (the Electron shell passes its own build). */
  nativeBinding?: string
}

/** Opens (creating if needed) the one SQLite file of a data folder and brings its schema up to date. */
export function openDb(dataDir: string, opts: OpenDbOptions = {}): Db {
  // The store is the user's alone: modes set explicitly, whatever the process umask (SQLite gives WAL and SHM the db's).
  if (mkdirSync(dataDir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dataDir, 0o700)
  const file = join(dataDir, DB_FILE)
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
  privateFiles(file)
  // Required here, not at import: a command that needs no store never loads the native addon.
  const Sqlite = createRequire(__filename)('better-sqlite3') as typeof Database
  const db = new Sqlite(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {})
  try {
    // Opening waits like any start-up step; after it, waits for a lock are retried off the event loop (./busy).
    db.pragma('busy_timeout = 5000')
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the last commits).
    db.pragma('synchronous = NORMAL')
    migrate(db)
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  } catch (e) {
    db.close()
    if (isSqliteBusy(e)) throw busyError('another process holds the store while it opens')
    throw e
  }
  privateFiles(file)
  return db
}

/** Owner-only modes on the db file and its WAL and SHM files, where they exist. */
function privateFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600)
    } catch {
      // not there (yet): SQLite creates it with the db file's mode
    }
  }
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
