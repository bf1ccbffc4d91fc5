import { useEffect } from 'react'
import { num } from '../lib/format'
import { useTokensStore } from '../stores/tokens.store'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { usePick } from '../stores/pick'

/** Token counts per state under the navigation; a click filters the Tokens screen. */
export function SidebarExtras() {
  const { counts, loadCounts, setFilter } = usePick(useTokensStore, 'counts', 'loadCounts', 'setFilter')
  const { go, screen } = usePick(useUiStore, 'go', 'screen')
  // Refreshed on every navigation: other screens (pull, seed, import) change the counts too.
  useEffect(() => {
    void loadCounts()
  }, [loadCounts, screen])
  if (!counts) return null
  const rows: [string, number, () => void][] = [
    ['live', counts.live, () => setFilter({ state: '', published: '', bin: false })],
    ['enabled', counts.enabled, () => setFilter({ state: 'enabled', published: '', bin: false })],
    ['disabled', counts.disabled, () => setFilter({ state: 'disabled', published: '', bin: false })],
    ['online', counts.online, () => setFilter({ state: '', published: 'online', bin: false })],
    ['offline', counts.offline, () => setFilter({ state: '', published: 'offline', bin: false })],
    ['bin', counts.bin, () => setFilter({ state: '', published: '', bin: true })]
  ]
  return (
    <section className="side-counts" aria-labelledby="side-counts-h">
      <h2 id="side-counts-h">Tokens by state</h2>
      <dl>
        {rows.map(([label, n, apply]) => (
          <div key={label} className="side-count">
            <dt>
              <button
                type="button"
                className="linklike"
                onClick={() => {
                  apply()
                  go('tokens')
                }}
              >
                {label}
              </button>
            </dt>
            <dd data-testid={T.tokensCount(label)}>{num(n)}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
