import { useEffect } from 'react'
import { Screen } from '../components/Screen'
import { Badge, Empty, ErrorNote, useDebounced } from '../components/ui'
import { useAuditStore } from '../stores/audit.store'
import { T } from '../testids'
import { isoShort, relative } from '../lib/time'
import type { AuditEntry } from '../../../shared/contract'
import { ActionButton } from '../components/action'

export function AuditTable({ items, testId = T.auditRow }: { items: AuditEntry[]; testId?: string }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Outcome</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id} data-testid={testId} data-action={e.action} data-outcome={e.outcome}>
            <td className="nowrap" title={isoShort(e.at)}>
              {relative(e.at)}
            </td>
            <td>{e.actor}</td>
            <td className="mono">{e.action}</td>
            <td className="mono">{e.target ?? '—'}</td>
            <td>
              <Badge kind={e.outcome === 'ok' ? 'ok' : 'bad'}>{e.outcome}</Badge>
            </td>
            <td className="mono details" title={e.details ? JSON.stringify(e.details) : ''}>
              {e.details ? JSON.stringify(e.details) : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function AuditScreen() {
  const { filter, items, nextCursor, loading, error, setFilter, load, loadMore } = useAuditStore()
  const debounced = useDebounced(filter, 250)
  useEffect(() => {
    void load()
    // The debounced filter drives the query; load reads the filter from the store.
  }, [debounced, load])

  return (
    <Screen id="audit" title="Audit log">
      <div className="toolbar" role="search">
        <label className="inline">
          Action
          <input
            data-testid={T.auditFilterAction}
            value={filter.action}
            placeholder="e.g. tokens:add"
            onChange={(e) => setFilter({ action: e.target.value })}
          />
        </label>
        <label className="inline">
          Target
          <input data-testid={T.auditFilterTarget} value={filter.target} placeholder="id or name" onChange={(e) => setFilter({ target: e.target.value })} />
        </label>
        <label className="inline">
          Outcome
          <select data-testid={T.auditFilterOutcome} value={filter.outcome} onChange={(e) => setFilter({ outcome: e.target.value })}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="VALIDATION">VALIDATION</option>
            <option value="INVALID_STATE">INVALID_STATE</option>
            <option value="NOT_FOUND">NOT_FOUND</option>
            <option value="CONFLICT">CONFLICT</option>
            <option value="KEYCHAIN_UNAVAILABLE">KEYCHAIN_UNAVAILABLE</option>
            <option value="AUTH">AUTH</option>
          </select>
        </label>
        <ActionButton className="btn" onClick={() => load()}>
          Refresh
        </ActionButton>
      </div>
      <ErrorNote error={error} where="audit" />
      {items.length === 0 && !loading ? <Empty>No audit entries match.</Empty> : <AuditTable items={items} />}
      {nextCursor !== null ? (
        <ActionButton className="btn" data-testid={T.auditMore} onClick={() => loadMore()} disabled={loading}>
          Load older entries
        </ActionButton>
      ) : null}
    </Screen>
  )
}
