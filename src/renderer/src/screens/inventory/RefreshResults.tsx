import type { AppErrorShape } from '../../../../shared/errors'
import { ErrorNote, Progress } from '../../components/ui'
import { consoleMessage } from '../../lib/errors'
import { num } from '../../lib/format'
import { useInventoryStore } from '../../stores/inventory.store'
import { T } from '../../testids'

/** "Refresh all servers": progress, then one line per server (pulled N, or its error code and message). */
export function RefreshResults() {
  const refresh = useInventoryStore((s) => s.refresh)
  const result = useInventoryStore((s) => s.refreshResult)
  const error = useInventoryStore((s) => s.refreshError)
  const clear = useInventoryStore((s) => s.clearRefresh)
  if (!refresh && !result && !error) return null
  return (
    <section className="card" aria-labelledby="inv-refresh-h">
      <div className="row">
        <h2 id="inv-refresh-h" className="grow">
          Refresh of every server
        </h2>
        {refresh ? null : (
          <button type="button" className="btn small ghost" aria-label="Close the refresh results" onClick={clear}>
            ×
          </button>
        )}
      </div>
      {refresh ? <Progress done={refresh.done} total={refresh.total} label="Servers refreshed" /> : null}
      <ErrorNote error={error} where="inv-refresh" />
      {result ? (
        result.servers.length ? (
          <ul className="refresh-results">
            {result.servers.map((s) => (
              <li key={s.connection} data-testid={T.invRefreshResult} data-ok={String(s.ok)}>
                <strong>{s.connection}</strong> <span className="muted">({s.kind})</span>:{' '}
                {s.ok ? (
                  <span className="ok">refreshed, {num(s.pulled ?? 0)} pulled</span>
                ) : (
                  <span className="bad">
                    <span className="code">{s.error?.code}</span>{' '}
                    {s.error ? consoleMessage({ ...s.error, code: s.error.code as AppErrorShape['code'] }) : 'failed'}
                  </span>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No connections to refresh: add one on the Connections screen.</p>
        )
      ) : null}
    </section>
  )
}
