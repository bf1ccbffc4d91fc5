import { useEffect } from 'react'
import { Screen } from '../components/Screen'
import { Badge, Empty, ErrorNote, useDebounced } from '../components/ui'
import { useAuditStore } from '../stores/audit.store'
import { T } from '../testids'
import { absolute } from '../lib/format'
import { Time } from '../components/Time'
import { DataTable, type Column } from '../components/DataTable'
import type { AuditEntry } from '../../../shared/contract'
import { ActionButton } from '../components/action'
import { FilterSelect, FilterText } from '../components/FilterFields'

/** The outcomes the filter offers: success, then the error codes an audited change most often ends with. */
const OUTCOMES = ['ok', 'VALIDATION', 'INVALID_STATE', 'NOT_FOUND', 'CONFLICT', 'KEYCHAIN_UNAVAILABLE', 'AUTH']

/** The free-text filters: the filter key, its label, a hint and its test id. */
const TEXT_FILTERS = [
  { key: 'action', label: 'Action', placeholder: 'e.g. tokens:add', testId: T.auditFilterAction },
  { key: 'target', label: 'Target', placeholder: 'id or name', testId: T.auditFilterTarget }
] as const

const detailsText = (e: AuditEntry) => (e.details ? JSON.stringify(e.details) : '')

/** The target's current name (joined by the audit read), else the name the entry's input carried. */
function targetName(e: AuditEntry): string | null {
  if (e.targetName && e.targetName !== e.target) return e.targetName
  const n = e.details?.name
  return typeof n === 'string' && n !== e.target ? n : null
}

const AUDIT_COLUMNS: Column<AuditEntry>[] = [
  {
    id: 'at',
    header: 'When',
    width: 140,
    text: (e) => absolute(e.at),
    sortValue: (e) => e.id,
    cell: (e) => <Time value={e.at} />,
    noEllipsis: true
  },
  { id: 'actor', header: 'Actor', width: 80, text: (e) => e.actor },
  {
    id: 'action',
    header: 'Action',
    width: 130,
    text: (e) => e.action,
    cell: (e) => <span className="mono">{e.action}</span>
  },
  {
    id: 'target',
    header: 'Target',
    width: 170,
    text: (e) => [e.target ?? '—', targetName(e)].filter(Boolean).join(' · '),
    cell: (e) => (
      <>
        <span className="mono">{e.target ?? '—'}</span>
        {targetName(e) ? <span className="muted"> · {targetName(e)}</span> : null}
      </>
    )
  },
  {
    id: 'outcome',
    header: 'Outcome',
    width: 90,
    text: (e) => e.outcome,
    cell: (e) => <Badge kind={e.outcome === 'ok' ? 'ok' : 'bad'}>{e.outcome}</Badge>
  },
  {
    id: 'details',
    header: 'Details',
    text: detailsText,
    cell: (e) => <span className="mono muted">{detailsText(e)}</span>
  }
]

export function AuditTable({ items, testId = T.auditRow }: { items: AuditEntry[]; testId?: string }) {
  return (
    <DataTable
      label="Audit entries"
      columns={AUDIT_COLUMNS}
      rows={items}
      rowKey={(e) => String(e.id)}
      rowTestId={testId}
      rowAttrs={(e) => ({ 'data-action': e.action, 'data-outcome': e.outcome })}
    />
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
        {TEXT_FILTERS.map((f) => (
          <FilterText
            key={f.key}
            label={f.label}
            value={filter[f.key]}
            placeholder={f.placeholder}
            onChange={(v) => setFilter({ [f.key]: v })}
            testId={f.testId}
          />
        ))}
        <FilterSelect
          label="Outcome"
          values={OUTCOMES}
          value={filter.outcome}
          onChange={(outcome) => setFilter({ outcome })}
          testId={T.auditFilterOutcome}
        />
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
