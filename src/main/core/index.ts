import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { openDb, schemaVersion, DB_FILE, type Db } from '../db'
import { createAuditLog } from '../audit'
import { createErrorLog, LOG_DIR, type ErrorLog } from '../audit/logfile'
import { createJobs } from '../jobs'
import { KeytarSecretStore, type SecretStore } from '../secrets'
import { createJwtDomain, type JwtService } from '../jwt'
import { createTokensDomain, type TokensService } from '../tokens'
import { describeStoreState } from '../tokens/bulk/load-marker'
import { createRemoteDomain, type RemoteService } from '../remote'
import { createSystemHandlers, createSettings, type SettingsStore } from './system'
import { createDispatch, type Dispatch } from './dispatch'
import type { CoreDeps, Handlers, Mode } from './types'
import { APP_VERSION } from './version'

export { defaultDataDir, resolveDataDir } from './data-dir'

export interface CoreOptions {
  dataDir: string
  /** Defaults to the OS keychain via keytar. Tests of other modules pass a MemorySecretStore. */
  secrets?: SecretStore
  mode?: Mode
  now?: () => number
  /** Electron passes its own better-sqlite3 build (ABI differs from Node's). */
  nativeBinding?: string
  /** How long a write waits for another process's lock before it answers BUSY (default: env TOKENDESK_BUSY_WAIT_MS, else 10 s). */
  busyWaitMs?: number
}

export interface Core {
  deps: CoreDeps
  db: Db
  dispatch: Dispatch
  settings: SettingsStore
  /** `<data>/logs/tokendesk.log`: internal failures and refused IPC senders, redacted. */
  log: ErrorLog
  services: { jwt: JwtService; tokens: TokensService; remote: RemoteService }
  close(): void
}

/** TOKENDESK_BUSY_WAIT_MS: a script's own bound on waiting for the store's lock (milliseconds). */
function envBusyWaitMs(): number | undefined {
  const v = Number(process.env.TOKENDESK_BUSY_WAIT_MS)
  return Number.isFinite(v) && v >= 0 ? v : undefined
}

/** Builds every service from a data folder and a secret store, and returns the one dispatch that serves them all. */
export function createCore(opts: CoreOptions): Core {
  const dataDir = resolve(opts.dataDir)
  const db = openDb(dataDir, { nativeBinding: opts.nativeBinding })
  const now = opts.now ?? Date.now
  const log = createErrorLog(join(dataDir, LOG_DIR), { now })
  const settings = createSettings(db, () => {
    try {
      return userInfo().username
    } catch {
      return 'operator'
    }
  })
  const deps: CoreDeps = {
    dataDir,
    dbFile: join(dataDir, DB_FILE),
    db,
    nativeBinding: opts.nativeBinding,
    secrets: opts.secrets ?? new KeytarSecretStore(),
    audit: createAuditLog(db, now),
    jobs: createJobs(log),
    mode: opts.mode ?? 'cli',
    appVersion: APP_VERSION,
    now,
    actor: () => settings.get().operator
  }
  const jwt = createJwtDomain(deps)
  const tokens = createTokensDomain(deps, { jwt: jwt.service })
  const remote = createRemoteDomain(deps, { jwt: jwt.service, tokens: tokens.service })
  const storeState = () => tokens.service.derived.storeState()
  const busyReason = () => {
    const s = storeState()
    return s ? describeStoreState(s) : null
  }
  const handlers: Handlers = {
    ...createSystemHandlers(deps, settings, () => schemaVersion(db), storeState),
    ...jwt.handlers,
    ...tokens.handlers,
    ...remote.handlers
  }
  return {
    deps,
    db,
    settings,
    log,
    dispatch: createDispatch(handlers, deps.audit, deps.actor, log, { waitMs: opts.busyWaitMs ?? envBusyWaitMs(), reason: busyReason }),
    services: { jwt: jwt.service, tokens: tokens.service, remote: remote.service },
    close: () => {
      tokens.service.close()
      db.close()
    }
  }
}

export type { CoreDeps, Handlers, HandlersFor, Handler, CallCtx, Mode } from './types'
