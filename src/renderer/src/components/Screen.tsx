import type { ReactNode } from 'react'
import { T } from '../testids'
import { SCREENS, type ScreenId } from '../stores/ui.store'
import { usePaletteActions } from './paletteActions'
import { ActionButton } from './action'

/** A list screen's create action: the heading button's test id (the palette action's id too) and words. */
interface CreateWords {
  testId: string
  button: string
  palette: string
}

/** What each list screen creates; the palette groups it under the screen's name. */
const CREATE: Partial<Record<ScreenId, CreateWords>> = {
  tokens: { testId: T.tokensNew, button: 'New token…', palette: 'Tokens: create a token (ADD)' },
  accessTokens: { testId: T.accessNew, button: 'New access token…', palette: 'Access tokens: create' },
  ssoApps: { testId: T.ssoNew, button: 'New SSO app…', palette: 'SSO apps: create' },
  connections: { testId: T.connNew, button: 'Add connection…', palette: 'Connections: add a server' }
}

/** The create action's primary button; while it is shown, the palette offers the same action. */
function CreateButton({ screen, run }: { screen: ScreenId; run: () => void }) {
  const words = CREATE[screen]
  const group = SCREENS.find((s) => s.id === screen)?.label ?? screen
  usePaletteActions(screen, words ? [{ id: words.testId, group, label: words.palette, run }] : [])
  return words ? (
    <ActionButton className="btn primary" testId={words.testId} onClick={run}>
      {words.button}
    </ActionButton>
  ) : null
}

export function Screen({
  id,
  title,
  actions,
  onCreate,
  children
}: {
  id: ScreenId
  title: string
  /** Buttons in the heading; the create action's button comes last. */
  actions?: ReactNode
  /** Opens the screen's "new record" form (the screens in CREATE). */
  onCreate?: () => void
  children: ReactNode
}) {
  return (
    <section className="screen" data-testid={T.screen(id)} aria-labelledby={`h-${id}`}>
      <header className="screen-head">
        <h1 id={`h-${id}`}>{title}</h1>
        <div className="screen-actions">
          {actions}
          {onCreate ? <CreateButton screen={id} run={onCreate} /> : null}
        </div>
      </header>
      <div className="screen-body">{children}</div>
    </section>
  )
}
