import { useState, type ReactNode } from 'react'
import { ErrorNote } from '../../components/ui'
import { SelectionDelete } from '../../components/SelectionDelete'
import type { Column } from '../../components/DataTable'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { num } from '../../lib/format'
import { T } from '../../testids'
import type { AppErrorShape, Result } from '../../../../shared/errors'

function matches(q: string, fields: Array<string | null | undefined>): boolean {
  const needle = q.trim().toLowerCase()
  return !needle || fields.some((f) => f?.toLowerCase().includes(needle))
}

/**
 * What every server list keeps: its search (the list is already here, so it filters as the user types), the rows it
 * shows, their selection keyed by `key`, and the error of the last action on them.
 */
export function useRemoteList<R>(
  items: R[],
  key: (row: R) => string,
  searched: (row: R) => Array<string | null | undefined>
) {
  const [q, setQ] = useState('')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [error, setError] = useState<AppErrorShape | null>(null)
  const shown = items.filter((row) => matches(q, searched(row)))
  return { items, key, q, setQ, shown, selected, setSelected, error, setError }
}

export type RemoteList<R> = ReturnType<typeof useRemoteList<R>>

/** The row props of a server list's table: the shown rows, their selection, each row's test id and data-id. */
export function remoteRows<R>(list: RemoteList<R>) {
  return {
    rows: list.shown,
    rowKey: list.key,
    selected: list.selected,
    onSelectedChange: list.setSelected,
    rowTestId: T.remoteRow,
    rowAttrs: (row: R) => ({ 'data-id': list.key(row) })
  }
}

export interface RemoteBulkDelete<R> {
  /** "access token": the confirmation and the toast name what is deleted. */
  noun: string
  name: (row: R) => string
  remove: (row: R) => Promise<Result<unknown>>
  testId: string
  /** How the toast names a deleted row by its key (the key itself by default). */
  label?: (key: string) => string
}

/**
 * The head of a server list: its "new" button, the search box, the panel's own notes, then what the panel shows once
 * (`children`), the last action's error and the delete of the selection.
 */
export function RemoteToolbar<R>({
  list,
  newLabel,
  onNew,
  extra,
  bulk,
  children
}: {
  list: RemoteList<R>
  newLabel: string
  onNew: () => void
  extra?: ReactNode
  bulk: RemoteBulkDelete<R>
  children?: ReactNode
}) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const label = bulk.label ?? ((key: string) => key)
  // Reload before showing the first error, so a retry after a CONFLICT (whose advice is to reload) sends the
  // server's current version, not the stale one again.
  const afterDelete = async (deleted: string[], err: AppErrorShape | null) => {
    if (deleted.length) toast('ok', `Deleted ${deleted.map((k) => `'${label(k)}'`).join(', ')} on the server`)
    await refresh()
    list.setError(err)
  }
  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn primary" data-testid={T.remoteNew} onClick={onNew}>
          {newLabel}
        </button>
        <input
          type="search"
          className="remote-search"
          aria-label="Search this server's list"
          placeholder="Search by name or id…"
          value={list.q}
          onChange={(e) => list.setQ(e.target.value)}
        />
        {list.q ? <span className="muted">{`${num(list.shown.length)} of ${num(list.items.length)}`}</span> : null}
        {extra}
      </div>
      {children}
      <ErrorNote error={list.error} where="remote-action" />
      <SelectionDelete
        rows={list.shown}
        rowKey={list.key}
        selected={list.selected}
        onSelectedChange={list.setSelected}
        name={bulk.name}
        noun={bulk.noun}
        where="remote-action"
        testId={bulk.testId}
        remove={bulk.remove}
        onDone={afterDelete}
      />
    </>
  )
}

/** A small button in a server row's actions, named for screen readers by what it acts on. */
export function RowButton({
  label,
  aria,
  testId,
  onClick
}: {
  label: string
  aria: string
  testId?: string
  onClick: () => void
}) {
  return (
    <button
      type="button"
      className="btn small"
      {...(testId ? { 'data-testid': testId } : {})}
      onClick={onClick}
      aria-label={aria}
    >
      {label}
    </button>
  )
}

/** The last column of a server list: the row's action buttons, on one line, never sorted or cut short. */
export function remoteActions<R>(width: number, buttons: (row: R) => ReactNode): Column<R> {
  return {
    id: 'actions',
    header: 'Actions',
    sortable: false,
    noEllipsis: true,
    width,
    cell: (row) => <span className="nowrap">{buttons(row)}</span>
  }
}

/** The Edit button of a server row: opens the panel's form on that row. */
export function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  return <RowButton label="Edit" aria={`Edit ${name}`} testId={T.remoteEdit} onClick={onClick} />
}
