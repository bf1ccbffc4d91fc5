import type { InventoryKind, InventoryRow } from '../../../../shared/contract'
import { Badge } from '../../components/ui'
import { num } from '../../lib/format'

export const KIND_LABEL: Record<InventoryKind, string> = {
  token: 'Lifecycle token',
  'access-token': 'Access token',
  'sso-app': 'SSO app',
  key: 'Signing key'
}

/** Which kinds take a new expiry (SSO apps and keys have none). */
export const RENEWABLE: ReadonlySet<InventoryKind> = new Set(['token', 'access-token'])

/** A row's findings as severity badges: "2 high", "1 warning". */
export function FindingBadges({ row }: { row: InventoryRow }) {
  if (!row.findings.length) return <span className="muted">none</span>
  const high = row.findings.filter((f) => f.severity === 'high').length
  const warn = row.findings.length - high
  return (
    <span className="nowrap">
      {high ? <Badge kind="bad">{num(high)} high</Badge> : null}{' '}
      {warn ? (
        <Badge kind="warn">
          {num(warn)} warning{warn === 1 ? '' : 's'}
        </Badge>
      ) : null}
    </span>
  )
}
