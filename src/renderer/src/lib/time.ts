const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1]
]

/** "in 3 days", "2 hours ago" relative to now. */
export function relative(when: Date | number | string, now = Date.now()): string {
  const t = when instanceof Date ? when.getTime() : typeof when === 'number' ? when : Date.parse(when)
  if (!Number.isFinite(t)) return ''
  const diff = Math.round((t - now) / 1000)
  for (const [unit, secs] of UNITS) {
    if (Math.abs(diff) >= secs || unit === 'second') return rtf.format(Math.round(diff / secs), unit)
  }
  return ''
}

export function isoShort(when: Date | number | string | null | undefined): string {
  if (when === null || when === undefined || when === '') return '—'
  const d = when instanceof Date ? when : new Date(when)
  if (!Number.isFinite(d.getTime())) return String(when)
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

function toDate(when: Date | number | string): Date {
  return when instanceof Date ? when : new Date(when)
}

/** The local zone's short name ("UTC", "GMT+2"), shown with every absolute time. */
function zoneName(d = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')
  return part?.value ?? ''
}

/** The one absolute format app-wide: "2026-12-07 14:05:09 UTC" in the local time zone. */
export function absolute(when: Date | number | string | null | undefined): string {
  if (when === null || when === undefined || when === '') return '—'
  const d = toDate(when)
  if (!Number.isFinite(d.getTime())) return String(when)
  const p = (n: number) => String(n).padStart(2, '0')
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
  return `${date} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zoneName(d)}`
}
