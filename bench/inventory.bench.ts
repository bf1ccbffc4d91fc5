/**
 * Inventory benchmark: N local lifecycle tokens (seeded, default 1,000,000) plus three emulated servers of P tokens each
 * (default 10,000), each figure against a baseline measured in the same run:
 *   - first page (100 rows, in process) vs one UNION ALL over the three tables sorted by expiry (no index order);
 *   - one row by id (a detail pane's findings) vs the same lookup walking the expiry index;
 *   - findings counts (kept by triggers and day buckets) vs the same counts recomputed by a scan;
 *   - `inventory refresh` of the three servers through the emulators.
 * Goals: first page <= 1 ms, counts <= 50 ms, refresh <= 3 s. Sizes: TOKENDESK_BENCH_TOKENS, TOKENDESK_BENCH_PULLED.
 * The emulators run in a child process (bench/inventory-emulators.ts), so the refresh figure is the client's work and
 * real round trips, as against real servers; TOKENDESK_BENCH_EMULATORS=inprocess runs them on the bench's own loop.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { cpus, totalmem } from 'node:os'
import { startFessEmulator } from '../test/emulators/fess'
import { startXduaEmulator } from '../test/emulators/xdua'
import { startDataforEmulator } from '../test/emulators/datafor'
import { makeCore } from '../test/helpers/core'
import type { RefreshResult } from '../src/shared/contract'
import type { BenchServers } from './inventory-emulators'

const N = Number(process.env.TOKENDESK_BENCH_TOKENS ?? 1_000_000)
const P = Number(process.env.TOKENDESK_BENCH_PULLED ?? 10_000)
const REPS = 30

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
function timeSync(fn: () => unknown, reps = REPS): number {
  fn()
  const xs: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    fn()
    xs.push(performance.now() - t0)
  }
  return median(xs)
}

const IN_PROCESS = process.env.TOKENDESK_BENCH_EMULATORS === 'inprocess'

/** The three emulators, in a child process (default) or on this process's event loop; `close` stops them. */
async function startServers(): Promise<BenchServers & { close: () => Promise<void> }> {
  if (IN_PROCESS) {
    const [fess, x, df] = await Promise.all([
      startFessEmulator({ tokens: P - 1, seed: 42 }),
      startXduaEmulator({ tokens: P, seed: 42 }),
      startDataforEmulator({ configs: P })
    ])
    return {
      fess: { url: fess.url, adminToken: fess.adminToken },
      xdua: { url: x.url, token: x.token },
      datafor: { url: df.url, username: df.admin.username, password: df.admin.password },
      close: async () => void (await Promise.all([fess.close(), x.close(), df.close()]))
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/inventory-emulators.ts', String(P)], {
    cwd: new URL('..', import.meta.url),
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`emulators exited with ${code}`)))
  ])) as [string]
  const servers = JSON.parse(line) as BenchServers
  return {
    ...servers,
    close: async () => {
      child.stdin.end()
      if (child.exitCode === null) await once(child, 'exit')
    }
  }
}

