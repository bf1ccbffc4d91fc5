import type { ReactNode } from 'react'
import { T } from '../testids'
import type { ScreenId } from '../stores/ui.store'

export function Screen({
  id,
  title,
  actions,
  children
}: {
  id: ScreenId
  title: string
  actions?: ReactNode
  children: ReactNode
}) {
  return (
    <section className="screen" data-testid={T.screen(id)} aria-labelledby={`h-${id}`}>
      <header className="screen-head">
        <h1 id={`h-${id}`}>{title}</h1>
        <div className="screen-actions">{actions}</div>
      </header>
      <div className="screen-body">{children}</div>
    </section>
  )
}
