import { create } from 'zustand'
import type { AuditEntry, TokenCounts } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api } from '../api'
import { useTokensStore } from './tokens.store'

const DAY = 86400
export const HORIZON_DAYS = 90
/** Rows read at most for the expiry timeline (pages of 500, newest expiry first). */
const MAX_ROWS = 10_000

export interface DashboardState {
  counts: TokenCounts | null
  /** Tokens expiring per day for the next HORIZON_DAYS days (index 0 = today). */
  perDay: number[]
  expiring7: number
  expiring30: number
  /** true when the store holds more expiring tokens than MAX_ROWS: the figures are lower bounds. */
  truncated: boolean
  recent: AuditEntry[]
  loading: boolean
  error: AppErrorShape | null
}

export interface DashboardActions {
  load(): Promise<void>
  reset(): void
}

export const initialDashboardState: DashboardState = {
  counts: null,
  perDay: [],
  expiring7: 0,
  expiring30: 0,
  truncated: false,
  recent: [],
  loading: false,
  error: null
}

let seq = 0

export const useDashboardStore = create<DashboardState & DashboardActions>()((set) => ({
  ...initialDashboardState,
  async load() {
    const n = ++seq
    set({ loading: true, error: null })
    const now = Math.floor(Date.now() / 1000)
    const [counts, recent] = await Promise.all([api.tokens.counts({}), api.audit.list({ limit: 12 })])
    if (n !== seq) return
    if (!counts.ok) return set({ error: counts.error, loading: false })
    void useTokensStore.getState().loadCounts()
    // Keyset pages of tokens expiring before the horizon, latest expiry first, until we pass "now".
    const perDay = new Array<number>(HORIZON_DAYS).fill(0)
    let cursor: string | undefined
    let read = 0
    let truncated = false
    for (;;) {
      const page = await api.tokens.list({
        expiringBefore: now + HORIZON_DAYS * DAY,
        sort: 'expiry',
        dir: 'desc',
        limit: 500,
        ...(cursor ? { cursor } : {})
      })
      if (n !== seq) return
      if (!page.ok) return set({ error: page.error, loading: false })
      let passedNow = false
      for (const t of page.value.items) {
        if (t.expire <= now) {
          passedNow = true
          break
        }
        perDay[Math.min(HORIZON_DAYS - 1, Math.floor((t.expire - now) / DAY))]++
      }
      read += page.value.items.length
      if (passedNow || !page.value.nextCursor) break
      if (read >= MAX_ROWS) {
        truncated = true
        break
      }
      cursor = page.value.nextCursor
    }
    const sum = (days: number) => perDay.slice(0, days).reduce((a, b) => a + b, 0)
    set({
      counts: counts.value,
      perDay,
      expiring7: sum(7),
      expiring30: sum(30),
      truncated,
      recent: recent.ok ? recent.value.items : [],
      loading: false
    })
  },
  reset() {
    seq++
    set(initialDashboardState)
  }
}))
