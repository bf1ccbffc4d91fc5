import type { InventoryRow } from '../../../../shared/contract'
import { api } from '../../api'
import { RenewExpiry } from '../../components/RenewExpiry'
import type { RotateTargetInfo } from '../../components/RotateDialog'
import { Time } from '../../components/Time'
import { FindingList } from '../../components/Findings'
import { absolute } from '../../lib/format'
import { useInventoryStore } from '../../stores/inventory.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { KIND_LABEL, RENEWABLE } from './common'

/** What rotating a row makes, or null when its kind cannot be rotated here. */
export function rotateInfo(row: InventoryRow): RotateTargetInfo | null {
  if (row.kind === 'token')
    return {
      what: `token '${row.name}'`,
      name: row.name,
      copies: row.connectionId ? 'the same claim fields, on its xdua server' : 'the same claim fields and expiry'
    }
  if (row.kind === 'access-token' && row.connectionId)
    return {
      what: `Fess token '${row.name}'`,
      name: row.name,
      copies: 'the same permissions, parameter name and expiry policy'
    }
  if (row.kind === 'sso-app' && row.connectionId)
    return {
      what: `SSO config '${row.name}' secret`,
      name: row.name,
      copies: 'a new random secret of the hash size, verified with a test token',
      immediate: true
    }
  return null
}

/** One inventory row: its fields, each finding with the rule's why and fix, Renew and Rotate. */
export function InventoryDetail({ row, onRotate }: { row: InventoryRow; onRotate: (row: InventoryRow) => void }) {
  const rules = useInventoryStore((s) => s.rules)
  const reload = useInventoryStore((s) => s.load)
  const loadCounts = useInventoryStore((s) => s.loadCounts)
  const activate = useInventoryStore((s) => s.activate)
  const toast = useUiStore((s) => s.toast)
  const refreshAfter = () => void Promise.all([reload(), loadCounts()])
  const rot = rotateInfo(row)
  return (
    <aside className="detail" data-testid={T.invDetail} aria-label={`Details of ${row.name}`}>
      <div className="row">
        <h2 className="ellipsis grow" title={row.name}>
          {row.name}
        </h2>
        <button type="button" className="btn small ghost" aria-label="Close detail" onClick={() => activate(null)}>
          ×
        </button>
      </div>
      <dl className="kv">
        <dt>Kind</dt>
        <dd>{KIND_LABEL[row.kind]}</dd>
        <dt>Server</dt>
        <dd>{row.server}</dd>
        <dt>Id</dt>
        <dd className="mono">{row.id}</dd>
        {row.remoteId ? (
          <>
            <dt>Id on the server</dt>
            <dd className="mono">{row.remoteId}</dd>
          </>
        ) : null}
        <dt>State</dt>
        <dd>{row.state || '—'}</dd>
        <dt>Expires</dt>
        <dd>{row.expiresAt ? <Time value={row.expiresAt} mode="absolute" /> : 'never'}</dd>
        <dt>Last pulled</dt>
        <dd>
          <Time value={row.pulledAt} empty="local record" />
        </dd>
      </dl>
      <h3>Findings</h3>
      <FindingList findings={row.findings} rules={rules} />
      {RENEWABLE.has(row.kind) ? (
        <RenewExpiry
          current={row.expiresAt ? Date.parse(row.expiresAt) : null}
          resetKey={`${row.kind}:${row.id}`}
          label={row.connectionId ? `New expiry on ${row.server} (local time)` : 'New expiry (local time)'}
          where="inv-renew"
          onSave={async (ms) => {
            const expiresAt = ms === null ? null : new Date(ms).toISOString()
            const r = await api.inventory.renew({ kind: row.kind, id: row.id, expiresAt })
            if (!r.ok) return r.error
            toast(
              'ok',
              expiresAt
                ? `'${row.name}' renewed until ${absolute(expiresAt)}`
                : `'${row.name}' renewed: it never expires`
            )
            refreshAfter()
            return null
          }}
        />
      ) : null}
      {rot ? (
        <div className="actions left">
          <button type="button" className="btn" data-testid={T.invRotate} onClick={() => onRotate(row)}>
            Rotate…
          </button>
        </div>
      ) : null}
    </aside>
  )
}
