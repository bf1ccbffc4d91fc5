/**
 * Local token store benchmark, at 1,000,000 lifecycle tokens: seeds the store, then prints
 * p50/p95 for each goal with the baseline measured in the same run (OFFSET paging, a LIKE scan, a GROUP BY count) and
 * the ratio. Run: npx tsx bench/store.bench.ts   (or npm run bench -- store). Env STORE_BENCH_ROWS (default 1000000).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from '../src/main/core'
import { MemorySecretStore } from '../src/main/secrets'
import { BIN_KEY_SPLIT } from '../src/main/tokens/schema'
import type { TokenImportResult, TokenExportResult } from '../src/shared/contract'

const ROWS = Number(process.env.STORE_BENCH_ROWS ?? 1_000_000)
const dir = mkdtempSync(join(tmpdir(), 'tokendesk-store-bench-'))
const secrets = new MemorySecretStore()
const open = (sub: string) => createCore({ dataDir: join(dir, sub), secrets })

interface Row {
  goal: string
  p50: number
  p95: number
  target: string
  baseline?: { name: string; p50: number; p95: number }
  /** p95 of the first pass over the same inputs, before the pages it reads are in SQLite's cache. */
  coldP95?: number
}
const rows: Row[] = []
const notes: string[] = []

/** Waits for the OS to write back dirty pages (sync(1)), so a figure does not pay for an earlier step's writes. */
function flushToDisk(): void {
  if (process.platform !== 'win32') execFileSync('sync')
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
function time(fn: () => unknown): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}
/**
 * Two passes over the same inputs: the first (reported as coldP95) reads pages the OS may have evicted (on these VMs
 * DAMON pages out file cache idle for a minute, so a first read goes to disk); the second is the warm figure, the
 * state of a store being browsed.
 */
function sample(n: number, fn: (i: number) => unknown): { p50: number; p95: number; coldP95: number } {
  const cold = Array.from({ length: n }, (_, i) => time(() => fn(i)))
  const xs = Array.from({ length: n }, (_, i) => time(() => fn(i)))
  return { p50: pct(xs, 50), p95: pct(xs, 95), coldP95: pct(cold, 95) }
}
async function sampleAsync(
  n: number,
  fn: (i: number) => Promise<unknown>
): Promise<{ p50: number; p95: number; coldP95: number }> {
  const cold: number[] = []
  for (let i = 0; i < n; i++) cold.push(await timeAsync(() => fn(i)))
  const xs: number[] = []
  for (let i = 0; i < n; i++) xs.push(await timeAsync(() => fn(i)))
  return { p50: pct(xs, 50), p95: pct(xs, 95), coldP95: pct(cold, 95) }
}
async function job<T>(core: Core, r: { ok: boolean; value?: unknown; error?: unknown }): Promise<T> {
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  const info = await core.deps.jobs.wait((r.value as { jobId: string }).jobId)
  if (info.state !== 'done') throw new Error(`${info.kind} ${info.state}: ${JSON.stringify(info.error)}`)
  return info.result as T
}

