import type { InventoryRow } from '../../shared/contract/inventory'
import type { WatchStatus } from '../../shared/contract/watch'
import type { WatchReport, WatchSettings } from './watch'

/** How many reported rows the log keeps for the console's banner (the count keeps growing past it). */
const KEEP = 100

/**
 * What the watch reported since the app started, for `watch:status`: the tokens that entered the window (newest
 * first, capped) and the last check's failed servers. Reports already hold each token once per window.
 */
export function createWatchLog() {
  let entered: InventoryRow[] = []
  let enteredTotal = 0
  let enteredAt: number | null = null
  let last: WatchReport | null = null
  return {
    add(r: WatchReport): void {
      last = r
      if (!r.entered.length) return
      entered = [...r.entered, ...entered].slice(0, KEEP)
      enteredTotal += r.entered.length
      enteredAt = r.at
    },
    status(s: WatchSettings, scheduled: boolean): WatchStatus {
      return {
        enabled: s.enabled,
        scheduled,
        windowDays: s.windowDays,
        lastCheck: last?.at ?? null,
        entered,
        enteredTotal,
        enteredAt,
        failed: last?.refresh?.servers.filter((x) => !x.ok) ?? []
      }
    }
  }
}
