import { useEffect, useState } from 'react'
import { Screen } from '../components/Screen'
import { ErrorNote } from '../components/ui'
import { AuditTable } from './Audit'
import { api } from '../api'
import { T } from '../testids'
import type { AuditEntry } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'

export function DashboardScreen() {
  const [recent, setRecent] = useState<AuditEntry[]>([])
  const [error, setError] = useState<AppErrorShape | null>(null)
  useEffect(() => {
    let live = true
    void api.audit.list({ limit: 10 }).then((r) => {
      if (!live) return
      if (r.ok) setRecent(r.value.items)
      else setError(r.error)
    })
    return () => {
      live = false
    }
  }, [])
  return (
    <Screen id="dashboard" title="Dashboard">
      <section className="card" data-testid={T.dashRecent} aria-labelledby="dash-recent">
        <h2 id="dash-recent">Recent activity</h2>
        <ErrorNote error={error} where="dashboard" />
        <AuditTable items={recent} testId="dash-recent-row" />
      </section>
    </Screen>
  )
}
