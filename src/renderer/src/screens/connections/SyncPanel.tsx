import { useEffect, useState } from 'react'
import { num } from '../../lib/format'
import { ErrorNote, Progress } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { type Connection, type PullResult } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { api } from '../../api'
import { ActionButton } from '../../components/action'
import { TableHead } from '../../components/TableHead'
import { Options } from '../../components/fields'

export function SyncPanel({ conn }: { conn: Connection }) {
  const { pull, pullJob, pullError, loadDiff, diff } = useConnectionsStore()
  const toast = useUiStore((s) => s.toast)
  const [locals, setLocals] = useState<{ id: string; name: string }[]>([])
  const [localId, setLocalId] = useState('')
  const [pushError, setPushError] = useState<AppErrorShape | null>(null)
  const [pushNote, setPushNote] = useState<string | null>(null)
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  useEffect(() => {
    let live = true
    const load = async () => {
      const list =
        conn.kind === 'fess'
          ? await api.accessTokens.list({ limit: 200 })
          : conn.kind === 'datafor'
            ? await api.ssoApps.list({ limit: 200 })
            : await api.tokens.list({ limit: 200, origin: 'local' })
      if (live && list.ok) setLocals(list.value.items.filter((i) => !i.origin).map((i) => ({ id: i.id, name: i.name })))
    }
    void load()
    return () => {
      live = false
    }
  }, [conn.kind, conn.id, pullJob?.state])
  const push = async () => {
    if (!localId) return setPushError({ code: 'VALIDATION', message: 'Choose a local record to push' })
    const r = await api.remote.push({ conn: conn.id, localId })
    setPushError(r.ok ? null : r.error)
    if (r.ok) {
      setPushNote(
        `${r.value.action} ${r.value.remoteId}${r.value.notes.length ? ` — ${r.value.notes.join('; ')}` : ''}`
      )
      toast('ok', `Pushed: ${r.value.action} on the server`)
      void refresh()
    }
  }
  const result = pullJob?.result as PullResult | undefined
  const localKind = conn.kind === 'fess' ? 'access token' : conn.kind === 'datafor' ? 'SSO app' : 'token'
  return (
    <section className="card" aria-labelledby="sync-h">
      <h2 id="sync-h">Pull, push and diff</h2>
      <div className="row">
        <ActionButton
          className="btn"
          data-testid={T.remotePull}
          onClick={() => pull()}
          disabled={pullJob?.state === 'running'}
        >
          Pull into the local store
        </ActionButton>
        {pullJob ? (
          <Progress done={pullJob.done} total={pullJob.total} testId={T.remoteProgress} label="Pull progress" />
        ) : null}
        {result ? (
          <span data-testid="remote-pull-result">
            Pulled {num(result.pulled)}: {num(result.inserted)} new, {num(result.updated)} updated,{' '}
            {num(result.removed)} removed
            {result.truncated ? ' (list cut by the server)' : ''}
          </span>
        ) : null}
      </div>
      <ErrorNote error={pullError} where="remote-pull" />
      <div className="row spaced">
        <label className="inline">
          Local {localKind}
          <select value={localId} onChange={(e) => setLocalId(e.target.value)} data-testid="remote-push-select">
            <option value="">choose…</option>
            <Options items={locals} value={(l) => l.id} label={(l) => l.name} />
          </select>
        </label>
        <ActionButton className="btn" data-testid={T.remotePush} onClick={() => push()}>
          Push to the server
        </ActionButton>
        {pushNote ? <span className="muted">{pushNote}</span> : null}
      </div>
      <ErrorNote error={pushError} where="remote-push" />
      <div className="row spaced">
        <ActionButton className="btn" onClick={() => loadDiff()}>
          Show differences
        </ActionButton>
        {diff ? (
          <span>
            same {diff.counts.same} · changed {diff.counts.changed} · only local {diff.counts.onlyLocal} · only on
            server {diff.counts.onlyRemote}
          </span>
        ) : null}
      </div>
      {diff && diff.items.some((i) => i.status !== 'same') ? (
        <table className="table spaced">
          <TableHead columns={['Name', 'Status', 'Fields']} />
          <tbody>
            {diff.items
              .filter((i) => i.status !== 'same')
              .slice(0, 200)
              .map((i) => (
                <tr key={`${i.localId}-${i.remoteId}`}>
                  <td>{i.name}</td>
                  <td>{i.status}</td>
                  <td className="mono">
                    {i.fields
                      .map((f) => `${f.field}: ${JSON.stringify(f.local)} → ${JSON.stringify(f.remote)}`)
                      .join('; ')}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
