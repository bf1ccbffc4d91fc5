import type { Db } from '../db'
import type { SecretStore } from '../secrets'
import type { AuditLog } from '../audit'
import type { Jobs } from '../jobs'
import type { Channel, ChannelsOf, Output, ParsedInput } from '../../shared/contract'

export type Mode = 'electron' | 'web' | 'cli'

/** What every domain service is built from. Nothing here imports `electron`. */
export interface CoreDeps {
  dataDir: string
  dbFile: string
  db: Db
  /** The better_sqlite3.node the store was opened with, for worker threads and extra connections (Electron's build). */
  nativeBinding?: string
  /** The bulk-load threshold when not the default (CoreOptions.bulkMinRows). */
  bulkMinRows?: number
  secrets: SecretStore
  audit: AuditLog
  jobs: Jobs
  mode: Mode
  appVersion: string
  now(): number
  /** The operator name written to audit rows and creator/updater fields. */
  actor(): string
}

/** Per-call context a handler may use to sharpen its audit row. */
export interface CallCtx {
  auditTarget?: string
  auditDetails?: Record<string, unknown>
}

export type Handler<C extends Channel> = (input: ParsedInput<C>, ctx: CallCtx) => Promise<Output<C>> | Output<C>
export type Handlers = { [C in Channel]: Handler<C> }
export type HandlersFor<D extends string> = { [C in ChannelsOf<D>]: Handler<C> }
