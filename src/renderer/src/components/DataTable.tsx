import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { num } from '../lib/format'

export interface Column<R> {
  id: string
  header: string
  /** The cell's content; defaults to text(row). */
  cell?: (row: R) => ReactNode
  /** Plain text of the cell: the hover title of an ellipsized value, and the client-side sort key. */
  text?: (row: R) => string
  /** Sort key when it differs from the text (numbers, times). */
  sortValue?: (row: R) => string | number
  sortable?: boolean
  /** Initial width in px; the column can be resized by dragging its header edge (or arrow keys on the edge). */
  width?: number
  /** Cells that must not be cut (badges, buttons). */
  noEllipsis?: boolean
}

/** A Fess permission list, one look wherever it is shown: the entries in monospace, comma-separated. */
export function permissionsColumn<R>(permissions: (row: R) => string[]): Column<R> {
  return {
    id: 'permissions',
    header: 'Permissions',
    text: (row) => permissions(row).join(', '),
    cell: (row) => <span className="mono">{permissions(row).join(', ')}</span>
  }
}

/** What a Datafor SSO configuration shows in a list, a local app or a server's copy alike. */
interface SsoConfigRow {
  algorithm: string
  fieldmap: { username: string }
  expire: number
  enable: boolean
}

/** The columns of a Datafor SSO configuration after its name: algorithm, login claim, lifetime, enabled. */
export function ssoConfigColumns<R extends SsoConfigRow>(): Column<R>[] {
  return [
    {
      id: 'alg',
      header: 'Algorithm',
      text: (a) => a.algorithm,
      cell: (a) => <span className="mono">{a.algorithm}</span>
    },
    {
      id: 'claim',
      header: 'Login claim',
      text: (a) => a.fieldmap.username,
      cell: (a) => <span className="mono">{a.fieldmap.username}</span>
    },
    { id: 'expire', header: 'Expire', text: (a) => `${num(a.expire)} s`, sortValue: (a) => a.expire },
    { id: 'enable', header: 'Enabled', text: (a) => (a.enable ? 'yes' : 'no') }
  ]
}

export interface SortState {
  column: string
  dir: 'asc' | 'desc'
}

interface Props<R> {
  columns: Column<R>[]
  rows: R[]
  rowKey: (row: R) => string
  label: string
  testId?: string
  rowTestId?: string
  /** Extra data-* attributes per row (what tests and styles key on). */
  rowAttrs?: (row: R) => Record<string, string>
  activeKey?: string | null
  onActivate?: (row: R) => void
  /** Multi-select: checkboxes per row and a header checkbox; absent = no selection column. */
  selected?: ReadonlySet<string>
  onSelectedChange?: (next: Set<string>) => void
  /** Controlled sort (e.g. server-side); without onSortChange the table sorts its rows itself. */
  sort?: SortState | null
  onSortChange?: (s: SortState) => void
  empty?: ReactNode
  /** Extra classes on the <table> (screen-specific styling). */
  className?: string
}

const PAGE_ROWS = 10
const MIN_WIDTH = 48

/**
 * The console's one table: sortable headers, resizable columns, multi-select, ellipsis with the full value on hover,
 * and keyboard moves (arrows, PageUp/PageDown, Home/End, Space selects, Enter opens). Layout is fixed, so a long value
 * never widens the page.
 */
