import { useState } from 'react'
import type { InventoryRow, RenewManyResult } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { api, waitForJob } from '../../api'
import { RenewExpiry } from '../../components/RenewExpiry'
import { Modal, Progress } from '../../components/ui'
import { consoleMessage } from '../../lib/errors'
import { absolute, num } from '../../lib/format'
import { rowKey, useInventoryStore } from '../../stores/inventory.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { RENEWABLE } from './common'

/**
 * Renew on the table's selection: one new expiry for every chosen row (locally, or on its server for a pulled copy),
 * as one job with progress; a row that fails is listed with its code and the rest are renewed.
 */
export function RenewSelected({ rows }: { rows: InventoryRow[] }) {
  const selected = useInventoryStore((s) => s.selected)
  const setSelected = useInventoryStore((s) => s.setSelected)
  const reload = useInventoryStore((s) => s.load)
  const loadCounts = useInventoryStore((s) => s.loadCounts)
  const toast = useUiStore((s) => s.toast)
  const [open, setOpen] = useState(false)
  const [progress, setProgress] = useState<{ done: number; total: number | null } | null>(null)
  const [failed, setFailed] = useState<RenewManyResult['failed']>([])
  const chosen = rows.filter((r) => selected.has(rowKey(r)))
  const renewable = chosen.filter((r) => RENEWABLE.has(r.kind))
  if (!chosen.length && !progress) return null
  const nameOf = (kind: string, id: string) => rows.find((r) => r.kind === kind && r.id === id)?.name ?? id

  const renew = async (ms: number | null): Promise<AppErrorShape | null> => {
    const expiresAt = ms === null ? null : new Date(ms).toISOString()
    setFailed([])
    const r = await api.inventory.renewMany({ items: renewable.map((x) => ({ kind: x.kind, id: x.id })), expiresAt })
    if (!r.ok) return r.error
    setOpen(false)
    setProgress({ done: 0, total: renewable.length })
    const end = await waitForJob(r.value.jobId, (job) => setProgress({ done: job.done, total: job.total }))
    setProgress(null)
    await Promise.all([reload(), loadCounts()])
    if (!end.ok) return end.error
    if (end.value.state === 'failed') return end.value.error ?? { code: 'INTERNAL', message: 'The renew failed' }
    const out = end.value.result as RenewManyResult
    setFailed(out.failed)
    setSelected(new Set())
    toast(
      out.failed.length ? 'info' : 'ok',
      `Renewed ${num(out.renewed)} of ${num(renewable.length)} until ${expiresAt ? absolute(expiresAt) : 'never'}`
    )
    return null
  }
  return (
    <div className="selection-bar-wrap">
      <div className="row selection-bar" role="group" aria-label="Selection">
        <span>{num(chosen.length)} selected</span>
        <button
          type="button"
          className="btn small primary"
          data-testid={T.invRenewSelected}
          disabled={!renewable.length || !!progress}
          onClick={() => setOpen(true)}
        >
          Renew selected…
        </button>
        <button type="button" className="btn small" onClick={() => setSelected(new Set())}>
          Clear selection
        </button>
        {chosen.length > renewable.length ? (
          <span className="muted">
            {num(chosen.length - renewable.length)} have no expiry to renew (SSO apps, keys)
          </span>
        ) : null}
        {progress ? (
          <Progress done={progress.done} total={progress.total} label="Renew progress" testId={T.invRenewProgress} />
        ) : null}
      </div>
      {failed.length ? (
        <div className="error-note" role="alert">
          Not renewed:
          <ul>
            {failed.map((f) => (
              <li key={`${f.kind}:${f.id}`}>
                {nameOf(f.kind, f.id)}: <span className="code">{f.code}</span> {consoleMessage(f)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Modal
        open={open}
        title={`Renew ${num(renewable.length)} token${renewable.length === 1 ? '' : 's'}`}
        onClose={() => setOpen(false)}
      >
        <p>Each one gets the same new expiry; pulled copies are renewed on their server.</p>
        <RenewExpiry
          current={null}
          resetKey={String(open)}
          label="New expiry (local time)"
          where="inv-renew-many"
          onSave={renew}
        />
      </Modal>
    </div>
  )
}
