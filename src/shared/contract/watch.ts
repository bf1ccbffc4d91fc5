import { reads, writes } from './channel'
import { noInput } from './fields'
import type { InventoryRow, RefreshServerResult } from './inventory'

/**
 * The expiry watch of a running app (desktop or web mode): it refreshes the inventory on a schedule and reports each
 * token entering the watch window once. The desktop shell turns reports into notifications; the web mode's console
 * reads them here for its banner. Settings live with the others (system:getSettings / system:updateSettings).
 */
export interface WatchStatus {
  enabled: boolean
  /** A next check is scheduled (the app started the watch and it is on). */
  scheduled: boolean
  windowDays: number
  /** Epoch ms of the last check, null before the first. */
  lastCheck: number | null
  /** Tokens reported as entering the window since the app started, newest report first (at most 100). */
  entered: InventoryRow[]
  enteredTotal: number
  /** Epoch ms of the newest report that had tokens in it. */
  enteredAt: number | null
  /** Servers the last check could not refresh (the inventory was still checked as stored). */
  failed: RefreshServerResult[]
}

export const watchChannels = {
  /** The expiry watch: its schedule and the tokens it reported entering the watch window */
  'watch:status': reads<WatchStatus>()(noInput()),
  /** Run the expiry watch now: refresh every server, then report tokens entering the window */
  'watch:check': writes<WatchStatus>()(noInput())
}
