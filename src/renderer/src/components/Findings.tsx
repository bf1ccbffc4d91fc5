import { useEffect, useState } from 'react'
import type { FindingRule, FindingRuleId, InventoryKind, InventoryRow } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api } from '../api'
import { T } from '../testids'
import { Badge, ErrorNote } from './ui'

/** Each rule's short title (its why and fix come from the rule itself). */
const RULE_TITLE: Record<FindingRuleId, string> = {
  'never-expires': 'Never expires',
  'expires-soon': 'Expires within the watch window',
  'expired-active': 'Expired but still enabled or published',
  'fess-admin': 'Fess admin permission',
  'fess-readback': 'Permission read back differently by Fess',
  'datafor-short-secret': 'HMAC secret shorter than its hash',
  'datafor-admin-autocreate': 'Creates admin users on first login',
  'xdua-open': 'Open to every IP, device and role',
  'weak-key': 'Key too weak for its algorithm'
}

/** A row's findings, each with its rule's title, severity, why and fix; "No findings." when it has none. */
export function FindingList({
  findings,
  rules
}: {
  findings: InventoryRow['findings']
  rules: readonly FindingRule[]
}) {
  if (!findings.length) return <p className="muted">No findings.</p>
  return (
    <ul className="findings">
      {findings.map((f) => {
        const rule = rules.find((r) => r.id === f.rule)
        return (
          <li key={f.rule} data-testid={T.invFinding} data-rule={f.rule}>
            <Badge kind={f.severity === 'high' ? 'bad' : 'warn'}>{f.severity}</Badge>{' '}
            <strong>{RULE_TITLE[f.rule]}</strong>
            {rule ? (
              <>
                <p>{rule.why}</p>
                <p>
                  <span className="muted">Fix:</span> {rule.fix}
                </p>
              </>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

// The rules never change while the app runs: one read serves every detail pane.
let rulesOnce: Promise<FindingRule[]> | null = null
const loadRules = () =>
  (rulesOnce ??= api.inventory.findings({}).then((r) => {
    if (!r.ok) rulesOnce = null
    return r.ok ? r.value : []
  }))

/**
 * The Findings block of a record's detail pane, read from the inventory by kind and local id. `revision` changes
 * whenever the record does (a renew, a state verb), and the findings are read again.
 */
export function RecordFindings({ kind, id, revision }: { kind: InventoryKind; id: string; revision: string | number }) {
  const [state, setState] = useState<{ key: string; row: InventoryRow | null; rules: FindingRule[] } | null>(null)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const key = `${kind}:${id}:${revision}`
  useEffect(() => {
    let live = true
    void Promise.all([api.inventory.row({ kind, id }), loadRules()]).then(([r, rules]) => {
      if (!live) return
      setError(r.ok ? null : r.error)
      setState({ key, row: r.ok ? r.value : null, rules })
    })
    return () => {
      live = false
    }
  }, [kind, id, key])
  return (
    <section data-testid={T.recordFindings} data-kind={kind} data-id={id} aria-busy={state?.key !== key}>
      <h3>Findings</h3>
      <ErrorNote error={error} where="record-findings" />
      {state ? <FindingList findings={state.row?.findings ?? []} rules={state.rules} /> : null}
    </section>
  )
}
