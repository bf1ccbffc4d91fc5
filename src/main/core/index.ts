import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { openDb, schemaVersion, DB_FILE, type Db } from '../db'
import { createAuditLog } from '../audit'
import { createErrorLog, LOG_DIR, type ErrorLog } from '../audit/logfile'
import { createJobs } from '../jobs'
import { KeytarSecretStore, type SecretStore } from '../secrets'
import { createJwtDomain, type JwtService } from '../jwt'
import { createTokensDomain, type TokensService } from '../tokens'
import { createRemoteDomain, type RemoteService } from '../remote'
import { createHygieneDomain, measuredSecrets, type HygieneOptions, type HygieneService } from '../hygiene'
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
  /** The expiry watch's scheduler and report sink (the shell turns reports into notifications). */
  hygiene?: HygieneOptions
}

export interface Core {
  deps: CoreDeps
  db: Db
  dispatch: Dispatch
  settings: SettingsStore
  /** `<data>/logs/tokendesk.log`: internal failures and refused IPC senders, redacted. */
  log: ErrorLog
  services: { jwt: JwtService; tokens: TokensService; remote: RemoteService; hygiene: HygieneService }
  close(): void
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
    secrets: measuredSecrets(opts.secrets ?? new KeytarSecretStore(), db),
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
  const hygiene = createHygieneDomain(deps, { tokens: tokens.service, remote: remote.service }, opts.hygiene)
  const handlers: Handlers = {
    ...createSystemHandlers(deps, settings, () => schemaVersion(db)),
    ...jwt.handlers,
    ...tokens.handlers,
    ...remote.handlers,
    ...hygiene.handlers
  }
  return {
    deps,
    db,
    settings,
    log,
    dispatch: createDispatch(handlers, deps.audit, deps.actor, log),
    services: { jwt: jwt.service, tokens: tokens.service, remote: remote.service, hygiene: hygiene.service },
    close: () => {
      hygiene.service.watch.stop()
      tokens.service.close()
      db.close()
    }
  }
}

export type { CoreDeps, Handlers, HandlersFor, Handler, CallCtx, Mode } from './types'
