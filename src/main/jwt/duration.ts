import { fail } from '../../shared/errors'

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/**
 * A duration in seconds from `90s`, `15m`, `1h`, `7d`, `2w`, a bare number of seconds, or a number. A leading `-`
 * is allowed (e.g. an already-expired test token: `--expires-in -1h`).
 */
export function parseDuration(v: string | number, field = 'duration'): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail('VALIDATION', `${field} must be a finite number of seconds`, { path: field })
    return Math.trunc(v)
  }
  const m = /^\s*(-)?\s*(\d+)\s*([smhdw])?\s*$/i.exec(v)
  if (!m)
    fail('VALIDATION', `${field}: "${v}" is not a duration (use e.g. 90s, 15m, 1h, 7d or seconds)`, { path: field })
  const n = Number(m[2]) * UNIT[(m[3] ?? 's').toLowerCase()]
  return m[1] ? -n : n
}

/** "in 3 h", "2 days ago": relative to now, coarse on purpose (it is for people). */
export function relativeTime(targetSec: number, nowSec: number): string {
  const diff = targetSec - nowSec
  const abs = Math.abs(diff)
  // Round at each unit, then pick the unit by the rounded value: 3599 s reads "1 h", not "60 min".
  const min = Math.round(abs / 60)
  const hours = Math.round(abs / 3600)
  const days = Math.round(abs / 86400)
  let text: string
  if (abs < 60) text = `${abs} s`
  else if (min < 60) text = `${min} min`
  else if (hours < 48) text = `${hours} h`
  else if (days < 365) text = `${days} days`
  else text = `${(abs / (86400 * 365)).toFixed(1)} years`
  if (diff === 0) return 'now'
  return diff > 0 ? `in ${text}` : `${text} ago`
}
