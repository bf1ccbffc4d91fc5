/**
 * The console's one place that turns numbers and times into text: numbers with grouping ("100,000"), times relative
 * ("in 3 days") with one absolute format ("2026-12-07 14:05:09 UTC", local time with its zone). Screens show times
 * through the Time component or these functions, never with toLocale* or Intl of their own (a unit test checks).
 */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
export function num(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : grouped.format(n)
}

export type When = Date | number | string

/**
 * A point in time from what the contract carries: a Date, epoch milliseconds, an ISO time, Fess's zone-less
 * `YYYY-MM-DDTHH:mm:ss` (read as local time, as the forms write it) or xdua's `YYYY-MM-DD HH:mm:ss` stamp (UTC).
 */
export function instant(when: When): Date {
  if (when instanceof Date) return when
  if (typeof when === 'number') return new Date(when)
  const stamp = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(when)
  return new Date(stamp ? `${stamp[1]}T${stamp[2]}Z` : when)
}

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
export function relative(when: When, now = Date.now()): string {
  const t = instant(when).getTime()
  if (!Number.isFinite(t)) return ''
  const diff = Math.round((t - now) / 1000)
  for (const [unit, secs] of UNITS) {
    if (Math.abs(diff) >= secs || unit === 'second') return rtf.format(Math.round(diff / secs), unit)
  }
  return ''
}

/** The local zone's short name ("UTC", "GMT+2"), shown with every absolute time. */
function zoneName(d = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')
  return part?.value ?? ''
}

const pad = (n: number) => String(n).padStart(2, '0')
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The one absolute format app-wide: "2026-12-07 14:05:09 UTC" in the local time zone. */
export function absolute(when: When | null | undefined): string {
  if (when === null || when === undefined || when === '') return '—'
  const d = instant(when)
  if (!Number.isFinite(d.getTime())) return String(when)
  return `${day(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zoneName(d)}`
}

function day(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** A calendar day in the same format, with its weekday: "Mon 2026-12-07" (local time). */
export function absoluteDay(when: When): string {
  const d = instant(when)
  return Number.isFinite(d.getTime()) ? `${WEEKDAYS[d.getDay()]} ${day(d)}` : String(when)
}

/** `yyyy-MM-ddTHH:mm` in local time: what `<input type="datetime-local">` holds (and Fess's form, less the seconds). */
export function localInputValue(ms: number): string {
  const d = new Date(ms)
  return `${day(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A stamp for a file name, readable and sortable, in UTC: `2026-12-07T02-45-10-123`. */
export function fileStamp(d = new Date()): string {
  return d.toISOString().slice(0, 23).replace(/[:.]/g, '-')
}

/** Axis labels for consecutive days: `12-07`, with the year where it changes (`2027-01-04`), local time. */
export function dayTicks(whens: When[]): string[] {
  let year = NaN
  return whens.map((w, i) => {
    const d = instant(w)
    const full = i === 0 || d.getFullYear() !== year
    year = d.getFullYear()
    return full ? day(d) : day(d).slice(5)
  })
}
