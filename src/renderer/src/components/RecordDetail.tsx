import type { ReactNode } from 'react'
import type { AppErrorShape, Result } from '../../../shared/errors'
import type { AuditEntry } from '../../../shared/contract'
import type { Column } from './DataTable'
import { ErrorNote, Modal, confirmAction } from './ui'
import { ActionButton } from './action'
import { useUiStore } from '../stores/ui.store'
import { AuditTable } from '../screens/Audit'
import type { RecordFormState } from '../lib/recordForm'

/** The first column of a record list: the record's name, a button that selects it. */
export function nameColumn<R extends { id: string; name: string }>(select: (id: string) => unknown): Column<R> {
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

interface RecordActionsProps<R extends { id: string; name: string; version: number; origin: unknown }> {
  rec: R
  /** What the record is called in titles and toasts: "Access token", "SSO app". */
  kind: string
  /** The delete confirmation: its title and what a delete removes. */
  confirm: { title: string; body: string }
  remove(rec: R): Promise<Result<unknown>>
  onEdit(): void
  error: AppErrorShape | null
  setError(e: AppErrorShape | null): void
  where: string
  editTestId: string
  deleteTestId: string
}

/** A record detail's error note and its Edit and Delete (confirmed) buttons; a pulled, read-only copy cannot be edited. */
export function RecordActions<R extends { id: string; name: string; version: number; origin: unknown }>(
  p: RecordActionsProps<R>
) {
  const toast = useUiStore((s) => s.toast)
  const del = async () => {
    if (!(await confirmAction({ ...p.confirm, confirmLabel: 'Delete' }))) return
    const r = await p.remove(p.rec)
    p.setError(r.ok ? null : r.error)
    if (r.ok) toast('ok', `${p.kind} ${p.rec.name} deleted`)
  }
  return (
    <>
      <ErrorNote error={p.error} where={p.where} />
      <div className="actions left">
        <button type="button" className="btn" data-testid={p.editTestId} onClick={p.onEdit} disabled={!!p.rec.origin}>
          Edit
        </button>
        <ActionButton className="btn danger" data-testid={p.deleteTestId} onClick={() => del()}>
          Delete
        </ActionButton>
      </div>
    </>
  )
}

/** A record's audit trail under its detail. */
export function RecordHistory({ items, testId }: { items: AuditEntry[]; testId: string }) {
  return (
    <>
      <h3>History</h3>
      <AuditTable items={items} testId={testId} />
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
