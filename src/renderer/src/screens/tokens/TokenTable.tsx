import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { Time } from '../../components/Time'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Empty } from '../../components/ui'
import { useTokensStore, knownTotal, rowAt, PAGE_SIZE } from '../../stores/tokens.store'
import { T } from '../../testids'
import { ROW_HEIGHT, StateBadge, expiryText } from './common'
import { useCheckedTokens } from './Bulk'

/** The column headers after the selection box, in the order each row's cells follow. */
const HEADERS = ['Name', 'id', 'State', 'aud', 'Creator', 'Expires', 'Updated']

export function TokenTable() {
  const { pages, walked, walkedRows, more, filter, counts, matched, selectedId, loaded, ensureRows, select } =
    useTokensStore()
  const checked = useCheckedTokens((s) => s.checked)
  const toggle = useCheckedTokens((s) => s.toggle)
  const setAll = useCheckedTokens((s) => s.setAll)
  const parentRef = useRef<HTMLDivElement>(null)
  const [selectedIndex, setSelectedIndex] = useState(-1)
  // Without a known count the scrollbar grows a page at a time as keyset pages arrive.
  const count = knownTotal({ filter, counts, matched, more, walkedRows }) ?? walkedRows + (more ? PAGE_SIZE : 0)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10
  })
  // A new query starts at its first row: a list scrolled deep into the old rows would otherwise open the new ones there.
  useEffect(() => {
    virtualizer.scrollToOffset(0)
    setSelectedIndex(-1)
  }, [filter, virtualizer])
  const items = virtualizer.getVirtualItems()
  const firstIndex = items.length ? items[0].index : 0
  const lastIndex = items.length ? items[items.length - 1].index : 0
  const haveAll = items.every((vi) => rowAt({ pages }, vi.index) || (vi.index >= walkedRows && !more))
  useEffect(() => {
    if (!haveAll) void ensureRows(firstIndex, lastIndex)
  }, [firstIndex, lastIndex, haveAll, ensureRows])

  // A key can move to a row whose page is not loaded yet (End in a large list): that row is selected once it arrives,
  // and the detail pane stops showing the row the user left.
  const pendingIndex = useRef<number | null>(null)
  const pendingRow = selectedIndex >= 0 ? rowAt({ pages }, selectedIndex) : undefined
  useEffect(() => {
    if (pendingIndex.current === null || !pendingRow || pendingIndex.current !== selectedIndex) return
    pendingIndex.current = null
    if (pendingRow.id !== useTokensStore.getState().selectedId) void select(pendingRow.id)
  }, [pendingRow, selectedIndex, select])
  const pageRows = Math.max(1, Math.floor((parentRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1)
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: selectedIndex + 1,
      ArrowUp: selectedIndex - 1,
      PageDown: selectedIndex + pageRows,
      PageUp: selectedIndex - pageRows,
      Home: 0,
      End: count - 1
    }
    if (!(e.key in moves) || count === 0) return
    e.preventDefault()
    const i = Math.max(0, Math.min(count - 1, moves[e.key]))
    setSelectedIndex(i)
    virtualizer.scrollToIndex(i)
    const r = rowAt({ pages }, i)
    if (r) {
      pendingIndex.current = null
      void select(r.id)
    } else {
      pendingIndex.current = i
      void select(null)
    }
  }
  const rows = pages[0] ?? []
  // "Select all" takes the rows read so far (the list pages lazily): the confirmation names how many that is.
  const loadedRows = Object.values(pages).flat()
  const allChecked = loadedRows.length > 0 && loadedRows.every((r) => checked.has(r.id))
  if (loaded && rows.length === 0) return <Empty>No tokens match. Create one, or change the filters.</Empty>
  return (
    <div
      className="vlist"
      ref={parentRef}
      role="grid"
      aria-label="Tokens"
      aria-rowcount={count + 1}
      aria-activedescendant={selectedId ? `tok-${selectedId}` : undefined}
      tabIndex={0}
      onKeyDown={onKey}
      data-testid={T.tokensList}
      data-walked-rows={walkedRows}
      data-walked-pages={walked}
    >
      <div className="vrow vhead" role="row" aria-rowindex={1}>
        <span role="columnheader">
          <input
            type="checkbox"
            aria-label="Select all loaded tokens"
            checked={allChecked}
            onChange={() => setAll(loadedRows, !allChecked)}
          />
        </span>
        {HEADERS.map((h) => (
          <span key={h} role="columnheader">
            {h}
          </span>
        ))}
      </div>
      <div className="vbody" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
        {items.map((vi) => {
          const r = rowAt({ pages }, vi.index)
          return (
            <div
              key={vi.key}
              id={r ? `tok-${r.id}` : undefined}
              role="row"
              aria-rowindex={vi.index + 2}
              aria-selected={r ? r.id === selectedId : undefined}
              className={`vrow${r && r.id === selectedId ? ' selected' : ''}`}
              style={{ transform: `translateY(${vi.start}px)` }}
              data-testid={r ? T.tokensRow : undefined}
              data-id={r?.id}
              onClick={() => {
                if (!r) return
                pendingIndex.current = null
                setSelectedIndex(vi.index)
                void select(r.id)
              }}
            >
              {r ? (
                <>
                  <span role="gridcell" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${r.name}`}
                      checked={checked.has(r.id)}
                      onChange={() => toggle(r.id, r.name)}
                    />
                  </span>
                  <span role="gridcell" className="mono ellipsis" title={r.name}>
                    {r.name}
                  </span>
                  <span role="gridcell" className="mono muted">
                    {r.id}
                  </span>
                  <span role="gridcell">
                    <StateBadge state={r.lifeState} />
                  </span>
                  <span role="gridcell" className="ellipsis" title={r.aud}>
                    {r.aud}
                  </span>
                  <span role="gridcell" className="ellipsis" title={r.creator}>
                    {r.creator}
                  </span>
                  <span role="gridcell" className={r.expire && r.expire * 1000 < Date.now() ? 'bad' : ''}>
                    {r.expire ? <Time value={r.expire * 1000} /> : expiryText(r.expire)}
                  </span>
                  <span role="gridcell" className="muted">
                    <Time value={r.istamp} />
                  </span>
                </>
              ) : (
                <span role="gridcell" className="muted">
                  loading…
                </span>
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}
