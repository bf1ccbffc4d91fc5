import { absolute, relative } from '../lib/time'

/** A point in time: relative words ("in 3 days"), the absolute local time (with its zone) on hover and to readers. */
export function Time({ value, empty = '—', mode = 'relative' }: { value: string | number | Date | null | undefined; empty?: string; mode?: 'relative' | 'absolute' }) {
  if (value === null || value === undefined || value === '') return <span className="muted">{empty}</span>
  const d = value instanceof Date ? value : new Date(value)
  if (!Number.isFinite(d.getTime())) return <span>{String(value)}</span>
  const abs = absolute(d)
  return (
    <time dateTime={d.toISOString()} title={abs} className="nowrap">
      {mode === 'absolute' ? abs : relative(d)}
    </time>
  )
}
