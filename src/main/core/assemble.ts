import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import type { Channel, Domain, StoreState } from '../../shared/contract'
import { domainOf } from '../../shared/contract/domains'
import { openDb, schemaVersion, DB_FILE, type Db } from '../db'
import { createAuditLog, type AuditLog } from '../audit'
import { createErrorLog, LOG_DIR, type ErrorLog } from '../audit/logfile'
import { createJobs } from '../jobs'
import { KeytarSecretStore, type SecretStore } from '../secrets'
import type { JwtService } from '../jwt'
import type { TokensService } from '../tokens'
import type { RemoteService } from '../remote'
import type { HygieneOptions, HygieneService } from '../hygiene'
import { measuredSecrets } from '../hygiene/secret-lengths'
import { describeStoreState, markerState } from '../tokens/bulk/load-marker'
import { createSystemHandlers, createSettings, type SettingsStore } from './system'
import { createDispatch, type Dispatch } from './dispatch'
import type { CoreDeps, Handler, Handlers, Mode } from './types'
import { APP_VERSION } from './version'

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
  /** Loads of at least this many rows (into a smaller store) drop and rebuild the derived state; tests lower it. */
  bulkMinRows?: number
  /** The expiry watch's scheduler and report sink (the shell turns reports into notifications). */
  hygiene?: HygieneOptions
  /** The data folder's error log, when the caller needed it first (the shell logs refused IPC senders before the store opens). */
  log?: ErrorLog
}

/** TOKENDESK_BUSY_WAIT_MS: a script's own bound on waiting for the store's lock (milliseconds). */
function envBusyWaitMs(): number | undefined {
  const v = Number(process.env.TOKENDESK_BUSY_WAIT_MS)
  return Number.isFinite(v) && v >= 0 ? v : undefined
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

/** The code of each service domain: static imports for the shell and tests, dynamic ones for the CLI. */
export interface DomainCode {
  jwt: typeof import('../jwt').createJwtDomain
  tokens: typeof import('../tokens').createTokensDomain
  remote: typeof import('../remote').createRemoteDomain
  hygiene: typeof import('../hygiene').createHygieneDomain
}
export type DomainLoaders = { [K in keyof DomainCode]: () => DomainCode[K] | Promise<DomainCode[K]> }
type Service = keyof DomainCode | 'system'

/** Which service domain serves each channel domain. A new channel domain adds one line (the type checker asks). */
const SERVED_BY: Record<Domain, Service> = {
  system: 'system',
  audit: 'system',
  jobs: 'system',
  jwt: 'jwt',
  keys: 'jwt',
  tokens: 'tokens',
  accessTokens: 'tokens',
  ssoApps: 'tokens',
  connections: 'remote',
  remote: 'remote',
  inventory: 'hygiene',
  watch: 'hygiene'
}
/** The code a service domain is built from: its own and the domains it uses as it is built (the token store loads the JWT engine itself, on first use). */
const CODE_OF: Record<Service, Array<keyof DomainCode>> = {
  system: [],
  jwt: ['jwt'],
  tokens: ['tokens'],
  remote: ['jwt', 'tokens', 'remote'],
  hygiene: ['jwt', 'tokens', 'remote', 'hygiene']
}

/** A value built on first call; `made()` tells whether it has been (close() releases only what was built). */
function once<T>(make: () => T): (() => T) & { made(): boolean } {
  let value: { v: T } | null = null
  return Object.assign(() => (value ??= { v: make() }).v, { made: () => value !== null })
}

/** The operator's OS user name, the default actor of the audit log. */
function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'operator'
  }
}

/**
 * The domains' code, loaded once: `loadCode` awaits a service's code (dynamic imports in the CLI), `codeOf` hands it
 * out synchronously and fails if a domain is used before its code was loaded.
 */
function domainCode(loaders: DomainLoaders) {
  const code: Partial<DomainCode> = {}
  const codeOf = <K extends keyof DomainCode>(k: K): DomainCode[K] => {
    if (!code[k]) {
      const c = loaders[k]()
      if (c instanceof Promise) throw new Error(`The ${k} domain is used before its code was loaded`)
      code[k] = c
    }
    return code[k] as DomainCode[K]
  }
  const loadCode = async (s: Service) => {
    for (const k of CODE_OF[s]) (code as Record<string, unknown>)[k] ??= await loaders[k]()
  }
  return { codeOf, loadCode }
}

