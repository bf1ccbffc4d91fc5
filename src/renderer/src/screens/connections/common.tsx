import { num } from '../../lib/format'
import { T } from '../../testids'
import type { AppErrorShape } from '../../../../shared/errors'

export function RemoteSearch({
  value,
  onChange,
  shown,
  total
}: {
  value: string
  onChange: (v: string) => void
  shown: number
  total: number
}) {
  return (
    <>
      <input
        type="search"
        className="remote-search"
        aria-label="Search this server's list"
        placeholder="Search by name or id…"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {value ? <span className="muted">{`${num(shown)} of ${num(total)}`}</span> : null}
    </>
  )
}

export function matches(q: string, ...fields: Array<string | null | undefined>): boolean {
  const needle = q.trim().toLowerCase()
  return !needle || fields.some((f) => f?.toLowerCase().includes(needle))
}

/** The rows of a server list and their selection, keyed by `key`: what its table and its selection delete share. */
export function remoteSelection<R>(
  rows: R[],
  key: (row: R) => string,
  selected: Set<string>,
  onSelectedChange: (s: Set<string>) => void
) {
  return { rows, rowKey: key, selected, onSelectedChange }
}

/** The row props every server list's table takes: the selection's, plus each row's test id and data-id. */
export function remoteRows<R>(
  rows: R[],
  key: (row: R) => string,
  selected: Set<string>,
  onSelectedChange: (s: Set<string>) => void
) {
  return {
    ...remoteSelection(rows, key, selected, onSelectedChange),
    rowTestId: T.remoteRow,
    rowAttrs: (row: R) => ({ 'data-id': key(row) })
  }
}

/**
 * What a server list does after a selection delete: name what went, reload the list, then show the first error, so a
 * retry after a CONFLICT (whose advice is to reload) sends the server's current version, not the stale one again.
 */
export function afterServerDelete(
  toast: (kind: 'ok', text: string) => void,
  refresh: () => Promise<unknown>,
  setError: (e: AppErrorShape | null) => void,
  label: (key: string) => string = (key) => key
) {
  return async (deleted: string[], err: AppErrorShape | null) => {
    if (deleted.length) toast('ok', `Deleted ${deleted.map((k) => `'${label(k)}'`).join(', ')} on the server`)
    await refresh()
    setError(err)
  }
}
