import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

/**
 * Tokens expiring per day, drawn by uPlot (a small charting library; no hand-drawn SVG). Bar d stands at `from` + d days
 * (UNIX seconds, the store's clock when it counted), the start of the 24 hours it counts.
 */
export function ExpiryChart({ perDay, from, testId }: { perDay: number[]; from: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const host = el.current
    if (!host || perDay.length === 0) return
    const css = getComputedStyle(document.documentElement)
    const accent = css.getPropertyValue('--accent').trim() || '#2456c7'
    const text = css.getPropertyValue('--muted').trim() || '#555'
    const grid = css.getPropertyValue('--border').trim() || '#ddd'
    const xs = perDay.map((_, i) => from + i * 86400)
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
    const plot = new uPlot(
      {
        width: Math.max(300, host.clientWidth),
        height: 180,
        legend: { show: false },
        cursor: { show: true, points: { show: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [axis, { ...axis, size: 44 }],
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
    const onResize = () => plot.setSize({ width: Math.max(300, host.clientWidth), height: 180 })
    window.addEventListener('resize', onResize)
    return () => {
      window.removeEventListener('resize', onResize)
      plot.destroy()
    }
  }, [perDay, from])
  return <div ref={el} className="chart" data-testid={testId} role="img" aria-label={`Tokens expiring per day over the next ${perDay.length} days`} />
}
