import { useEffect, useState } from 'react'
import type { InventoryRow } from '../../../../shared/contract'
import { api } from '../../api'
import { ActionButton } from '../../components/action'
import { DataTable, type Column } from '../../components/DataTable'
import { downloadText } from '../../components/Download'
import { usePaletteActions } from '../../components/paletteActions'
import { Screen } from '../../components/Screen'
import { Time } from '../../components/Time'
import { Empty, ErrorNote } from '../../components/ui'
import { num } from '../../lib/format'
import { filterInput, rowKey, useInventoryStore } from '../../stores/inventory.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { FindingBadges, KIND_LABEL } from './common'
import { InventoryDetail, rotateInfo } from './InventoryDetail'
import { RotateDialog } from '../../components/RotateDialog'
import { InventoryFilters } from './InventoryFilters'
import { RefreshResults } from './RefreshResults'
import { RenewSelected } from './RenewSelected'

/** Columns kept when the list is narrow (a small window, or the detail pane beside it). */
const COMPACT = new Set(['name', 'server', 'state', 'expires', 'findings'])

function useNarrow(query = '(max-width: 1180px)'): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const mq = window.matchMedia(query)
    const on = () => setNarrow(mq.matches)
    mq.addEventListener('change', on)
    return () => mq.removeEventListener('change', on)
  }, [query])
  return narrow
}

const expiryMs = (r: InventoryRow) => (r.expiresAt ? Date.parse(r.expiresAt) : Number.MAX_SAFE_INTEGER)

/** The table's columns; widths only where content has a natural size (the rest share what is left). */
const COLUMNS: Column<InventoryRow>[] = [
  { id: 'name', header: 'Name', text: (r) => r.name },
  { id: 'kind', header: 'Kind', text: (r) => KIND_LABEL[r.kind] },
  { id: 'server', header: 'Server', text: (r) => r.server },
  {
    id: 'id',
    header: 'Id',
    text: (r) => r.remoteId ?? r.id,
    cell: (r) => <span className="mono">{r.remoteId ?? r.id}</span>
  },
  { id: 'state', header: 'State', text: (r) => r.state || '—', width: 110 },
  {
    id: 'expires',
    header: 'Expires',
    text: (r) => r.expiresAt ?? 'never',
    sortValue: expiryMs,
    cell: (r) => <Time value={r.expiresAt} empty="never" />,
    width: 120
  },
  {
    id: 'pulled',
    header: 'Last pulled',
    text: (r) => r.pulledAt ?? 'local',
    sortValue: (r) => (r.pulledAt ? Date.parse(r.pulledAt) : 0),
    cell: (r) => <Time value={r.pulledAt} empty="local" />,
    width: 120
  },
  {
    id: 'findings',
    header: 'Findings',
    text: (r) => String(r.findings.length),
    sortValue: (r) => r.findings.length,
    cell: (r) => <FindingBadges row={r} />,
    noEllipsis: true,
    width: 150
  }
]

/**
 * Every token TokenDesk knows, local and as last pulled from each server, soonest expiry first, with its findings:
 * filters, renew on a selection, a detail pane with each finding's why and fix, export, and a refresh of every server.
 */
export function InventoryScreen() {
  const { rows, nextCursor, counts, error, selected, activeKey, filter, refresh } = useInventoryStore()
  const { load, loadCounts, loadMeta, more, setSelected, activate, refreshAll } = useInventoryStore.getState()
  const toast = useUiStore((s) => s.toast)
  const toastError = useUiStore((s) => s.toastError)
  useEffect(() => {
    void load()
    void loadCounts()
    void loadMeta()
  }, [load, loadCounts, loadMeta])
  const exportAs = async (format: 'csv' | 'json') => {
    const r = await api.inventory.export({ ...filterInput(filter), format })
    if (!r.ok) return toastError(r.error)
    downloadText(`tokendesk-inventory.${format}`, r.value.text, format === 'csv' ? 'text/csv' : 'application/json')
    toast('ok', `Exported ${num(r.value.rows)} row${r.value.rows === 1 ? '' : 's'} as ${format.toUpperCase()}`)
  }
  usePaletteActions('inventory', [
    { id: 'inv-refresh', group: 'Inventory', label: 'Inventory: refresh all servers', run: () => void refreshAll() },
    { id: 'inv-export-csv', group: 'Inventory', label: 'Inventory: export CSV', run: () => void exportAs('csv') }
  ])
  const active = rows.find((r) => rowKey(r) === activeKey) ?? null
  // Beside the detail pane (wide windows) or in a narrow window, the list keeps the columns that decide what to do.
  const compact = useNarrow() || !!active
  // The row being rotated, kept here: retiring the old token takes it out of the list (and its detail pane away).
  const [rotating, setRotating] = useState<InventoryRow | null>(null)
  const rot = rotating ? rotateInfo(rotating) : null
  const total = counts ? counts.high + counts.warning : null
  return (
    <Screen
      id="inventory"
      title="Inventory"
      actions={
        <>
          <ActionButton className="btn" testId={T.invExport('csv')} onClick={() => exportAs('csv')}>
            Export CSV
          </ActionButton>
          <ActionButton className="btn" testId={T.invExport('json')} onClick={() => exportAs('json')}>
            Export JSON
          </ActionButton>
          <ActionButton className="btn primary" testId={T.invRefresh} busy={!!refresh} onClick={() => refreshAll()}>
            Refresh all servers
          </ActionButton>
        </>
      }
    >
      <InventoryFilters />
      <div className="row">
        <span className="muted" data-testid={T.invTotal}>
          {num(rows.length)}
          {nextCursor ? '+' : ''} row{rows.length === 1 ? '' : 's'}
        </span>
        {counts ? (
          <span className="muted">
            Findings: <strong data-testid={T.invFindingsTotal}>{num(total)}</strong> ({num(counts.high)} high,{' '}
            {num(counts.warning)} warning
            {counts.warning === 1 ? '' : 's'}; watch window {num(counts.windowDays)} days)
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} where="inventory" />
      <RefreshResults />
      <RenewSelected rows={rows} />
      <div className={`split${active ? '' : ' no-detail'}`}>
        <div>
          <DataTable
            label="Inventory"
            className="inv-table"
            rows={rows}
            rowKey={rowKey}
            rowTestId={T.invRow}
            rowAttrs={(r) => ({ 'data-kind': r.kind, 'data-server': r.server })}
            activeKey={activeKey}
            onActivate={(r) => activate(rowKey(r))}
            selected={selected}
            onSelectedChange={setSelected}
            empty={<Empty>No token matches these filters.</Empty>}
            columns={COLUMNS.filter((c) => !compact || COMPACT.has(c.id))}
          />
          {nextCursor ? (
            <div className="actions left">
              <ActionButton className="btn" testId={T.invMore} onClick={() => more()}>
                Load more
              </ActionButton>
            </div>
          ) : null}
        </div>
        {active ? <InventoryDetail row={active} onRotate={setRotating} /> : null}
      </div>
      <RotateDialog
        target={rot}
        rotate={(flags) => api.inventory.rotate({ kind: rotating!.kind, id: rotating!.id, ...flags })}
        onClose={() => setRotating(null)}
        onChanged={() => void Promise.all([load(), loadCounts()])}
      />
    </Screen>
  )
}