async function main() {
  process.stdout.write(
    `store bench: ${ROWS.toLocaleString('en')} rows, ${cpus().length}× ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at ${new Date().toISOString()}\n`
  )
  const core = open('a')
  const { tokens } = core.services
  const db = core.db

  // --- seed ---------------------------------------------------------------------------------------------------
  const seedMs = await timeAsync(async () => {
    await job(core, await core.dispatch('tokens:seed', { count: ROWS, seed: 42 }))
  })
  notes.push(
    `seed ${ROWS.toLocaleString('en')} rows: ${(seedMs / 1000).toFixed(1)} s (${Math.round(ROWS / (seedMs / 1000)).toLocaleString('en')} rows/s incl. index + FTS build)`
  )
  const rnd = (() => {
    let a = 7
    return () => (a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32
  })()
  // The seed wrote ~800 MB (WAL, then the checkpoint into the file); left to itself the OS writes that back while the
  // queries below run, and the disk traffic shows up as their p95. Checkpoint and flush first, so the query figures are
  // those of a store at rest (the seed's own time is measured above).
  db.pragma('wal_checkpoint(TRUNCATE)')
  flushToDisk()

  // --- a page of 50 by state ordered by update -------------------------------------------------------------------
  {
    const states = ['enabled', 'disabled'] as const
    const cursors: Array<string | undefined> = [undefined]
    for (const s of states) {
      let c: string | undefined
      for (let i = 0; i < 20; i++) {
        const p = tokens.query.list({ state: s, bin: false, sort: 'updated', limit: 50, cursor: c })
        c = p.nextCursor ?? undefined
        cursors.push(c)
      }
    }
    const r = sample(400, (i) =>
      tokens.query.list({
        state: states[i % 2],
        bin: false,
        sort: 'updated',
        limit: 50,
        cursor: i % 2 === 0 ? undefined : cursors[i % cursors.length]
      })
    )
    rows.push({ goal: 'page of 50 by state, by update (in process)', ...r, target: 'p95 <= 1 ms' })
  }

  // --- any filtered, sorted page ---------------------------------------------------------------------------------
  const combos: Array<Record<string, unknown>> = []
  for (const sort of ['name', 'created', 'updated', 'expiry'] as const)
    for (const f of [
      {},
      { state: 'enabled' },
      { state: 'disabled' },
      { published: true },
      { published: false },
      { bin: true },
      { creator: 'alice' },
      { state: 'disabled', published: true }
    ])
      for (const dir of ['asc', 'desc'] as const) combos.push({ sort, dir, ...f })
  {
    const r = sample(combos.length * 4, (i) =>
      tokens.query.list({ bin: false, limit: 50, ...combos[i % combos.length] } as never)
    )
    rows.push({ goal: `any filtered, sorted page (${combos.length} combos, in process)`, ...r, target: 'p95 <= 1 ms' })
  }

  // --- deep keyset vs OFFSET -------------------------------------------------------------------------------------
  {
    const live = (db.prepare('SELECT count(*) AS n FROM tokens WHERE bin = 0').get() as { n: number }).n
    const offsets = Array.from({ length: 40 }, () => Math.floor(live * (0.3 + 0.6 * rnd())))
    // The live list in update order is the range of k_updated below BIN_KEY_SPLIT (schema v4), walked by tokens_by_updated.
    const liveByUpdate = `FROM tokens WHERE k_updated < ${BIN_KEY_SPLIT} ORDER BY k_updated DESC, rid DESC`
    const boundary = db.prepare(`SELECT istamp, rid ${liveByUpdate} LIMIT 1 OFFSET ?`)
    const cursors = offsets.map((o) => {
      const b = boundary.get(o - 1) as { istamp: number; rid: number }
      return Buffer.from(JSON.stringify({ s: 'updated', d: 'desc', v: b.istamp, r: b.rid })).toString('base64url')
    })
    const keyset = sample(200, (i) =>
      tokens.query.list({ bin: false, sort: 'updated', limit: 50, cursor: cursors[i % cursors.length] })
    )
    const off = db.prepare(`SELECT * ${liveByUpdate} LIMIT 50 OFFSET ?`)
    // Same rows? (the cursor continues exactly where OFFSET would start)
    const a = tokens.query.list({ bin: false, sort: 'updated', limit: 50, cursor: cursors[0] }).items.map((r) => r.id)
    const b = (off.all(offsets[0]) as Array<{ id: string }>).map((r) => r.id)
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('keyset and OFFSET pages differ')
    const offset = sample(30, (i) => off.all(offsets[i % offsets.length]))
    rows.push({
      goal: 'keyset page deep in the table (30–90%)',
      ...keyset,
      target: 'p95 <= 1 ms',
      baseline: { name: 'OFFSET', ...offset }
    })
  }

  // --- substring search ------------------------------------------------------------------------------------------
  {
    const names = db
      .prepare('SELECT name, brief FROM tokens WHERE bin = 0 AND rid % 997 = 0 LIMIT 400')
      .all() as Array<{ name: string; brief: string }>
    // What people type to find a token: a piece of its own name (5–8 characters from its distinctive end). Common
    // words (which match a large share of the store) are measured separately below.
    const terms = names.map((n, i) => {
      const len = 5 + (i % 4)
      const end = n.name.length - Math.floor(rnd() * 2)
      return n.name.slice(Math.max(0, end - len), end)
    })
    const fts = sample(400, (i) =>
      tokens.query.list({ bin: false, sort: 'updated', limit: 50, search: terms[i % terms.length] })
    )
    const scan = db.prepare(
      "SELECT * FROM tokens WHERE bin = 0 AND (name LIKE ? ESCAPE '\\' OR brief LIKE ? ESCAPE '\\') ORDER BY istamp DESC, rid DESC LIMIT 50"
    )
    const like = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const base = sample(6, (i) => scan.all(like(terms[i]), like(terms[i])))
    rows.push({
      goal: 'substring search, selective (FTS5 trigram)',
      ...fts,
      target: 'p95 <= 2 ms',
      baseline: { name: 'LIKE scan', ...base }
    })
    const common = ['gateway', 'login', 'report', 'token', '令牌']
    const c = sample(100, (i) =>
      tokens.query.list({ bin: false, sort: 'updated', limit: 50, search: common[i % common.length] })
    )
    rows.push({ goal: 'substring search, common word (index walk)', ...c, target: 'p95 <= 2 ms' })
  }

  // --- counts per state ------------------------------------------------------------------------------------------
  {
    const kept = sample(500, () => tokens.query.counts())
    const group = db.prepare('SELECT state, published, bin, count(*) FROM tokens GROUP BY 1, 2, 3')
    const scan = sample(5, () => group.all())
    rows.push({
      goal: 'counts per state (trigger-kept table)',
      ...kept,
      target: '<= 5 ms',
      baseline: { name: 'GROUP BY scan', ...scan }
    })
  }

  // --- match count of a filter (the Tokens screen's total when the counts per state cannot say) --------------------
  {
    const now = Math.floor(Date.now() / 1000)
    const filters: Array<Record<string, unknown>> = [
      { expiringAfter: now, expiringBefore: now + 7 * 86400 },
      { expiringAfter: now, expiringBefore: now + 30 * 86400 },
      { expiringAfter: now, expiringBefore: now + 90 * 86400, state: 'enabled' },
      { creator: 'alice' },
      { search: 'gateway' },
      { state: 'disabled', published: true, creator: 'bob' }
    ]
    const r = await sampleAsync(filters.length * 20, (i) =>
      tokens.query.count({ bin: false, cap: 10_000, ...filters[i % filters.length] } as never)
    )
    // Baseline: the same statements without the cap, in this thread (every match counted).
    const uncapped = (f: Record<string, unknown>) => {
      const st = tokens.query.countStatement({ bin: false, cap: 10_000, ...f } as never)!
      return db.prepare(st.sql.replace(' LIMIT @cap)', ')')).pluck().get(st.args)
    }
    const base = sample(filters.length * 2, (i) => uncapped(filters[i % filters.length]))
    rows.push({
      goal: `match count of a filter, capped at 10,000 (${filters.length} filters, on the count worker)`,
      ...r,
      target: '-',
      baseline: { name: 'no cap, in this thread', ...base }
    })
  }

  // --- one page through dispatch ---------------------------------------------------------------------------------
  {
    const r = await sampleAsync(combos.length * 2, (i) =>
      core.dispatch('tokens:list', { limit: 50, ...combos[i % combos.length] })
    )
    rows.push({ goal: 'one page of 50 through dispatch (zod + records + verbs)', ...r, target: 'p95 <= 10 ms' })
    const q = await sampleAsync(200, (i) =>
      core.dispatch('tokens:qri', { state: i % 2 ? 'enabled' : 'disabled', limit: 50 })
    )
    rows.push({ goal: "QRI page through dispatch ('tokens:qri')", ...q, target: 'p95 <= 10 ms' })
  }

  // --- export, then import into a fresh store --------------------------------------------------------------------
  const file = join(dir, 'store.jsonl')
  const exMs = await timeAsync(async () => {
    await job<TokenExportResult>(core, await core.dispatch('tokens:export', { file }))
  })
  notes.push(
    `export: ${(exMs / 1000).toFixed(1)} s, ${Math.round(ROWS / (exMs / 1000)).toLocaleString('en')} rows/s, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`
  )
  core.close()
  // As after the seed: the export's 475 MB are flushed before the import is timed, so it does not pay for their writeback.
  flushToDisk()
  {
    const b = open('b')
    let result: TokenImportResult | undefined
    const ms = await timeAsync(async () => {
      result = await job<TokenImportResult>(b, await b.dispatch('tokens:import', { file, batchSize: 10_000 }))
    })
    // The import leaves the WAL checkpoint of its last commits to a worker thread (tokens/bulk/rebuild.ts checkpointOffThread): its
    // end is timed too, so the figure with it is printed beside the import's own.
    const ckMs = await timeAsync(() => b.services.tokens.derived.checkpointed())
    const rate = Math.round((result?.imported.tokens ?? 0) / (ms / 1000))
    rows.push({
      goal: 'import JSON lines into an empty store, rows/s (bulk: search index built alongside, unique + page indexes after)',
      p50: rate,
      p95: rate,
      target: '>= 80,000 rows/s'
    })
    notes.push(
      `import: ${(ms / 1000).toFixed(2)} s to its result; the WAL checkpoint it left to a worker thread ended ${(ckMs / 1000).toFixed(2)} s later ` +
        `(${Math.round((result?.imported.tokens ?? 0) / ((ms + ckMs) / 1000)).toLocaleString('en')} rows/s counting it)`
    )
    // Baseline in the same run: 20,000 more rows into the now-full store, indexes, FTS and counts kept row by row.
    const small = join(dir, 'small.jsonl')
    const src = open('c')
    await job(src, await src.dispatch('tokens:seed', { count: 20_000, seed: 9 }))
    await job(src, await src.dispatch('tokens:export', { file: small }))
    src.close()
    let r2: TokenImportResult | undefined
    const ms2 = await timeAsync(async () => {
      r2 = await job<TokenImportResult>(b, await b.dispatch('tokens:import', { file: small }))
    })
    const rate2 = Math.round((r2?.imported.tokens ?? 0) / (ms2 / 1000))
    notes.push(
      `import 20,000 rows into the full store (indexes, FTS and counts maintained per row): ${rate2.toLocaleString('en')} rows/s`
    )
    b.close()
  }

  // --- open the store and read the first page --------------------------------------------------------------------
  {
    const xs: number[] = []
    for (let i = 0; i < 12; i++) {
      xs.push(
        await timeAsync(async () => {
          const c = open('a')
          const r = await c.dispatch('tokens:list', { limit: 50 })
          if (!r.ok) throw new Error('first page failed')
          c.close()
        })
      )
    }
    rows.push({
      goal: 'open the store (createCore) + first page via dispatch (warm OS cache)',
      p50: pct(xs, 50),
      p95: pct(xs, 95),
      target: '<= 300 ms'
    })
  }

  // --- table -----------------------------------------------------------------------------------------------------
  const fmt = (n: number) => (n >= 1000 ? Math.round(n).toLocaleString('en') : n >= 10 ? n.toFixed(1) : n.toFixed(3))
  process.stdout.write(
    `\n| goal (${ROWS.toLocaleString('en')} rows) | p50 | p95 | first pass p95 | target | baseline p50 / p95 | ratio (baseline p95 / p95) |\n|---|---|---|---|---|---|---|\n`
  )
  for (const r of rows) {
    const unit = r.goal.includes('rows/s') ? '' : ' ms'
    const base = r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.p50)} / ${fmt(r.baseline.p95)} ms` : '-'
    const ratio = r.baseline ? `${(r.baseline.p95 / r.p95).toFixed(0)}×` : '-'
    const cold = r.coldP95 === undefined ? '-' : `${fmt(r.coldP95)}${unit}`
    process.stdout.write(
      `| ${r.goal} | ${fmt(r.p50)}${unit} | ${fmt(r.p95)}${unit} | ${cold} | ${r.target} | ${base} | ${ratio} |\n`
    )
  }
  notes.push(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other work on the machine inflates every figure)`
  )
  process.stdout.write(
    `\n${notes.map((n) => `- ${n}`).join('\n')}\n- database file: ${(statSync(join(dir, 'a', 'tokendesk.db')).size / 2 ** 20).toFixed(0)} MiB\n`
  )
}

main()
  .catch((e) => {
    process.stderr.write(`store bench failed: ${e instanceof Error ? e.stack : String(e)}\n`)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
