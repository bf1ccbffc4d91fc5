/** The expiry watch's rows in the settings table (JSON values): read by the watch, written by system:updateSettings. */
export const WATCH_KEYS = {
  enabled: 'hygiene.watchEnabled',
  intervalMs: 'hygiene.watchIntervalMs',
  windowDays: 'hygiene.windowDays'
} as const
