import { create } from 'zustand'
import type { AuditEntry, TokenCounts } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api } from '../api'
import { useTokensStore } from './tokens.store'

export const HORIZON_DAYS = 90

export interface DashboardState {
  counts: TokenCounts | null
  /** Tokens expiring per day for the next HORIZON_DAYS days: perDay[d] counts [from + d days, from + d + 1 days). */
  perDay: number[]
  /** The store's clock when it counted (UNIX seconds): the chart's first day and the windows the figures open. */
  from: number | null
  expiring7: number
  expiring30: number
  recent: AuditEntry[]
  loading: boolean
  error: AppErrorShape | null
}

export interface DashboardActions {
  load(): Promise<void>
}

const initialDashboardState: DashboardState = {
  counts: null,
  perDay: [],
  from: null,
  expiring7: 0,
  expiring30: 0,
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
    // The timeline is counted in main (tokens:expiry), one answer whatever the store's size.
    const [counts, expiry, recent] = await Promise.all([
      api.tokens.counts({}),
      api.tokens.expiry({ days: HORIZON_DAYS }),
      api.audit.list({ limit: 12 })
    ])
    if (n !== seq) return
    if (!counts.ok) return set({ error: counts.error, loading: false })
    if (!expiry.ok) return set({ error: expiry.error, loading: false })
    void useTokensStore.getState().loadCounts()
    const perDay = expiry.value.perDay
    const sum = (days: number) => perDay.slice(0, days).reduce((a, b) => a + b, 0)
    set({
      counts: counts.value,
      perDay,
      from: expiry.value.from,
      expiring7: sum(7),
      expiring30: sum(30),
      recent: recent.ok ? recent.value.items : [],
      loading: false
    })
  }
}))
