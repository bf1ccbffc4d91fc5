import { lazy, Suspense, type ComponentProps } from 'react'

// uPlot is the dashboard's alone: its chunk loads after the shell paints, an empty chart box stands in meanwhile.
const Chart = lazy(() => import('./ExpiryChart').then((m) => ({ default: m.ExpiryChart })))

export function ExpiryChart(props: ComponentProps<typeof Chart>) {
  return (
    <Suspense fallback={<div className="chart" data-testid={props.testId} aria-busy="true" />}>
      <Chart {...props} />
    </Suspense>
  )
}
