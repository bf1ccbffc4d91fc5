import { useEffect, useState } from 'react'
import { Badge, ErrorNote, confirmAction, confirmWithReason } from '../../components/ui'
import { ActionButton } from '../../components/action'
import { useTokensStore, undoKey, type VerbName } from '../../stores/tokens.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { CLAIM_FIELDS, type TokenRecord } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { absolute } from '../../lib/format'
import { AuditTable } from '../Audit'
import { api } from '../../api'
import { StateBadge, expiryText } from './common'
import { Renew } from './Renew'
import { RotateToken } from './Rotate'
import { RecordFindings } from '../../components/Findings'
import { TokenActions } from '../jwt/TokenActions'

export const VERB_LABEL: Record<VerbName, string> = {
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
  dol: {
    title: 'Move to the recycle bin?',
    body: 'The token stops working and is hidden from queries. RCC brings it back.'
  },
  dis: { title: 'Disable this token?', body: 'A disabled token no longer authenticates. ENB enables it again.' },
  del: { title: 'Delete this token for good?', body: 'DEL cannot be undone: the record is removed from the store.' }
}
export const VERB_DONE: Record<Exclude<VerbName, 'set'>, string> = {
  pub: 'published',
  off: 'taken offline',
  dis: 'disabled',
  enb: 'enabled',
  dol: 'moved to the recycle bin',
  rcc: 'recovered',
  del: 'deleted for good'
}
/** DIS takes an optional reason (the CLI's `--reason`, stored as the token's stato). */
export const DIS_REASON = { label: 'Reason (optional)', max: 64 }
const UNDO: Partial<Record<VerbName, Exclude<VerbName, 'set'>>> = { dol: 'rcc', dis: 'enb' }

export function TokenDetail({ onEdit }: { onEdit: (r: TokenRecord) => void }) {
  const { detail: rec, history, detailError, verb, select } = useTokensStore()
  const toast = useUiStore((s) => s.toast)
  const toastError = useUiStore((s) => s.toastError)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [minted, setMinted] = useState<{ token: string; warnings: string[] } | null>(null)
  // The weak-key opt-in is offered where the refusal happens, and only for the token that was refused.
  const [weakOffer, setWeakOffer] = useState(false)
  const [allowWeak, setAllowWeak] = useState(false)
  useEffect(() => {
    setError(null)
    setMinted(null)
    setWeakOffer(false)
    setAllowWeak(false)
  }, [rec?.id])
  if (detailError) return <ErrorNote error={detailError} where="token-detail" />
  if (!rec) return null

  const run = async (v: VerbName) => {
    if (v === 'set') return onEdit(rec)
    const confirmText = DESTRUCTIVE[v]
    const ask = { ...confirmText!, item: `Token '${rec.name}' (${rec.id})`, confirmLabel: VERB_LABEL[v] }
    let reason: string | undefined
    if (v === 'dis') {
      const c = await confirmWithReason({ ...ask, reason: DIS_REASON })
      if (!c) return
      reason = c.reason || undefined
    } else if (confirmText && !(await confirmAction(ask))) return
    const r = await verb(v, rec, reason)
    setError(r.ok ? null : r.error)
    if (!r.ok) return
    const undo = UNDO[v]
    toast('ok', `Token '${rec.name}' ${VERB_DONE[v]}`, undo ? undoOffer(rec, undo) : undefined)
  }
  const undoOffer = (r: TokenRecord, undo: Exclude<VerbName, 'set'>) => ({
    label: `Undo (${undo.toUpperCase()})`,
    key: undoKey(r.id),
    run: async () => {
      // Undo acts on this token as it is now (not whatever the detail pane shows), and only if it still can.
      const latest = await api.tokens.get({ id: r.id })
      if (!latest.ok) return toastError(latest.error)
      if (!latest.value.verbs.includes(undo.toUpperCase() as never))
        return toast('info', `Token '${r.name}' changed since: nothing to undo`)
      const u = await verb(undo, latest.value)
      if (u.ok) toast('ok', `Token '${r.name}' ${VERB_DONE[undo]}`)
      else toastError(u.error)
    }
  })
  const mint = async () => {
    const r = await api.tokens.mint({ id: rec.id, ...(allowWeak ? { allowWeakKey: true } : {}) })
    if (r.ok) {
      setError(null)
      setMinted({ token: r.value.token, warnings: r.value.warnings })
      void select(rec.id)
    } else {
      if (r.error.code === 'JWT_WEAK_KEY') setWeakOffer(true)
      setError(r.error)
    }
  }
  const verbs = rec.verbs.filter((v) => v !== 'GET' && v !== 'GIT').map((v) => v.toLowerCase() as VerbName)
  const fields: [string, string][] = [
    ['id', rec.id],
    ['brief', rec.brief || '—'],
    ['avatar', rec.avatar || '—'],
    ['stato', rec.stato || '—'],
    ['expire', rec.expire ? `${absolute(rec.expire * 1000)} (${expiryText(rec.expire)})` : 'never'],
    ['alg / key', rec.keyName ? `${rec.alg ?? 'key default'} / ${rec.keyName}` : '—'],
    ...CLAIM_FIELDS.map((k) => [k, rec[k]] as [string, string]),
    ['creator', rec.creator],
    ['updater', rec.updater],
    ['created', absolute(rec.cstamp)],
    ['updated', absolute(rec.istamp)],
    ['version', String(rec.version)],
    ...(rec.origin
      ? ([['pulled from', `${rec.origin.connectionId} at ${absolute(rec.origin.pulledAt)}`]] as [string, string][])
      : []),
    ...(rec.deletedAt ? ([['in bin since', absolute(rec.deletedAt)]] as [string, string][]) : [])
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
        {rec.lifeState !== 'bin' ? <RotateToken rec={rec} /> : null}
      </div>
      <ErrorNote error={error} where="token-action" />
      {weakOffer ? (
        <label className="warn">
          <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} /> Allow the weak
          key (tests only), then mint again
        </label>
      ) : null}
      {minted ? (
        <div className="spaced">
          {minted.warnings.map((w) => (
            <p key={w} className="warn" role="note">
              {w}
            </p>
          ))}
          <div className="token-out">{minted.token}</div>
          <TokenActions token={minted.token} label="Open in workbench" />
        </div>
      ) : null}
      {rec.verbs.includes('SET') ? <Renew rec={rec} /> : null}
      <RecordFindings
        kind="token"
        id={rec.id}
        revision={`${rec.version}:${rec.lifeState}:${rec.expire}:${rec.istamp}`}
      />
      <dl className="kv spaced">
        {fields.map(([k, v]) => (
          <FieldRow key={k} k={k} v={v} />
        ))}
      </dl>
      <h3>History</h3>
      <div data-testid={T.tokenHistory}>
        {history.length ? (
          <AuditTable items={history} testId={T.tokenHistoryRow} />
        ) : (
          <p className="muted">No audit entries.</p>
        )}
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
