import { useState } from 'react'
import { ActionButton } from './action'
import { Progress, confirmAction } from './ui'
import { num } from '../lib/format'
import type { AppErrorShape, Result } from '../../../shared/errors'

interface Props<R> {
  rows: R[]
  selected: ReadonlySet<string>
  onSelectedChange: (next: Set<string>) => void
  rowKey: (r: R) => string
  name: (r: R) => string
  /** "access token": the confirmation and the toast name what is deleted. */
  noun: string
  where: string
  remove: (r: R) => Promise<Result<unknown>>
  /** After the run (reload the list); the first error is reported once the list is current. */
  onDone: (deleted: string[], error: AppErrorShape | null) => Promise<void> | void
  testId?: string
}

/** Delete on a table's selection: one confirmation naming the items, then one request each with a progress bar. */
export function SelectionDelete<R>(p: Props<R>) {
  const [run, setRun] = useState<{ done: number; total: number } | null>(null)
  const chosen = p.rows.filter((r) => p.selected.has(p.rowKey(r)))
  if (!chosen.length && !run) return null
  const go = async () => {
    const names = chosen.map(p.name)
    const title =
      chosen.length === 1
        ? `Delete ${p.noun} '${names[0]}' on the server?`
        : `Delete ${num(chosen.length)} ${p.noun}s on the server?`
    if (
      !(await confirmAction({ title, body: 'This cannot be undone.', item: names.join(', '), confirmLabel: 'Delete' }))
    )
      return
    const deleted: string[] = []
    let error: AppErrorShape | null = null
    setRun({ done: 0, total: chosen.length })
    for (const [i, r] of chosen.entries()) {
      const res = await p.remove(r)
      if (res.ok) deleted.push(p.rowKey(r))
      else error ??= res.error
      setRun({ done: i + 1, total: chosen.length })
    }
    const left = new Set(p.selected)
    for (const k of deleted) left.delete(k)
    p.onSelectedChange(left)
    await p.onDone(deleted, error)
    setRun(null)
  }
  return (
    <div className="row selection-bar" role="group" aria-label="Selection">
      <span>{num(chosen.length)} selected</span>
      <ActionButton className="btn small danger" testId={p.testId} onClick={() => go()}>
        Delete selected
      </ActionButton>
      <button type="button" className="btn small" onClick={() => p.onSelectedChange(new Set())}>
        Clear selection
      </button>
      {run ? <Progress done={run.done} total={run.total} label="Delete progress" /> : null}
    </div>
  )
}
