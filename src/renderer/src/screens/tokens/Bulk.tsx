import { useState } from 'react'
import { create } from 'zustand'
import { ErrorNote, Modal, Progress, confirmAction, confirmWithReason } from '../../components/ui'
import { call } from '../../api'
import { useTokensStore, undoKey, type VerbName } from '../../stores/tokens.store'
import { useUiStore } from '../../stores/ui.store'
import { num } from '../../lib/format'
import type { AppErrorShape } from '../../../../shared/errors'
import { DIS_REASON, VERB_DONE, VERB_LABEL } from './TokenDetail'

type BulkVerb = Exclude<VerbName, 'set'>
const BULK_VERBS: BulkVerb[] = ['dis', 'enb', 'pub', 'off', 'dol', 'rcc', 'del']
/** Up to this many tokens the confirmation names each one; above it, the count and the first few. */
const NAME_ALL = 5

/** The checked rows of the Tokens list (id → name), apart from the one row the detail pane shows. */
interface Checked {
  checked: ReadonlyMap<string, string>
  toggle(id: string, name: string): void
  setAll(rows: { id: string; name: string }[], on: boolean): void
  clear(): void
}
export const useCheckedTokens = create<Checked>()((set, get) => ({
  checked: new Map(),
  toggle(id, name) {
    const next = new Map(get().checked)
    if (next.has(id)) next.delete(id)
    else next.set(id, name)
    set({ checked: next })
  },
  setAll(rows, on) {
    const next = new Map(get().checked)
    for (const r of rows) {
      if (on) next.set(r.id, r.name)
      else next.delete(r.id)
    }
    set({ checked: next })
  },
  clear: () => set({ checked: new Map() })
}))

export interface BulkFailure {
  id: string
  name: string
  error: AppErrorShape
}

/**
 * Applies one verb to each token in turn, on its current version (read just before), so one token that cannot take
 * the verb is reported and the rest go on.
 */
async function runBulk(
  verb: BulkVerb,
  items: { id: string; name: string }[],
  reason: string | undefined,
  onProgress: (done: number) => void
): Promise<BulkFailure[]> {
  const failures: BulkFailure[] = []
  let done = 0
  for (const it of items) {
    const latest = await call('tokens:get', { id: it.id })
    const r = !latest.ok
      ? latest
      : verb === 'dis'
        ? await call('tokens:dis', { id: it.id, version: latest.value.version, ...(reason ? { reason } : {}) })
        : await call(`tokens:${verb}`, { id: it.id, version: latest.value.version })
    if (r.ok) useUiStore.getState().dismissKey(undoKey(it.id))
    else failures.push({ id: it.id, name: it.name, error: r.error })
    onProgress(++done)
  }
  return failures
}

function whichText(items: { id: string; name: string }[]): string {
  const names = items.slice(0, NAME_ALL).map((i) => `'${i.name}'`)
  if (items.length <= NAME_ALL) return `Tokens ${names.join(', ')}`
  return `${num(items.length)} tokens, among them ${names.join(', ')} and ${num(items.length - NAME_ALL)} more`
}

const BULK_BODY: Record<BulkVerb, string> = {
  dis: 'Disabled tokens no longer authenticate. ENB enables them again.',
  enb: 'Enabled tokens authenticate again where they are published.',
  pub: 'Published tokens go online.',
  off: 'Tokens taken offline stop being served.',
  dol: 'The tokens stop working and are hidden from queries. RCC brings them back.',
  rcc: 'The tokens come back from the recycle bin.',
  del: 'DEL cannot be undone: the records are removed from the store.'
}

/** The bar above the list while rows are checked: one button per verb, one confirmation, a progress bar. */
export function BulkBar() {
  const checked = useCheckedTokens((s) => s.checked)
  const clear = useCheckedTokens((s) => s.clear)
  const toast = useUiStore((s) => s.toast)
  const [run, setRun] = useState<{
    verb: BulkVerb
    total: number
    done: number
    failures: BulkFailure[] | null
  } | null>(null)
  if (!checked.size && !run) return null
  const items = [...checked].map(([id, name]) => ({ id, name }))

  const start = async (verb: BulkVerb) => {
    const n = items.length
    const ask = {
      title: `${VERB_LABEL[verb]}: ${num(n)} token${n === 1 ? '' : 's'}?`,
      body: BULK_BODY[verb],
      item: whichText(items),
      confirmLabel: `${VERB_LABEL[verb]} ${num(n)}`
    }
    let reason: string | undefined
    if (verb === 'dis') {
      const c = await confirmWithReason({ ...ask, reason: DIS_REASON })
      if (!c) return
      reason = c.reason || undefined
    } else if (!(await confirmAction({ ...ask, danger: verb === 'del' || verb === 'dol' || verb === 'off' }))) return
    setRun({ verb, total: n, done: 0, failures: null })
    const failures = await runBulk(verb, items, reason, (done) => setRun((r) => (r ? { ...r, done } : r)))
    setRun({ verb, total: n, done: n, failures })
    const s = useTokensStore.getState()
    await Promise.all([
      s.reload(),
      s.loadCounts(),
      s.selectedId ? s.select(verb === 'del' && checked.has(s.selectedId) ? null : s.selectedId) : null
    ])
    const ok = n - failures.length
    toast(
      failures.length ? 'info' : 'ok',
      `${num(ok)} of ${num(n)} tokens ${VERB_DONE[verb]}${failures.length ? `; ${num(failures.length)} failed` : ''}`
    )
    // The failed ones stay checked, ready for another try.
    useCheckedTokens.setState({ checked: new Map(failures.map((f) => [f.id, f.name])) })
  }

  return (
    <div className="row bulk-bar" role="toolbar" aria-label="Selected tokens">
      <strong>{num(checked.size)} selected</strong>
      {BULK_VERBS.map((v) => (
        <button
          key={v}
          type="button"
          className={`btn small${v === 'del' ? ' danger' : ''}`}
          disabled={!!run && !run.failures}
          onClick={() => void start(v)}
        >
          {VERB_LABEL[v]}
        </button>
      ))}
      <button type="button" className="btn small ghost" disabled={!!run && !run.failures} onClick={clear}>
        Clear selection
      </button>
      <Modal
        open={!!run}
        title={run ? `${VERB_LABEL[run.verb]} on ${num(run.total)} tokens` : ''}
        onClose={() => run?.failures && setRun(null)}
      >
        {run ? (
          <>
            <Progress done={run.done} total={run.total} label="Bulk progress" />
            {run.failures === null ? (
              <p className="muted">Working…</p>
            ) : run.failures.length === 0 ? (
              <p>
                All {num(run.total)} tokens {VERB_DONE[run.verb]}.
              </p>
            ) : (
              <>
                <p>
                  {num(run.total - run.failures.length)} {VERB_DONE[run.verb]}; {num(run.failures.length)} failed and{' '}
                  {run.failures.length === 1 ? 'stays' : 'stay'} selected:
                </p>
                <ul aria-label="Failed tokens">
                  {run.failures.map((f) => (
                    <li key={f.id}>
                      <span className="mono">{f.name}</span> ({f.id}):{' '}
                      <ErrorNote error={f.error} where="bulk-failure" />
                    </li>
                  ))}
                </ul>
              </>
            )}
            <div className="actions">
              <button type="button" className="btn" disabled={run.failures === null} onClick={() => setRun(null)}>
                Done
              </button>
            </div>
          </>
        ) : null}
      </Modal>
    </div>
  )
}