async function main(): Promise<void> {
  const core = makeCore()
  const servers = await startServers()
  const { fess, xdua: x, datafor: df } = servers
  try {
    let t0 = performance.now()
    const seed = await core.deps.jobs.wait((await core.call('tokens:seed', { count: N, seed: 1 })).jobId)
    if (seed.state !== 'done') throw new Error(`seed ${seed.state}: ${seed.error?.message}`)
    const seedMs = performance.now() - t0
    // The load's WAL is checkpointed by a worker after it ends: waited for here, so no figure below shares the CPU.
    await core.services.tokens.derived.checkpointed()
    // A bulk load drops the findings triggers on tokens; the next inventory read puts them back and recomputes, as the
    // app's first inventory call after a seed would. Every figure below is measured with them in place.
    t0 = performance.now()
    await core.call('inventory:counts', {})
    const restoreMs = performance.now() - t0
    await core.call('connections:add', {
      name: 'fess',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
    await core.call('connections:add', {
      name: 'xdua',
      kind: 'xdua',
      baseUrl: x.url,
      authMethod: 'jwt',
      credential: x.token
    })
    await core.call('connections:add', {
      name: 'datafor',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'basic',
      username: df.username,
      credential: df.password
    })
    t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const refresh = await core.deps.jobs.wait((await core.call('inventory:refresh', {})).jobId)
    const refreshMs = performance.now() - t0
    // CPU of this process's threads: TokenDesk's alone when the emulators run in their child; the load moves it less.
    const cpu = process.cpuUsage(cpu0)
    const refreshCpuMs = (cpu.user + cpu.system) / 1000
    const rr = refresh.result as RefreshResult
    if (refresh.state !== 'done' || rr.failed) throw new Error(`refresh: ${JSON.stringify(refresh.error ?? rr)}`)

    const inv = core.services.hygiene.inventory
    const db = core.db
    const page = timeSync(() => inv.list({ limit: 100 }))
    const next = inv.list({ limit: 100 }).nextCursor!
    const page2 = timeSync(() => inv.list({ limit: 100, cursor: next }))
    const pageFindings = timeSync(() => inv.list({ limit: 100, findings: true }))
    const pageSoon = timeSync(() => inv.list({ limit: 100, expiringWithin: 30 * 86400 }))
    const naivePage = timeSync(
      () =>
        db
          .prepare(
            `SELECT * FROM (SELECT 'token' AS kind, id, name, iif(expire = 0, NULL, expire) AS e FROM tokens WHERE deleted_at IS NULL
             UNION ALL SELECT 'access-token', id, name, unixepoch(expires) FROM access_tokens
             UNION ALL SELECT 'sso-app', id, name, NULL FROM sso_apps) ORDER BY e IS NULL, e LIMIT 100`
          )
          .all(),
      5
    )
    const counts = timeSync(() => inv.counts({}))
    const now = Math.floor(Date.now() / 1000)
    const naiveCounts = timeSync(
      () =>
        db
          .prepare(
            `SELECT sum(expire = 0), sum(json_extract(claims, '$[4]') = '*' AND json_extract(claims, '$[5]') = '*' AND json_extract(claims, '$[10]') = '*'),
               sum(expire > 0 AND expire < ? AND (state = 0 OR published = 1)), sum(expire >= ? AND expire < ?) FROM tokens WHERE deleted_at IS NULL`
          )
          .raw()
          .get(now, now, now + 14 * 86400),
      3
    )
    // One row by id (a detail pane's findings) vs the same lookup walking the expiry index the list uses.
    const mid = db.prepare<[number], { id: string }>('SELECT id FROM tokens WHERE rid = ?').get(Math.ceil(N / 2))!.id
    const rowById = timeSync(() => inv.row('token', mid))
    const rowByExpiry = timeSync(
      () =>
        db
          .prepare(
            'SELECT id FROM tokens INDEXED BY tokens_by_expire WHERE k_expire > 0 AND id = ? ORDER BY k_expire, rid LIMIT 1'
          )
          .get(mid),
      3
    )
    const c = inv.counts({})
    const rows: Array<[string, number, string]> = [
      [
        'first page, 100 rows (goal <= 1 ms)',
        page,
        `${(naivePage / page).toFixed(0)}x faster than a sorted UNION ALL (${naivePage.toFixed(1)} ms)`
      ],
      ['second page by cursor', page2, ''],
      ['first page, --findings', pageFindings, ''],
      ['first page, --expiring-within 30d', pageSoon, ''],
      [
        'one row by id, inventory:row (goal < 1 ms)',
        rowById,
        `${(rowByExpiry / rowById).toFixed(0)}x faster than via the expiry index (${rowByExpiry.toFixed(1)} ms)`
      ],
      [
        'findings counts (goal <= 50 ms)',
        counts,
        `${(naiveCounts / counts).toFixed(0)}x faster than a scan (${naiveCounts.toFixed(1)} ms)`
      ],
      [
        `inventory refresh, 3 x ${P} (goal <= 3 s)`,
        refreshMs,
        rr.servers.map((s) => `${s.connection} ${s.pulled}`).join(', ')
      ],
      [
        '  the same, CPU time of this process',
        refreshCpuMs,
        IN_PROCESS ? 'with the emulators' : 'TokenDesk alone (the emulators run in a child process)'
      ],
      [`seed ${N} tokens (bulk load)`, seedMs, `${Math.round(N / (seedMs / 1000))} rows/s`],
      ['findings put back after the seed', restoreMs, 'triggers reinstalled, findings recomputed']
    ]
    process.stdout.write(
      `inventory bench: ${N} local + ${3 * P} pulled, emulators ${IN_PROCESS ? 'in process' : 'in a child process'}, ` +
        `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB\n`
    )
    for (const [what, ms, note] of rows)
      process.stdout.write(`${what.padEnd(44)} ${ms.toFixed(3).padStart(10)} ms  ${note}\n`)
    process.stdout.write(`counts: ${JSON.stringify(c.byRule)}\n`)
  } finally {
    core.cleanup()
    await servers.close()
  }
}

void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exitCode = 1
})