/**
 * Builds the services of a data folder and returns the one dispatch that serves them all: at once, or each domain
 * (and the store itself) on its first call, so a single-domain command pays for its own domain only.
 */
export function assembleCore(opts: CoreOptions, loaders: DomainLoaders, when: { build: 'now' | 'on first use' }): Core {
  const dataDir = resolve(opts.dataDir)
  const store = once(() => openDb(dataDir, { nativeBinding: opts.nativeBinding }))
  const now = opts.now ?? Date.now
  const log = opts.log ?? createErrorLog(join(dataDir, LOG_DIR), { now })
  const settings = once(() => createSettings(store(), osUser))
  const audit = once(() => createAuditLog(store(), now))
  const deps: CoreDeps = {
    dataDir,
    dbFile: join(dataDir, DB_FILE),
    get db() {
      return store()
    },
    nativeBinding: opts.nativeBinding,
    bulkMinRows: opts.bulkMinRows,
    secrets: measuredSecrets(opts.secrets ?? new KeytarSecretStore(), store),
    get audit() {
      return audit()
    },
    jobs: createJobs(log),
    mode: opts.mode ?? 'cli',
    appVersion: APP_VERSION,
    now,
    actor: () => settings().get().operator
  }

  const { codeOf, loadCode } = domainCode(loaders)
  const jwt = once(() => codeOf('jwt')(deps))
  // The token store signs and verifies on a few channels only: it loads the JWT engine on the first of them.
  const jwtService = async () => {
    await loadCode('jwt')
    return jwt().service
  }
  const tokens = once(() => codeOf('tokens')(deps, { jwt: jwtService }))
  const remote = once(() => codeOf('remote')(deps, { jwt: jwt().service, tokens: tokens().service }))
  // A process that has not built the tokens domain runs no load of its own: the marker row alone tells the state.
  const storeState = (): StoreState | null => {
    if (tokens.made()) return tokens().service.derived.storeState()
    const flag = store().prepare<[], { value: string }>("SELECT value FROM tokens_meta WHERE key = 'rebuild_due'").get()
    return flag ? markerState(flag.value, false) : null
  }
  const busyReason = () => {
    const st = storeState()
    return st ? describeStoreState(st) : null
  }
  const hygiene = once(() =>
    codeOf('hygiene')(deps, { tokens: tokens().service, remote: remote().service }, opts.hygiene)
  )
  const built: Record<Service, () => { handlers: Partial<Handlers> }> = {
    system: once(() => ({
      handlers: createSystemHandlers(
        deps,
        settings(),
        () => schemaVersion(store()),
        storeState,
        () => {
          if (hygiene.made()) hygiene().service.watch.reschedule()
        }
      )
    })),
    jwt,
    tokens,
    remote,
    hygiene
  }
  const handlerOf = async (channel: Channel) => {
    const domain = domainOf(channel)
    if (!domain) return undefined
    await loadCode(SERVED_BY[domain])
    return built[SERVED_BY[domain]]().handlers[channel] as Handler<Channel> | undefined
  }
  // Built now, the store opens (or fails) at once and a bulk load a crash interrupted is repaired before any call.
  if (when.build === 'now') for (const s of Object.keys(built) as Service[]) built[s]()
  const auditLog: AuditLog = { record: (r) => audit().record(r), list: (q) => audit().list(q) }
  return {
    deps,
    get db() {
      return store()
    },
    get settings() {
      return settings()
    },
    log,
    dispatch: createDispatch(handlerOf, auditLog, deps.actor, log, {
      waitMs: opts.busyWaitMs ?? envBusyWaitMs(),
      reason: busyReason
    }),
    services: {
      get jwt() {
        return jwt().service
      },
      get tokens() {
        return tokens().service
      },
      get remote() {
        return remote().service
      },
      get hygiene() {
        return hygiene().service
      }
    },
    close: () => {
      if (hygiene.made()) hygiene().service.watch.stop()
      if (tokens.made()) tokens().service.close()
      if (store.made()) store().close()
    }
  }
}
