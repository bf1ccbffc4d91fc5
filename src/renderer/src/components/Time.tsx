import { absolute, instant, relative, type When } from '../lib/format'

/** A point in time: relative words ("in 3 days"), the absolute local time (with its zone) on hover and to readers. */
export function Time({
  value,
  empty = '—',
  mode = 'relative'
}: {
  value: When | null | undefined
  empty?: string
  mode?: 'relative' | 'absolute'
}) {
  if (value === null || value === undefined || value === '') return <span className="muted">{empty}</span>
  const d = instant(value)
  if (!Number.isFinite(d.getTime())) return <span>{String(value)}</span>
  const abs = absolute(d)
  return (
    <time dateTime={d.toISOString()} title={abs} className="nowrap">
      {mode === 'absolute' ? abs : relative(d)}
    </time>
  )
}
