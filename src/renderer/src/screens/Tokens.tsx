import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Screen } from '../components/Screen'
import { Badge, CopyButton, Empty, ErrorNote, Field, Modal, confirmAction, useDebounced } from '../components/ui'
import { usePaletteActions } from '../components/Palette'
import { useTokensStore, exactTotal, knownTotal, rowAt, firstRowOf, PAGE_SIZE, type TokenFilter, type VerbName } from '../stores/tokens.store'
import { useKeysStore } from '../stores/keys.store'
import { useUiStore } from '../stores/ui.store'
import { useJwtStore } from '../stores/jwt.store'
import { T } from '../testids'
import { CLAIM_FIELDS, SIGN_ALGS, TokenAddInput, TokenSetInput, matchCountText, type LifeState, type TokenRecord } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { compact, serverFieldError, validate, type FieldErrors } from '../lib/form'
import { isoShort, relative } from '../lib/time'
import { AuditTable } from './Audit'
import { api } from '../api'
import { ActionButton, SubmitButton, FormShell } from '../components/action'

const ROW_HEIGHT = 30

export const STATE_LABEL: Record<LifeState, string> = {
  'enabled-offline': 'enabled · offline',
  'enabled-online': 'enabled · online',
  'disabled-offline': 'disabled · offline',
  'disabled-online': 'disabled · online',
  bin: 'recycle bin'
}
export function StateBadge({ state, testId }: { state: LifeState; testId?: string }) {
  const kind = state === 'bin' ? 'bad' : state.startsWith('disabled') ? 'warn' : state.endsWith('online') ? 'ok' : 'info'
  return (
    <Badge kind={kind} testId={testId}>
      <span data-state={state}>{STATE_LABEL[state]}</span>
    </Badge>
  )
}

function expiryText(expire: number): string {
  if (!expire) return 'never'
  return relative(expire * 1000)
}

// ------------------------------------------------------------------------------------------------ create / edit form

const ADD_FIELDS: { name: string; label: string; hint?: string; def?: string }[] = [
  { name: 'name', label: 'Name', hint: '4–32: letters, digits, CJK, _ ; starts with a letter' },
  { name: 'brief', label: 'Brief', hint: '≤ 64 characters' },
  { name: 'avatar', label: 'Avatar', hint: '≤ 40 characters' },
  { name: 'typ', label: 'typ', def: 'L', hint: 'L = login token' },
  { name: 'aud', label: 'aud (app id)' },
  { name: 'sap', label: 'sap (service app)', def: '*' },
  { name: 'jti', label: 'jti', hint: '≤ 8 letters or digits' },
  { name: 'ipm', label: 'ipm (IP allow-list)', def: '*' },
  { name: 'dvm', label: 'dvm (device allow-list)', def: '*' },
  { name: 'tag', label: 'tag', def: 'default' },
  { name: 'api', label: 'api', def: '*' },
  { name: 'bug', label: 'bug', def: '0' },
  { name: 'shop', label: 'shop', def: 'default' },
  { name: 'role', label: 'role', def: '*' },
  { name: 'rule', label: 'rule', def: '*' }
]
const EXPIRES_IN: { label: string; seconds: number }[] = [
  { label: 'never', seconds: 0 },
  { label: '1 day', seconds: 86400 },
  { label: '7 days', seconds: 7 * 86400 },
  { label: '30 days', seconds: 30 * 86400 },
  { label: '1 year', seconds: 365 * 86400 }
]

