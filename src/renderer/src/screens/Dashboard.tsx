import { useEffect } from 'react'
import { num } from '../lib/format'
import { Screen } from '../components/Screen'
import { ErrorNote } from '../components/ui'
import { ExpiryChart } from '../components/ExpiryChart.lazy'
import { AuditTable } from './Audit'
import { useDashboardStore, HORIZON_DAYS } from '../stores/dashboard.store'
import { useTokensStore, type TokenFilter } from '../stores/tokens.store'
import type { TokenCounts } from '../../../shared/contract'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { ActionButton } from '../components/action'
import { showInventory, useInventoryStore } from '../stores/inventory.store'

/** The store's counts shown as stats, each with the token list filter a click opens. */
const COUNT_STATS: { key: keyof TokenCounts; label: string; filter: Partial<TokenFilter>; tone?: string }[] = [
  { key: 'live', label: 'live tokens', filter: {} },
  { key: 'enabled', label: 'enabled', filter: { state: 'enabled' }, tone: 'ok' },
  { key: 'disabled', label: 'disabled', filter: { state: 'disabled' }, tone: 'warn' },
  { key: 'online', label: 'online', filter: { published: 'online' } },
  { key: 'offline', label: 'offline', filter: { published: 'offline' } },
  { key: 'bin', label: 'in the recycle bin', filter: { bin: true }, tone: 'bad' }
]

function Stat({
  label,
  value,
  testId,
  onClick,
  tone
}: {
  label: string
  value: string
  testId: string
  onClick?: () => void
  tone?: string
}) {
  return (
    <button type="button" className={`stat${tone ? ` ${tone}` : ''}`} onClick={onClick} disabled={!onClick}>
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="stat-label">{label}</span>
    </button>
  )
}

export function DashboardScreen() {
  const { counts, perDay, from, expiring7, expiring30, recent, error, load } = useDashboardStore()
  const setFilter = useTokensStore((s) => s.setFilter)
  const go = useUiStore((s) => s.go)
  const findings = useInventoryStore((s) => s.counts)
  const loadFindings = useInventoryStore((s) => s.loadCounts)
  useEffect(() => {
    void load()
    void loadFindings()
  }, [load, loadFindings])
  const fmt = (n: number | undefined) => (n === undefined ? '…' : num(n))
  const show = (patch: Parameters<typeof setFilter>[0]) => {
    setFilter({ state: '', published: '', bin: false, expiringBefore: '', expiringAfter: '', ...patch })
    go('tokens')
  }
  // The window a figure counted, on the store's clock: the list then holds exactly the tokens the figure counts.
  const expiringWithin = (d: number) => {
    const start = from ?? Math.floor(Date.now() / 1000)
    const iso = (s: number) => new Date(s * 1000).toISOString()
    return {
      expiringAfter: iso(start),
      expiringBefore: iso(start + d * 86400),
      sort: 'expiry' as const,
      dir: 'asc' as const
    }
  }
  return (
    <Screen
      id="dashboard"
      title="Dashboard"
      actions={
        <ActionButton className="btn" onClick={() => Promise.all([load(), loadFindings()])}>
          Refresh
        </ActionButton>
      }
    >
      <ErrorNote error={error} where="dashboard" />
      <div className="stats">
        {COUNT_STATS.map((c) => (
          <Stat
            key={c.key}
            label={c.label}
            value={fmt(counts?.[c.key])}
            testId={T.dashCount(c.key)}
            onClick={() => show(c.filter)}
            tone={c.tone}
          />
        ))}
        <Stat
          label="expiring in 7 days"
          value={fmt(counts ? expiring7 : undefined)}
          testId={T.dashExpiring(7)}
          onClick={() => show(expiringWithin(7))}
          tone="warn"
        />
        <Stat
          label="expiring in 30 days"
          value={fmt(counts ? expiring30 : undefined)}
          testId={T.dashExpiring(30)}
          onClick={() => show(expiringWithin(30))}
        />
      </div>
      <section className="card findings-card" aria-labelledby="dash-findings-h">
        <h2 id="dash-findings-h">Token hygiene</h2>
        <p>
          <span className="stat-value" data-testid={T.dashFindings}>
            {findings ? num(findings.high + findings.warning) : '…'}
          </span>{' '}
          findings across every server and the local store
          {findings ? (
            <span className="muted">
              {' '}
              ({num(findings.high)} high, {num(findings.warning)} warning{findings.warning === 1 ? '' : 's'})
            </span>
          ) : null}
        </p>
        <button
          type="button"
          className="btn small"
          data-testid={T.dashFindingsOpen}
          onClick={() => showInventory({ findings: true }, go)}
        >
          Show tokens with findings
        </button>
      </section>
      <section className="card" aria-labelledby="dash-timeline-h">
        <h2 id="dash-timeline-h">Expiry timeline: tokens expiring per day, next {HORIZON_DAYS} days</h2>
        {from !== null && (
          <ExpiryChart
            perDay={perDay}
            from={from}
            testId={T.dashTimeline}
            onDay={(d) => {
              const iso = (sec: number) => new Date(sec * 1000).toISOString()
              show({
                expiringAfter: iso(from + d * 86400),
                expiringBefore: iso(from + (d + 1) * 86400),
                sort: 'expiry',
                dir: 'asc'
              })
            }}
          />
        )}
      </section>
      <section className="card" data-testid={T.dashRecent} aria-labelledby="dash-recent">
        <h2 id="dash-recent">Recent activity</h2>
        <AuditTable items={recent} testId="dash-recent-row" />
      </section>
    </Screen>
  )
}
