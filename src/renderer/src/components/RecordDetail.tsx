import type { ReactNode } from 'react'
import type { AppErrorShape, Result } from '../../../shared/errors'
import type { AuditEntry } from '../../../shared/contract'
import { DataTable, type Column } from './DataTable'
import { Badge, ErrorNote, Modal, confirmAction } from './ui'
import { ActionButton } from './action'
import { useUiStore } from '../stores/ui.store'
import { AuditTable } from '../screens/Audit'
import type { RecordFormState } from '../lib/recordForm'
import { T } from '../testids'

/** The first column of a record list: the record's name, a button that selects it. */
function nameColumn<R extends { id: string; name: string }>(select: (id: string) => unknown): Column<R> {
  return {
    id: 'name',
    header: 'Name',
    text: (r) => r.name,
    cell: (r) => (
      <ActionButton className="linklike" onClick={() => select(r.id)}>
        {r.name}
      </ActionButton>
    )
  }
}

/** A record list screen's table, led by the name column; `children` (the empty state) while there are no records. */
export function RecordTable<R extends { id: string; name: string }>(p: {
  label: string
  list: { items: R[]; selectedId: string | null; select(id: string): unknown }
  rowTestId: string
  columns: Column<R>[]
  children: ReactNode
}) {
  const { items, selectedId, select } = p.list
  if (items.length === 0) return p.children
  return (
    <DataTable
      label={p.label}
      rows={items}
      rowKey={(r) => r.id}
      rowTestId={p.rowTestId}
      activeKey={selectedId}
      onActivate={(r) => void select(r.id)}
      columns={[nameColumn(select), ...p.columns]}
    />
  )
}

/** A record kind as the shared detail parts name it. */
export interface RecordKind {
  /** What a record is called in titles and toasts: "access token", "SSO app". */
  noun: string
  /** The prefix of the kind's test ids and error notes: `access` gives access-edit, access-history-row, access-action. */
  prefix: string
  /** What a delete removes, for its confirmation. */
  removes: string
}

const capitalized = (noun: string) => noun.charAt(0).toUpperCase() + noun.slice(1)

/**
 * A record's detail pane: its name, its badges (a pulled, read-only copy says so), the kind's own parts, and last the
 * record's audit trail.
 */
export function RecordPane(p: {
  kind: RecordKind
  rec: { name: string; origin: unknown }
  badges: ReactNode
  history: AuditEntry[]
  children: ReactNode
}) {
  return (
    <aside className="detail" aria-label={`${capitalized(p.kind.noun)} ${p.rec.name}`}>
      <h2>{p.rec.name}</h2>
      <div className="row">
        {p.badges}
        {p.rec.origin ? <Badge kind="info">read-only copy</Badge> : null}
      </div>
      {p.children}
      <h3>History</h3>
      <AuditTable items={p.history} testId={`${p.kind.prefix}-history-row`} />
    </aside>
  )
}

interface RecordActionsProps<R extends { id: string; name: string; version: number; origin: unknown }> {
  kind: RecordKind
  rec: R
  remove(rec: R): Promise<Result<unknown>>
  onEdit(): void
  error: AppErrorShape | null
  setError(e: AppErrorShape | null): void
}

/** A record detail's error note and its Edit and Delete (confirmed) buttons; a pulled, read-only copy cannot be edited. */
export function RecordActions<R extends { id: string; name: string; version: number; origin: unknown }>(
  p: RecordActionsProps<R>
) {
  const toast = useUiStore((s) => s.toast)
  const { noun, prefix, removes } = p.kind
  const del = async () => {
    const title = `Delete ${noun} ${p.rec.name}?`
    if (!(await confirmAction({ title, body: removes, confirmLabel: 'Delete' }))) return
    const r = await p.remove(p.rec)
    p.setError(r.ok ? null : r.error)
    if (r.ok) toast('ok', `${capitalized(noun)} ${p.rec.name} deleted`)
  }
  return (
    <>
      <ErrorNote error={p.error} where={`${prefix}-action`} />
      <div className="actions left">
        <button
          type="button"
          className="btn"
          data-testid={T.recordEdit(prefix)}
          onClick={p.onEdit}
          disabled={!!p.rec.origin}
        >
          Edit
        </button>
        <ActionButton className="btn danger" data-testid={T.recordDelete(prefix)} onClick={() => del()}>
          Delete
        </ActionButton>
      </div>
    </>
  )
}

/** A list screen's add/edit dialog: titled "Edit <name>" on a record, `newTitle` when empty. */
export function RecordFormModal<R extends { name: string }>(p: {
  form: RecordFormState<R>
  onClose: () => void
  newTitle: string
  /** The edit title's words after the name (the tokens screen names the protocol verb). */
  editSuffix?: string
  children: ReactNode
}) {
  const title = p.form.record ? `Edit ${p.form.record.name}${p.editSuffix ?? ''}` : p.newTitle
  return (
    <Modal open={p.form.open} title={title} onClose={p.onClose} wide>
      {p.children}
    </Modal>
  )
}
