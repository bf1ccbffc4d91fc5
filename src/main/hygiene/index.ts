import type { CoreDeps, HandlersFor } from '../core/types'
import type { TokensService } from '../tokens'
import type { RemoteService } from '../remote'
import { createSync } from '../remote/sync'
import { publicRules } from './findings'
import { createInventory } from './inventory'
import { refreshAll } from './refresh'
import { createRenewRotate } from './renew'
import { createRotations } from './rotation'
import { toCsv } from './report'
import { ensureHygiene } from './triggers'
import { WATCH_KEYS } from './settings-keys'
import { createWatchLog } from './watch-log'
import { createExpiryWatch, WATCH_DEFAULTS, type Scheduler, type WatchReport, type WatchSettings } from './watch'

const KEYS = WATCH_KEYS

export interface HygieneOptions {
  scheduler?: Scheduler
  onWatchReport?: (r: WatchReport) => void
}

/**
 * Token hygiene: the inventory over every token the store knows, findings kept by triggers (findings.ts holds the
 * rules), a refresh that pulls every connection, and the expiry watch. Renew and rotate hang off the same inventory
 * rows (kind, connectionId, id).
 */
export function createHygieneDomain(
  deps: CoreDeps,
  services: { tokens: TokensService; remote: RemoteService },
  opts: HygieneOptions = {}
) {
  ensureHygiene(deps.db)
  const readSetting = deps.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const setting = <T>(key: string, dflt: T): T => {
    const v = readSetting.get(key)
    try {
      return v ? (JSON.parse(v.value) as T) : dflt
    } catch {
      return dflt
    }
  }
  const watchSettings = (): WatchSettings => ({
    enabled: setting(KEYS.enabled, WATCH_DEFAULTS.enabled),
    intervalMs: setting(KEYS.intervalMs, WATCH_DEFAULTS.intervalMs),
    windowDays: setting(KEYS.windowDays, WATCH_DEFAULTS.windowDays)
  })
  const inventory = createInventory(deps.db, {
    nowMs: () => deps.now(),
    windowSec: () => watchSettings().windowDays * 86400
  })
  const sync = createSync(deps, services.remote.connections, services.tokens.derived)
  const ops = createRenewRotate(deps, services, createRotations(deps))
  const targets = (names?: string[]) =>
    services.remote.connections
      .list()
      .filter((c) => !names?.length || names.includes(c.name) || names.includes(c.id))
      .map((c) => ({ id: c.id, name: c.name, kind: c.kind }))

  const refreshJob = (names?: string[]) => {
    const t = targets(names)
    return deps.jobs.start('inventory:refresh', (job) => refreshAll(t, (id, ctx) => sync.pull(id, ctx), job), t.length)
  }

  const watchLog = createWatchLog()
  const watch = createExpiryWatch({
    now: deps.now,
    scheduler: opts.scheduler,
    settings: watchSettings,
    refresh: async () => {
      const info = await deps.jobs.wait(refreshJob())
      if (info.state !== 'done')
        throw Object.assign(new Error(info.error?.message ?? 'refresh failed'), {
          code: info.error?.code ?? 'INTERNAL'
        })
      return info.result as import('../../shared/contract/inventory').RefreshResult
    },
    expiring: (windowSec) => (current(), inventory.all({ expiringWithin: windowSec })),
    report: (r) => {
      watchLog.add(r)
      opts.onWatchReport?.(r)
    }
  })
  const watchStatus = () => watchLog.status(watchSettings(), watch.running)

  // A bulk load drops the findings triggers (it loads faster without them); the next read puts them back and recomputes.
  const current = () => ensureHygiene(deps.db)
  const handlers: HandlersFor<'inventory'> & HandlersFor<'watch'> = {
    'watch:status': () => watchStatus(),
    'watch:check': async () => (await watch.tick(), watchStatus()),
    'inventory:list': (input) => (current(), inventory.list(input)),
    'inventory:counts': (input) => (current(), inventory.counts(input)),
    'inventory:findings': () => publicRules(),
    'inventory:row': (input) => (current(), inventory.row(input.kind, input.id)),
    'inventory:refresh': (input) => ({ jobId: refreshJob(input.servers) }),
    'inventory:export': ({ format, ...filter }) => {
      current()
      if (format === 'json') {
        const rows = [...inventory.all(filter)]
        return { format, rows: rows.length, text: JSON.stringify(rows) }
      }
      return { format, ...toCsv(inventory.all(filter)) }
    },
    'inventory:renew': (input, ctx) => {
      ctx.auditTarget = input.id
      return ops.renew(input.kind, input.id, input.expiresAt)
    },
    'inventory:renewMany': (input) => ({
      jobId: deps.jobs.start(
        'inventory:renew',
        (job) => ops.renewMany(input.items, input.expiresAt, job),
        input.items.length
      )
    }),
    'inventory:rotate': async (input, ctx) => {
      ctx.auditTarget = input.id
      const r = await ops.rotate(input.kind, input.id, input)
      ctx.auditDetails = { rotationId: r.rotationId, newId: r.newId, resumeFrom: r.resumeFrom }
      return r
    }
  }
  return {
    service: { inventory, watch, refresh: refreshJob, settings: watchSettings, renew: ops.renew, rotate: ops.rotate },
    handlers
  }
}

export type HygieneService = ReturnType<typeof createHygieneDomain>['service']