function TokenForm({ record, onDone }: { record: TokenRecord | null; onDone: () => void }) {
  const { add, set } = useTokensStore()
  const keys = useKeysStore((s) => s.items)
  const loadKeys = useKeysStore((s) => s.load)
  const toast = useUiStore((s) => s.toast)
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(ADD_FIELDS.map((f) => [f.name, record ? String((record as unknown as Record<string, unknown>)[f.name] ?? '') : (f.def ?? '')]))
  )
  const [keyName, setKeyName] = useState(record?.keyName ?? '')
  const [alg, setAlg] = useState(record?.alg ?? '')
  const [expiresIn, setExpiresIn] = useState(0)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void loadKeys()
  }, [loadKeys])
  const editable = record ? ['name', 'brief', 'avatar'] : ADD_FIELDS.map((f) => f.name)

  const submit = async () => {
    setError(null)
    if (record) {
      const draft = {
        id: record.id,
        version: record.version,
        ...(values.name !== record.name ? { name: values.name } : {}),
        ...(values.brief !== record.brief ? { brief: values.brief } : {}),
        ...(values.avatar !== record.avatar ? { avatar: values.avatar } : {}),
        ...(keyName !== (record.keyName ?? '') ? { keyName: keyName || null } : {}),
        ...(alg !== (record.alg ?? '') ? { alg: alg || null } : {})
      }
      const v = validate(TokenSetInput, draft)
      if (!v.ok) return setErrors(v.errors)
      setErrors({})
      setBusy(true)
      const r = await set(v.data)
      setBusy(false)
      if (!r.ok) {
        setError(r.error)
        return setErrors(serverFieldError(r.error))
      }
      toast('ok', `SET ${record.id}: ${Object.keys(r.value.updates).join(', ') || 'nothing changed'}`)
      return onDone()
    }
    const draft = {
      ...compact(values),
      brief: values.brief,
      avatar: values.avatar,
      ...(keyName ? { keyName } : {}),
      ...(alg ? { alg } : {}),
      ...(expiresIn ? { expiresIn } : {})
    }
    const v = validate(TokenAddInput, draft)
    if (!v.ok) return setErrors(v.errors)
    setErrors({})
    setBusy(true)
    const r = await add(v.data)
    setBusy(false)
    if (!r.ok) {
      setError(r.error)
      return setErrors(serverFieldError(r.error))
    }
    toast('ok', `ADD: token ${r.value.record.id} (${r.value.record.name}) created`)
    onDone()
  }
  const selectedKey = keys.find((k) => k.name === keyName)
  return (
    <FormShell
      data-testid={T.tokenForm}
      onSubmit={() => submit()}
    >
      <div className="form-grid">
        {ADD_FIELDS.filter((f) => editable.includes(f.name)).map((f) => (
          <Field key={f.name} name={f.name} label={f.label} error={errors[f.name]} hint={f.hint}>
            {(p) => <input {...p} autoComplete="off" value={values[f.name]} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />}
          </Field>
        ))}
        <Field name="keyName" label="Signing key" error={errors.keyName}>
          {(p) => (
            <select {...p} value={keyName} onChange={(e) => setKeyName(e.target.value)}>
              <option value="">none</option>
              {keys
                .filter((k) => k.hasPrivate)
                .map((k) => (
                  <option key={k.kid} value={k.name}>
                    {k.name} ({k.alg})
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field name="alg" label="Algorithm" error={errors.alg}>
          {(p) => (
            <select {...p} value={alg} onChange={(e) => setAlg(e.target.value)}>
              <option value="">{selectedKey ? `key's (${selectedKey.alg})` : 'none'}</option>
              {SIGN_ALGS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          )}
        </Field>
        {!record ? (
          <Field name="expiresIn" label="Expires" error={errors.expiresIn}>
            {(p) => (
              <select {...p} value={expiresIn} onChange={(e) => setExpiresIn(Number(e.target.value))}>
                {EXPIRES_IN.map((x) => (
                  <option key={x.label} value={x.seconds}>
                    {x.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <ErrorNote error={error} where="token-form" />
      <div className="actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <SubmitButton className="btn primary" disabled={busy} data-testid={T.tokenFormSubmit}>
          {record ? 'Save (SET)' : 'Create (ADD)'}
        </SubmitButton>
      </div>
    </FormShell>
  )
}

// ------------------------------------------------------------------------------------------------------ detail pane

const VERB_LABEL: Record<VerbName, string> = {
  set: 'Edit (SET)',
  pub: 'Publish (PUB)',
  off: 'Take offline (OFF)',
  dis: 'Disable (DIS)',
  enb: 'Enable (ENB)',
  dol: 'To recycle bin (DOL)',
  rcc: 'Recover (RCC)',
  del: 'Delete for good (DEL)'
}
const DESTRUCTIVE: Partial<Record<VerbName, { title: string; body: string }>> = {
  dol: { title: 'Move to the recycle bin?', body: 'The token stops working and is hidden from queries. RCC brings it back.' },
  dis: { title: 'Disable this token?', body: 'A disabled token no longer authenticates. ENB enables it again.' },
  del: { title: 'Delete this token for good?', body: 'DEL cannot be undone: the record is removed from the store.' }
}
const UNDO: Partial<Record<VerbName, Exclude<VerbName, 'set'>>> = { dol: 'rcc', dis: 'enb' }

function TokenDetail({ onEdit }: { onEdit: (r: TokenRecord) => void }) {
  const { detail: rec, history, detailError, verb, select } = useTokensStore()
  const toast = useUiStore((s) => s.toast)
  const toastError = useUiStore((s) => s.toastError)
  const openInWorkbench = useJwtStore((s) => s.setToken)
  const setJwtTab = useJwtStore((s) => s.setTab)
  const go = useUiStore((s) => s.go)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [minted, setMinted] = useState<string | null>(null)
  useEffect(() => {
    setError(null)
    setMinted(null)
  }, [rec?.id])
  if (detailError) return <ErrorNote error={detailError} where="token-detail" />
  if (!rec) return null

  const run = async (v: VerbName) => {
    if (v === 'set') return onEdit(rec)
    const confirmText = DESTRUCTIVE[v]
    if (confirmText && !(await confirmAction({ ...confirmText, confirmLabel: VERB_LABEL[v] }))) return
    const r = await verb(v, rec)
    setError(r.ok ? null : r.error)
    if (!r.ok) return
    const undo = UNDO[v]
    toast('ok', `${v.toUpperCase()} ${rec.id}: done`, undo
      ? {
          label: `Undo (${undo.toUpperCase()})`,
          run: () => {
            const latest = useTokensStore.getState().detail
            if (!latest) return
            void verb(undo, latest).then((u) => (u.ok ? toast('ok', `${undo.toUpperCase()} ${rec.id}: undone`) : toastError(u.error)))
          }
        }
      : undefined)
  }
  const mint = async () => {
    const r = await api.tokens.mint({ id: rec.id })
    if (r.ok) {
      setMinted(r.value.token)
      void select(rec.id)
    } else setError(r.error)
  }
  const verbs = rec.verbs.filter((v) => v !== 'GET' && v !== 'GIT').map((v) => v.toLowerCase() as VerbName)
  const fields: [string, string][] = [
    ['id', rec.id],
    ['brief', rec.brief || '—'],
    ['avatar', rec.avatar || '—'],
    ['stato', rec.stato || '—'],
    ['expire', rec.expire ? `${isoShort(rec.expire * 1000)} (${expiryText(rec.expire)})` : 'never'],
    ['alg / key', rec.keyName ? `${rec.alg ?? 'key default'} / ${rec.keyName}` : '—'],
    ...CLAIM_FIELDS.map((k) => [k, rec[k]] as [string, string]),
    ['creator', rec.creator],
    ['updater', rec.updater],
    ['cstamp', rec.cstamp],
    ['istamp', rec.istamp],
    ['version', String(rec.version)],
    ...(rec.origin ? ([['pulled from', `${rec.origin.connectionId} at ${isoShort(rec.origin.pulledAt)}`]] as [string, string][]) : []),
    ...(rec.deletedAt ? ([['in bin since', isoShort(rec.deletedAt)]] as [string, string][]) : [])
  ]
  return (
    <aside className="detail" aria-label={`Token ${rec.name}`} data-testid={T.tokenDetail} data-id={rec.id}>
      <div className="row">
        <h2 className="mono grow">{rec.name}</h2>
        <ActionButton className="btn small ghost" aria-label="Close detail" onClick={() => select(null)}>
          ×
        </ActionButton>
      </div>
      <div className="row">
        <StateBadge state={rec.lifeState} testId={T.tokenState} />
        {rec.origin ? <Badge kind="info">read-only copy</Badge> : null}
        {rec.expire && rec.expire * 1000 < Date.now() ? <Badge kind="bad">expired</Badge> : null}
      </div>
      <div className="actions left">
        {verbs.map((v) => (
          <ActionButton
            key={v}
           
            className={`btn small${v === 'del' ? ' danger' : ''}`}
            data-testid={T.tokenAction(v)}
            onClick={() => run(v)}
          >
            {VERB_LABEL[v]}
          </ActionButton>
        ))}
        {rec.keyName && rec.lifeState !== 'bin' ? (
          <ActionButton className="btn small" onClick={() => mint()}>
            Mint test JWT
          </ActionButton>
        ) : null}
      </div>
      <ErrorNote error={error} where="token-action" />
      {minted ? (
        <div className="spaced">
          <div className="token-out">{minted}</div>
          <div className="actions left">
            <CopyButton text={minted} />
            <button
              type="button"
              className="btn small"
              onClick={() => {
                openInWorkbench(minted)
                setJwtTab('decode')
                go('jwt')
              }}
            >
              Open in workbench
            </button>
          </div>
        </div>
      ) : null}
      <dl className="kv spaced">
        {fields.map(([k, v]) => (
          <FieldRow key={k} k={k} v={v} />
        ))}
      </dl>
      <h3>History</h3>
      <div data-testid={T.tokenHistory}>
        {history.length ? <AuditTable items={history} testId={T.tokenHistoryRow} /> : <p className="muted">No audit entries.</p>}
      </div>
    </aside>
  )
}
function FieldRow({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  )
}

// ------------------------------------------------------------------------------------------------------ list

function TokenTable() {
  const { pages, walked, walkedRows, more, filter, counts, matched, selectedId, loaded, ensureRows, select } = useTokensStore()
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

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return
    e.preventDefault()
    let i = selectedIndex
    if (e.key === 'ArrowDown') i = Math.min(count - 1, i + 1)
    else if (e.key === 'ArrowUp') i = Math.max(0, i - 1)
    else if (e.key === 'Home') i = 0
    else i = count - 1
    setSelectedIndex(i)
    virtualizer.scrollToIndex(i)
    const r = rowAt({ pages }, i)
    if (r) void select(r.id)
  }
  const rows = pages[0] ?? []
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
        <span role="columnheader">Name</span>
        <span role="columnheader">id</span>
        <span role="columnheader">State</span>
        <span role="columnheader">aud</span>
        <span role="columnheader">Creator</span>
        <span role="columnheader">Expires</span>
        <span role="columnheader">Updated</span>
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
                setSelectedIndex(vi.index)
                void select(r.id)
              }}
            >
              {r ? (
                <>
                  <span role="gridcell" className="mono ellipsis">
                    {r.name}
                  </span>
                  <span role="gridcell" className="mono muted">
                    {r.id}
                  </span>
                  <span role="gridcell">
                    <StateBadge state={r.lifeState} />
                  </span>
                  <span role="gridcell" className="ellipsis">
                    {r.aud}
                  </span>
                  <span role="gridcell" className="ellipsis">
                    {r.creator}
                  </span>
                  <span role="gridcell" className={r.expire && r.expire * 1000 < Date.now() ? 'bad' : ''}>
                    {expiryText(r.expire)}
                  </span>
                  <span role="gridcell" className="muted">
                    {r.istamp}
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

function Filters() {
  const { filter, setFilter } = useTokensStore()
  const [search, setSearch] = useState(filter.search)
  const debounced = useDebounced(search, 200)
  useEffect(() => {
    if (debounced !== useTokensStore.getState().filter.search) setFilter({ search: debounced })
  }, [debounced, setFilter])
  const sel = <K extends keyof TokenFilter>(k: K, v: TokenFilter[K]) => setFilter({ [k]: v } as Partial<TokenFilter>)
  return (
    <div className="toolbar" role="search">
      <input
        type="search"
        aria-label="Search name or brief"
        placeholder="Search name or brief…"
        data-testid={T.tokensSearch}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <label className="inline">
        State
        <select data-testid={T.tokensFilter('state')} value={filter.state} onChange={(e) => sel('state', e.target.value as TokenFilter['state'])}>
          <option value="">any</option>
          <option value="enabled">enabled</option>
          <option value="disabled">disabled</option>
        </select>
      </label>
      <label className="inline">
        Online
        <select data-testid={T.tokensFilter('published')} value={filter.published} onChange={(e) => sel('published', e.target.value as TokenFilter['published'])}>
          <option value="">any</option>
          <option value="online">online</option>
          <option value="offline">offline</option>
        </select>
      </label>
      <label className="inline">
        Origin
        <select data-testid={T.tokensFilter('origin')} value={filter.origin} onChange={(e) => sel('origin', e.target.value as TokenFilter['origin'])}>
          <option value="">any</option>
          <option value="local">local</option>
          <option value="pulled">pulled</option>
        </select>
      </label>
      <label className="inline">
        Creator
        <input data-testid={T.tokensFilter('creator')} size={10} value={filter.creator} onChange={(e) => sel('creator', e.target.value)} />
      </label>
      <label className="inline">
        Expiring after
        <input
          type="date"
          data-testid={T.tokensFilter('expiringAfter')}
          value={filter.expiringAfter.slice(0, 10)}
          title={filter.expiringAfter || undefined}
          onChange={(e) => sel('expiringAfter', e.target.value)}
        />
      </label>
      <label className="inline">
        Expiring before
        <input
          type="date"
          data-testid={T.tokensFilter('expiring')}
          value={filter.expiringBefore.slice(0, 10)}
          title={filter.expiringBefore || undefined}
          onChange={(e) => sel('expiringBefore', e.target.value)}
        />
      </label>
      <label className="check">
        <input type="checkbox" data-testid={T.tokensFilter('bin')} checked={filter.bin} onChange={(e) => sel('bin', e.target.checked)} />
        Recycle bin
      </label>
      <label className="inline">
        Sort
        <select data-testid={T.tokensSort} value={`${filter.sort}:${filter.dir}`} onChange={(e) => {
          const [sort, dir] = e.target.value.split(':') as [TokenFilter['sort'], TokenFilter['dir']]
          setFilter({ sort, dir })
        }}>
          <option value="updated:desc">updated, newest</option>
          <option value="updated:asc">updated, oldest</option>
          <option value="created:desc">created, newest</option>
          <option value="created:asc">created, oldest</option>
          <option value="name:asc">name A→Z</option>
          <option value="name:desc">name Z→A</option>
          <option value="expiry:asc">expiry, soonest</option>
          <option value="expiry:desc">expiry, latest</option>
        </select>
      </label>
    </div>
  )
}

/** "1,234 tokens" (a state's count), "561 tokens match" (a filter's count), "10,000+ tokens match" (capped). */
function totalLabel(exact: number | null, matched: { count: number; capped: boolean } | null, walkedRows: number, more: boolean): string {
  if (exact !== null) return `${exact.toLocaleString('en')} token${exact === 1 ? '' : 's'}`
  return matchCountText(!more ? { count: walkedRows, capped: false } : (matched ?? { count: walkedRows, capped: true }))
}

export function TokensScreen() {
  const { reload, loadCounts, walkedRows, more, filter, counts, matched, error, detail, seeking } = useTokensStore()
  const [form, setForm] = useState<{ open: boolean; record: TokenRecord | null }>({ open: false, record: null })
  useEffect(() => {
    void reload()
    void loadCounts()
  }, [reload, loadCounts])
  usePaletteActions('tokens', [{ id: 'tokens-new', group: 'Tokens', label: 'Tokens: create a token (ADD)', run: () => setForm({ open: true, record: null }) }])
  const exact = exactTotal(filter, counts)
  return (
    <Screen
      id="tokens"
      title="Tokens"
      actions={
        <button type="button" className="btn primary" data-testid={T.tokensNew} onClick={() => setForm({ open: true, record: null })}>
          New token…
        </button>
      }
    >
      <Filters />
      <div className="row">
        <span className="muted" data-testid={T.tokensTotal}>
          {totalLabel(exact, matched, walkedRows, more)}
        </span>
        {seeking ? (
          <span className="muted" role="status">
            Reading keyset pages to reach row {firstRowOf(seeking.target).toLocaleString('en')}: page {seeking.page.toLocaleString('en')} of{' '}
            {seeking.target.toLocaleString('en')}…
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} where="tokens" />
      <div className={`split${detail ? '' : ' no-detail'}`}>
        <TokenTable />
        {detail ? <TokenDetail onEdit={(r) => setForm({ open: true, record: r })} /> : null}
      </div>
      <Modal open={form.open} title={form.record ? `Edit ${form.record.name} (SET)` : 'New token (ADD)'} onClose={() => setForm({ open: false, record: null })} wide>
        <TokenForm record={form.record} onDone={() => setForm({ open: false, record: null })} />
      </Modal>
    </Screen>
  )
}
