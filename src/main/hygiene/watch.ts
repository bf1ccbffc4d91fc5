import type { InventoryRow, RefreshResult } from '../../shared/contract/inventory'

/** What the watch reports after each refresh: the tokens that entered the watch window since the last report. */
export interface WatchReport {
  at: number
  windowDays: number
  entered: InventoryRow[]
  refresh: RefreshResult | null
  /** Set when the refresh itself could not run (the inventory was still checked as stored). */
  error?: { code: string; message: string }
}

export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface WatchSettings {
  enabled: boolean
  /** Between refreshes; default one hour. */
  intervalMs: number
  /** The watch window; default 14 days. */
  windowDays: number
}
export const WATCH_DEFAULTS: WatchSettings = { enabled: true, intervalMs: 3_600_000, windowDays: 14 }

export interface WatchDeps {
  now(): number
  scheduler?: Scheduler
  settings(): WatchSettings
  refresh(): Promise<RefreshResult>
  /** Rows expiring within `windowSec` of now, as the inventory stores them. */
  expiring(windowSec: number): Iterable<InventoryRow>
  report(r: WatchReport): void
}

const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    // The watch never keeps a process alive on its own.
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout)
}

/**
 * The expiry watch: refreshes the inventory on a schedule and reports each token entering the watch window once per
 * token, expiry and window (a renewed token that comes due again is reported again). No electron here: the shell turns
 * reports into notifications, the web mode into a banner.
 */
export function createExpiryWatch(d: WatchDeps) {
  const scheduler = d.scheduler ?? realScheduler
  const reported = new Set<string>()
  let timer: unknown = null
  // Whether the app asked for the schedule: a settings change reschedules only a watch that was started.
  let wanted = false
  let running: Promise<WatchReport> | null = null

  async function run(): Promise<WatchReport> {
    const s = d.settings()
    let refresh: RefreshResult | null = null
    let error: WatchReport['error']
    try {
      refresh = await d.refresh()
    } catch (e) {
      const x = e as { code?: string; message?: string }
      error = { code: x.code ?? 'INTERNAL', message: x.message ?? 'refresh failed' }
    }
    const entered: InventoryRow[] = []
    for (const row of d.expiring(s.windowDays * 86400)) {
      const key = `${row.kind}\u0000${row.connectionId ?? ''}\u0000${row.id}\u0000${row.expiresAt}\u0000${s.windowDays}`
      if (reported.has(key)) continue
      reported.add(key)
      entered.push(row)
    }
    const r: WatchReport = { at: d.now(), windowDays: s.windowDays, entered, refresh, ...(error ? { error } : {}) }
    d.report(r)
    return r
  }

  function schedule(): void {
    const s = d.settings()
    if (!s.enabled || !wanted) return
    timer = scheduler.setTimeout(() => {
      timer = null
      void tick().finally(schedule)
    }, s.intervalMs)
  }

  /** One refresh and check now (concurrent calls share the run in progress). */
  function tick(): Promise<WatchReport> {
    running ??= run().finally(() => (running = null))
    return running
  }

  return {
    tick,
    /** Starts the schedule (a no-op when the watch is switched off); the first check runs one interval from now. */
    start(): void {
      wanted = true
      if (timer === null) schedule()
    },
    stop(): void {
      wanted = false
      if (timer !== null) scheduler.clearTimeout(timer)
      timer = null
    },
    /** After a settings change: a started watch runs on the new interval (or stops when switched off). */
    reschedule(): void {
      if (timer !== null) scheduler.clearTimeout(timer)
      timer = null
      if (wanted) schedule()
    },
    get running(): boolean {
      return timer !== null
    }
  }
}

export type ExpiryWatch = ReturnType<typeof createExpiryWatch>
