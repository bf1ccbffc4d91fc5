import { useEffect, useState } from 'react'
import { num } from '../../lib/format'
import { Screen } from '../../components/Screen'
import { RecordFormModal } from '../../components/RecordDetail'
import { ErrorNote } from '../../components/ui'
import { useTokensStore, exactTotal, firstRowOf } from '../../stores/tokens.store'
import { T } from '../../testids'
import { matchCountText, type TokenRecord } from '../../../../shared/contract'
import { TokenForm } from './TokenForm'
import { TokenDetail } from './TokenDetail'
import { TokenTable } from './TokenTable'
import { Filters } from './Filters'
import { GettingStarted, StoreIO } from './StoreIO'
import { BulkBar } from './Bulk'
import { useRecordForm } from '../../lib/recordForm'

function totalLabel(
  exact: number | null,
  matched: { count: number; capped: boolean } | null,
  walkedRows: number,
  more: boolean
): string {
  if (exact !== null) return `${num(exact)} token${exact === 1 ? '' : 's'}`
  return matchCountText(!more ? { count: walkedRows, capped: false } : (matched ?? { count: walkedRows, capped: true }))
}

export function TokensScreen() {
  const { reload, loadCounts, walkedRows, more, filter, counts, matched, error, detail, seeking } = useTokensStore()
  const { form, openNew, openEdit, closeForm } = useRecordForm<TokenRecord>()
  const [io, setIo] = useState<'export' | 'import' | null>(null)
  useEffect(() => {
    void reload()
    void loadCounts()
  }, [reload, loadCounts])
  const select = useTokensStore((st) => st.select)
  // Esc closes the detail pane, unless a dialog or the palette is what Esc is closing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return
      if (useTokensStore.getState().selectedId) void select(null)
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [select])
  const exact = exactTotal(filter, counts)
  const emptyStore = !!counts && counts.live + counts.bin === 0
  return (
    <Screen
      id="tokens"
      title="Tokens"
      actions={
        <>
          <button type="button" className="btn" onClick={() => setIo('import')}>
            Import…
          </button>
          <button type="button" className="btn" onClick={() => setIo('export')}>
            Export…
          </button>
        </>
      }
      onCreate={openNew}
    >
      {emptyStore ? <GettingStarted onImport={() => setIo('import')} /> : null}
      <Filters />
      <div className="row">
        <span className="muted" data-testid={T.tokensTotal}>
          {totalLabel(exact, matched, walkedRows, more)}
        </span>
        {seeking ? (
          <span className="muted" role="status">
            Reading keyset pages to reach row {num(firstRowOf(seeking.target))}: page {num(seeking.page)} of{' '}
            {num(seeking.target)}…
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} where="tokens" />
      <BulkBar />
      <div className={`split${detail ? '' : ' no-detail'}`}>
        <TokenTable />
        {detail ? <TokenDetail onEdit={openEdit} /> : null}
      </div>
      <StoreIO mode={io} onClose={() => setIo(null)} />
      <RecordFormModal form={form} onClose={closeForm} newTitle="New token (ADD)" editSuffix=" (SET)">
        <TokenForm record={form.record} onDone={closeForm} />
      </RecordFormModal>
    </Screen>
  )
}
