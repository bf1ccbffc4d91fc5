import { prefetch } from './api'

/** The dashboard's expiry horizon in days (stores/dashboard.store.ts); a test checks the two agree. */
const DASHBOARD_HORIZON_DAYS = 90

/**
 * The shell's and the landing dashboard's first reads leave now, while the app's code still loads and evaluates: the
 * answers are on their way when the first render asks for them. This module imports the api only, so it runs first.
 */
export function startFirstReads(hash: string): void {
  prefetch('system:status', {})
  prefetch('system:getSettings', {})
  if (/^#?\/?(dashboard)?$/.test(hash)) {
    prefetch('tokens:counts', {})
    prefetch('tokens:expiry', { days: DASHBOARD_HORIZON_DAYS })
    prefetch('audit:list', { limit: 12 })
  }
}