export function DataTable<R>(p: Props<R>) {
  const [ownSort, setOwnSort] = useState<SortState | null>(null)
  const sort = p.onSortChange ? (p.sort ?? null) : ownSort
  const [widths, setWidths] = useState<Record<string, number>>({})
  const [cursor, setCursor] = useState(0)
  const bodyRef = useRef<HTMLTableSectionElement>(null)

  const rows = useMemo(() => {
    if (p.onSortChange || !sort) return p.rows
    const col = p.columns.find((c) => c.id === sort.column)
    if (!col) return p.rows
    const key = (r: R) => col.sortValue?.(r) ?? col.text?.(r) ?? ''
    const out = [...p.rows].sort((a, b) => {
      const x = key(a)
      const y = key(b)
      const c =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true })
      return sort.dir === 'asc' ? c : -c
    })
    return out
  }, [p.rows, p.columns, p.onSortChange, sort])

  const setSort = (column: string) => {
    const next: SortState =
      sort?.column === column && sort.dir === 'asc' ? { column, dir: 'desc' } : { column, dir: 'asc' }
    if (p.onSortChange) p.onSortChange(next)
    else setOwnSort(next)
  }
  const selectable = !!p.onSelectedChange
  const selected = p.selected ?? new Set<string>()
  const toggle = (key: string) => {
    const next = new Set(selected)
    if (next.has(key)) next.delete(key)
    else next.add(key)
    p.onSelectedChange?.(next)
  }
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(p.rowKey(r)))

  const moveTo = (i: number) => {
    const n = Math.max(0, Math.min(rows.length - 1, i))
    setCursor(n)
    bodyRef.current?.querySelectorAll<HTMLElement>('tr')[n]?.scrollIntoView({ block: 'nearest' })
    const r = rows[n]
    if (r) p.onActivate?.(r)
  }
  const onKey = (e: KeyboardEvent) => {
    if (!rows.length) return
    const moves: Record<string, number> = {
      ArrowDown: cursor + 1,
      ArrowUp: cursor - 1,
      PageDown: cursor + PAGE_ROWS,
      PageUp: cursor - PAGE_ROWS,
      Home: 0,
      End: rows.length - 1
    }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key])
    } else if (e.key === ' ' && selectable) {
      e.preventDefault()
      const r = rows[cursor]
      if (r) toggle(p.rowKey(r))
    } else if (e.key === 'Enter') {
      const r = rows[cursor]
      if (r) p.onActivate?.(r)
    }
  }
  const startResize = (col: Column<R>, e: React.PointerEvent<HTMLSpanElement>) => {
    e.preventDefault()
    const th = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect()
    const startX = e.clientX
    const move = (ev: PointerEvent) =>
      setWidths((w) => ({ ...w, [col.id]: Math.max(MIN_WIDTH, Math.round(th.width + ev.clientX - startX)) }))
    const up = () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }
  const nudge = (col: Column<R>, e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
    e.preventDefault()
    e.stopPropagation()
    const th = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect().width
    setWidths((w) => ({
      ...w,
      [col.id]: Math.max(MIN_WIDTH, Math.round((w[col.id] ?? th) + (e.key === 'ArrowRight' ? 16 : -16)))
    }))
  }

  if (!rows.length && p.empty) return <>{p.empty}</>
  return (
    <div className="dt-wrap">
      <table className={`table dt${p.className ? ` ${p.className}` : ''}`} aria-label={p.label} data-testid={p.testId}>
        <colgroup>
          {selectable ? <col style={{ width: 34 }} /> : null}
          {p.columns.map((c) => (
            <col key={c.id} style={(widths[c.id] ?? c.width) ? { width: widths[c.id] ?? c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {selectable ? (
              <th scope="col" className="dt-select">
                <input
                  type="checkbox"
                  aria-label="Select all rows"
                  checked={allSelected}
                  onChange={() => p.onSelectedChange?.(allSelected ? new Set() : new Set(rows.map(p.rowKey)))}
                />
              </th>
            ) : null}
            {p.columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                aria-sort={sort?.column === c.id ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sortable !== false ? (
                  <button type="button" className="dt-sort" onClick={() => setSort(c.id)}>
                    {c.header}
                    <span aria-hidden="true">{sort?.column === c.id ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  c.header
                )}
                <span
                  className="dt-resize"
                  role="separator"
                  aria-orientation="vertical"
                  aria-label={`Resize ${c.header}`}
                  aria-valuenow={widths[c.id] ?? c.width ?? 120}
                  aria-valuemin={MIN_WIDTH}
                  aria-valuemax={2000}
                  tabIndex={0}
                  onPointerDown={(e) => startResize(c, e)}
                  // As in spreadsheets: a double-click on the handle gives the column its natural width back.
                  onDoubleClick={() => setWidths(({ [c.id]: _dropped, ...rest }) => rest)}
                  onKeyDown={(e) => nudge(c, e)}
                />
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef} tabIndex={0} onKeyDown={onKey} aria-label={`${p.label} rows`}>
          {rows.map((r, i) => {
            const key = p.rowKey(r)
            const isSel = selected.has(key)
            return (
              <tr
                key={key}
                data-testid={p.rowTestId}
                data-key={key}
                {...p.rowAttrs?.(r)}
                aria-selected={selectable ? isSel : undefined}
                className={`${key === p.activeKey ? 'selected' : ''}${i === cursor ? ' cursor' : ''}${p.onActivate ? ' clickable' : ''}`}
                onClick={() => {
                  setCursor(i)
                  p.onActivate?.(r)
                }}
              >
                {selectable ? (
                  <td className="dt-select" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${p.columns[0]?.text?.(r) ?? key}`}
                      checked={isSel}
                      onChange={() => toggle(key)}
                    />
                  </td>
                ) : null}
                {p.columns.map((c) => {
                  const text = c.text?.(r)
                  return (
                    <td
                      key={c.id}
                      className={c.noEllipsis ? undefined : 'cell-ellipsis'}
                      title={c.noEllipsis ? undefined : text}
                    >
                      {c.cell ? c.cell(r) : text}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
