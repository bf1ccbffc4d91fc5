import { SCREENS, type ScreenId } from '../stores/ui.store'
import { T } from '../testids'

/** Stands where a screen's chunk is still loading: its title at once, the body marked busy. */
export function ScreenSkeleton({ id }: { id: ScreenId }) {
  const label = SCREENS.find((s) => s.id === id)?.label ?? ''
  return (
    <section className="screen" aria-busy="true" aria-labelledby="h-skeleton" data-testid={T.screenSkeleton}>
      <header className="screen-head">
        <h1 id="h-skeleton">{label}</h1>
      </header>
      <div className="screen-body">
        <div className="card muted">Loading…</div>
      </div>
    </section>
  )
}
