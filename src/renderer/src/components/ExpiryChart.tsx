import { useEffect, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { absoluteDay, dayTicks, num } from '../lib/format'

const DAY = 86400
const COUNT_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000
]

/** "Mon 2026-12-14" in local time: the day a bar counts. */
const dayLabel = (unix: number) => absoluteDay(unix * 1000)

/**
 * Tokens expiring per day, drawn by uPlot (a small charting library; no hand-drawn SVG). Bar d stands at `from` + d days
 * (UNIX seconds, the store's clock when it counted), the start of the 24 hours it counts. Hovering a bar shows its day
 * and count; a click on it calls onDay(d).
 */
export function ExpiryChart({
  perDay,
  from,
  testId,
  onDay
}: {
  perDay: number[]
  from: number
  testId?: string
  onDay?: (day: number) => void
}) {
  const el = useRef<HTMLDivElement>(null)
  const [tip, setTip] = useState<{ day: number; left: number } | null>(null)
  const onDayRef = useRef(onDay)
  onDayRef.current = onDay
  useEffect(() => {
    const host = el.current
    if (!host || perDay.length === 0) return
    const css = getComputedStyle(document.documentElement)
    const accent = css.getPropertyValue('--accent').trim() || '#2456c7'
    const text = css.getPropertyValue('--muted').trim() || '#555'
    const grid = css.getPropertyValue('--border').trim() || '#ddd'
    const xs = perDay.map((_, i) => from + i * DAY)
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
    const plot = new uPlot(
      {
        width: Math.max(300, host.clientWidth),
        height: 180,
        legend: { show: false },
        cursor: { show: true, points: { show: false }, x: true, y: false },
        // Half a day of room at each end, so the first and last bars are drawn whole.
        scales: {
          x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] }
        },
        // Days in the app's one date format; whole counts only (no "0.5 tokens").
        axes: [
          // A tick every 80 px at least: a label with its year ("2026-12-07") is ~75 px wide and must not touch the next.
          { ...axis, space: 80, values: (_u, splits) => dayTicks(splits.map((s) => s * 1000)) },
          { ...axis, size: 44, incrs: COUNT_STEPS, values: (_u, splits) => splits.map((n) => num(n)) }
        ],
        hooks: {
          setCursor: [
            (u) => {
              const i = u.cursor.idx
              setTip(
                i === null || i === undefined || u.cursor.left === undefined || u.cursor.left < 0
                  ? null
                  : { day: i, left: u.valToPos(xs[i], 'x') + u.over.offsetLeft }
              )
            }
          ]
        },
        series: [
          {},
          {
            label: 'expiring',
            stroke: accent,
            fill: accent + '55',
            width: 1,
            points: { show: false },
            paths: uPlot.paths.bars!({ size: [0.8, 40] })
          }
        ]
      },
      [xs, perDay],
      host
    )
    const onClick = () => {
      const i = plot.cursor.idx
      if (i !== null && i !== undefined) onDayRef.current?.(i)
    }
    plot.over.addEventListener('click', onClick)
    plot.over.style.cursor = 'pointer'
    const onResize = () => plot.setSize({ width: Math.max(300, host.clientWidth), height: 180 })
    window.addEventListener('resize', onResize)
    return () => {
      window.removeEventListener('resize', onResize)
      plot.over.removeEventListener('click', onClick)
      plot.destroy()
    }
  }, [perDay, from])
  return (
    <div className="chart-wrap">
      <div
        ref={el}
        className="chart"
        data-testid={testId}
        role="img"
        aria-label={`Tokens expiring per day over the next ${perDay.length} days`}
      />
      {tip ? (
        <div className="chart-tip" role="tooltip" style={{ left: tip.left }}>
          <strong>{dayLabel(from + tip.day * DAY)}</strong>: {num(perDay[tip.day])} token
          {perDay[tip.day] === 1 ? '' : 's'} expiring
        </div>
      ) : null}
    </div>
  )
}
