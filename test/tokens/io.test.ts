import { spawn } from 'node:child_process'
import { readFileSync, existsSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import type { TokenExportResult, TokenImportResult } from '../../src/shared/contract'
import { migrations } from '../../src/main/db/migrations'
import { createDerived } from '../../src/main/tokens/bulk/derived'
import { TOKENS_FTS_OPTIONS } from '../../src/main/tokens/schema'
import { exportedTokenArgs, parsedTokenArgs } from '../../src/main/tokens/bulk/line-parser'
import { packedCount, type PackedRows } from '../../src/main/tokens/bulk/packed-rows'
import { SEED_CLAIMS } from '../helpers/claims'

const ADD = SEED_CLAIMS
const cores: TestCore[] = []
const newCore = (opts: Parameters<typeof makeCore>[0] = {}) => {
  const c = makeCore(opts)
  cores.push(c)
  return c
}
afterEach(() => {
  while (cores.length) cores.pop()!.cleanup()
})
/** Loads from this size drop and rebuild the derived state, as the default threshold does for bigger loads. */
const BULK = 2_000
const bulkCore = () => newCore({ bulkMinRows: BULK })

async function job<T>(core: TestCore, p: Promise<{ jobId: string }>): Promise<T> {
  const info = await core.deps.jobs.wait((await p).jobId)
  if (info.state !== 'done') throw new Error(`job ${info.state}: ${JSON.stringify(info.error)}`)
  return info.result as T
}

/** A store of `count` seeded tokens exported to a JSON-lines file; returns the file. */
async function exportSeeded(count: number, seed: number): Promise<string> {
  const src = newCore()
  await job(src, src.call('tokens:seed', { count, seed }))
  const file = join(tempDir(), 'seeded.jsonl')
  await job(src, src.call('tokens:export', { file }))
  return file
}

/** Every derived structure agrees with the table: counts, FTS, indexes. */
function assertDerivedConsistent(db: Database.Database) {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  const scan = db.prepare('SELECT state, published, bin, count(*) AS n FROM tokens GROUP BY 1, 2, 3').all() as Array<{
    state: number
    published: number
    bin: number
    n: number
  }>
  const kept = db.prepare('SELECT state, published, bin, n FROM token_counts WHERE n > 0 ORDER BY 1, 2, 3').all()
  expect(kept).toEqual(scan)
  db.prepare("INSERT INTO tokens_fts(tokens_fts, rank) VALUES ('integrity-check', 1)").run()
  const idx = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'tokens'")
      .all() as Array<{ name: string }>
  ).map((r) => r.name)
  expect(idx).toEqual(
    expect.arrayContaining([
      'tokens_id',
      'tokens_name',
      'tokens_by_updated',
      'tokens_by_created',
      'tokens_by_name',
      'tokens_by_expire',
      'tokens_ai',
      'tokens_ad',
      'tokens_au_counts',
      'tokens_au_fts'
    ])
  )
}

describe('export and import (JSON lines, secrets excluded)', () => {
  it('round-trips every kind; the import names the records that lack secrets and the missing keys', async () => {
    const a = newCore()
    await a.call('keys:generate', { name: 'k1', alg: 'HS256' })
    const t = (await a.call('tokens:add', { ...ADD, name: '登录令牌_01', brief: 'brief', keyName: 'k1' })).record
    await a.call('tokens:dis', { id: t.id, version: 1, reason: 'frozen' })
    const at = await a.call('accessTokens:add', { name: 'crawler', permissions: ['{role}admin-api'] })
    const sso = await a.call('ssoApps:add', { name: 'ERP', secret: 'x'.repeat(40), initpwd: 'pw-123456' })
    const file = join(a.dataDir, 'store.jsonl')
    const ex = await job<TokenExportResult>(a, a.call('tokens:export', { file }))
    expect(ex.counts).toEqual({ tokens: 1, accessTokens: 1, ssoApps: 1 })
    expect((await a.callError('tokens:export', { file }).catch(() => null)) ?? null).toBeDefined()
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines[0]).toMatchObject({ format: 'tokendesk.store', secretsExcluded: true })
    expect(lines.find((l) => l.kind === 'ssoApp').secretsExcluded).toEqual(['secret', 'initpwd'])

    const b = newCore()
    const im = await job<TokenImportResult>(b, b.call('tokens:import', { file }))
    expect(im.imported).toEqual({ tokens: 1, accessTokens: 1, ssoApps: 1 })
    expect(im.lackingSecrets).toEqual([
      { kind: 'accessToken', id: at.id, name: 'crawler', missing: ['token'] },
      { kind: 'ssoApp', id: sso.id, name: 'ERP', missing: ['secret'] }
    ])
    expect(im.missingKeys).toEqual(['k1'])
    const got = await b.call('tokens:get', { id: t.id })
    expect(got).toMatchObject({
      name: '登录令牌_01',
      state: 1,
      stato: 'frozen',
      keyName: 'k1',
      version: 2,
      cstamp: t.cstamp
    })
    expect((await b.call('accessTokens:get', { id: at.id })).hasToken).toBe(false)
    expect((await b.callError('accessTokens:reveal', { id: at.id })).code).toBe('SECRET_MISSING')
    expect((await b.call('ssoApps:get', { name: 'ERP' })).hasSecret).toBe(false)
    // Importing again skips what is there, overwriting nothing.
    const again = await job<TokenImportResult>(b, b.call('tokens:import', { file }))
    expect(again.imported).toEqual({ tokens: 0, accessTokens: 0, ssoApps: 0 })
    expect(again.skippedCount).toBe(3)
  })

  it('reports bad lines and keeps the good ones', async () => {
    const a = newCore()
    const file = join(a.dataDir, 'bad.jsonl')
    writeFileSync(
      file,
      ['not json', JSON.stringify({ kind: 'token', id: 'short' }), JSON.stringify({ kind: 'what' })].join('\n')
    )
    const r = await job<TokenImportResult>(a, a.call('tokens:import', { file }))
    expect(r.skippedCount).toBe(3)
    expect(r.skipped[0]).toMatchObject({ kind: 'line', id: '1', reason: 'not JSON' })
    const info = await a.deps.jobs.wait((await a.call('tokens:import', { file: join(a.dataDir, 'nope.jsonl') })).jobId)
    expect(info.error?.code).toBe('IO')
  })

  it('reads \\n, \\r\\n and lone \\r line breaks, multi-byte names and a last line without a break', async () => {
    const a = newCore()
    await a.call('tokens:add', { ...ADD, name: '登录令牌_源' })
    const file = join(a.dataDir, 'src.jsonl')
    await job(a, a.call('tokens:export', { file }))
    const token = JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[1]) as Record<string, unknown>
    const line = (id: string, name: string) => JSON.stringify({ ...token, id, name })
    const mixed = join(a.dataDir, 'mixed.jsonl')
    writeFileSync(
      mixed,
      `${line('Cr000001', '报表令牌_一')}\r\n${line('Cr000002', '网关令牌_二')}\r${line('Cr000003', 'plain_three')}\n${line('Cr000004', '社区令牌_四')}`
    )
    const b = newCore()
    const r = await job<TokenImportResult>(b, b.call('tokens:import', { file: mixed }))
    expect(r.skipped).toEqual([])
    expect(r.imported.tokens).toBe(4)
    expect((await b.call('tokens:get', { id: 'Cr000004' })).name).toBe('社区令牌_四')
    expect((await b.call('tokens:get', { id: 'Cr000002' })).name).toBe('网关令牌_二')
  })

  it('reads lines across read boundaries and a line longer than a read (1 MiB)', async () => {
    const a = newCore()
    await a.call('tokens:add', ADD)
    const file = join(a.dataDir, 'src.jsonl')
    await job(a, a.call('tokens:export', { file }))
    const token = JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[1]) as Record<string, unknown>
    // ~2.5 MiB of lines whose multi-byte names fall anywhere relative to the 1 MiB reads, and one 1.5 MiB line (its
    // brief too long for a token, so it is skipped) that the reader must hold whole before it can split it.
    const id = (i: number) => `Rb${String(i).padStart(6, '0')}`
    // Briefs of varying length, so no two reads start at the same place in a line.
    const brief = (i: number) => `${'网关'.repeat((i * 7) % 31)}${i}`
    const lines = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify({ ...token, id: id(i), name: `报表令牌_${i}`, brief: brief(i) })
    )
    lines.splice(3000, 0, JSON.stringify({ ...token, id: 'Rbhuge00', name: 'huge_line', brief: 'x'.repeat(1_500_000) }))
    const big = join(a.dataDir, 'big.jsonl')
    writeFileSync(big, lines.join('\n'))
    const b = newCore()
    const r = await job<TokenImportResult>(b, b.call('tokens:import', { file: big }))
    expect(r.imported.tokens).toBe(6000)
    expect(r.skipped).toEqual([
      { kind: 'line', id: '3001', reason: expect.stringMatching(/^brief: /), code: 'VALIDATION' }
    ])
    const got = b.db.prepare('SELECT id, name, brief FROM tokens WHERE id LIKE ? ORDER BY id').all('Rb0%')
    expect(got).toEqual(Array.from({ length: 6000 }, (_, i) => ({ id: id(i), name: `报表令牌_${i}`, brief: brief(i) })))
  })

  it('a cancelled import stops between batches: whole batches kept, indexes rebuilt, the store writable again', async () => {
    const file = await exportSeeded(4_000, 13)
    const b = bulkCore()
    const { jobId } = await b.call('tokens:import', { file, batchSize: 500 })
    // Cancelled as soon as the first batch is reported (the import yields between batches, so this lands mid-file).
    while (!(b.deps.jobs.get(jobId).done! > 0)) await new Promise((r) => setImmediate(r))
    b.deps.jobs.cancel(jobId)
    const info = await b.deps.jobs.wait(jobId)
    expect(info.state).toBe('cancelled')
    const n = (b.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(4_000)
    expect(n % 500).toBe(0)
    assertDerivedConsistent(b.db)
    await b.call('tokens:add', { ...ADD, name: 'after_cancel' })
  }, 60_000)

  it('a bulk seed (derived state dropped and rebuilt) leaves counts, FTS and indexes consistent', async () => {
    const a = bulkCore()
    const started = await a.call('tokens:seed', { count: 2_500, seed: 1 })
    // The index build is announced as a stage of the job before it starts, and cleared when it ends.
    const stages: Array<string | undefined> = []
    a.deps.jobs.watch(started.jobId, (info) => stages.push(info.stage))
    const r = await job<{ inserted: number }>(a, Promise.resolve(started))
    expect(stages).toEqual(['building indexes', undefined])
    expect(r.inserted).toBe(2_500)
    assertDerivedConsistent(a.db)
    expect(a.db.prepare("SELECT count(*) AS n FROM tokens_meta WHERE key = 'rebuild_due'").get()).toEqual({ n: 0 })
  })
})

describe('derived state at open', () => {
  it('leaves a bulk load of a live process alone, and repairs one whose process is gone', async () => {
    const a = newCore()
    await a.call('tokens:add', { ...ADD, name: 'probe_token' })
    const derived = a.services.tokens.derived
    derived.beginBulk()
    const flag = a.db.prepare("UPDATE tokens_meta SET value = ? WHERE key = 'rebuild_due'")
    const hasIndex = () => Boolean(a.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tokens_by_updated'").get())
    flag.run(JSON.stringify({ pid: process.ppid }))
    derived.ensure()
    expect(hasIndex()).toBe(false)
    flag.run(JSON.stringify({ pid: 2 ** 22 + 12345 }))
    derived.ensure()
    expect(hasIndex()).toBe(true)
    assertDerivedConsistent(a.db)
  })
  it('repairs a crashed bulk load that had let duplicates in: the first row of each id and local name stays', async () => {
    const a = newCore()
    const probe = (await a.call('tokens:add', { ...ADD, name: 'probe_token', brief: 'first of its name' })).record
    const derived = a.services.tokens.derived
    derived.beginBulk()
    // What a load writes with the unique indexes down: a taken id, then a taken name (by rid, after the original).
    const copy = (id: string, name: string) =>
      a.db
        .prepare(
          `INSERT INTO tokens (id, name, brief, avatar, claims, creator, updater, cstamp, istamp)
        SELECT ?, ?, 'a later copy', avatar, claims, creator, updater, cstamp, istamp FROM tokens WHERE rid = 1`
        )
        .run(id, name)
    copy(probe.id, 'another_name')
    copy('Qq000001', 'probe_token')
    copy('Qq000002', 'fresh_name')
    a.db
      .prepare("UPDATE tokens_meta SET value = ? WHERE key = 'rebuild_due'")
      .run(JSON.stringify({ pid: 2 ** 22 + 12345 }))
    derived.ensure()
    expect(a.db.prepare('SELECT id, name, brief FROM tokens ORDER BY rid').all()).toEqual([
      { id: probe.id, name: 'probe_token', brief: 'first of its name' },
      { id: 'Qq000002', name: 'fresh_name', brief: 'a later copy' }
    ])
    assertDerivedConsistent(a.db)
    expect((await a.callError('tokens:add', { ...ADD, name: 'fresh_name' })).code).toBe('VALIDATION')
  })
})

describe('crash safety', () => {
  it('SIGKILL mid-import of 10,000 rows: integrity ok, every committed batch whole, derived state repaired on reopen', async () => {
    // A bulk load at the child's threshold (BULK), and long enough for the kill to land well before the end.
    const ROWS = 10_000
    const file = await exportSeeded(ROWS, 3)
    const ids = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => (JSON.parse(l) as { id: string }).id)
    expect(ids).toHaveLength(ROWS)

    const dataDir = tempDir()
    newCore({ dataDir }).close() // create the store (schema) before the child starts
    cores.pop()
    const BATCH = 500
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'import-child.ts'), dataDir, file, String(BATCH), String(BULK)],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += String(d)))
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)))
    const reader = new Database(join(dataDir, 'tokendesk.db'), { readonly: true })
    const deadline = Date.now() + 60_000
    let seen = 0
    while (seen < 4 * BATCH) {
      if (Date.now() > deadline) throw new Error(`the import did not start: ${stderr}`)
      await new Promise((r) => setTimeout(r, 5))
      seen = (reader.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    // Killed inside the bulk load: its derived state was down, and the reopen below has to repair it.
    expect(reader.prepare("SELECT count(*) AS n FROM tokens_meta WHERE key = 'rebuild_due'").get()).toEqual({ n: 1 })
    reader.close()
    expect(existsSync(join(dataDir, 'tokendesk.db-wal'))).toBe(true)

    const after = newCore({ dataDir })
    const n = (after.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    expect(n).toBeGreaterThanOrEqual(4 * BATCH)
    expect(n).toBeLessThan(ROWS)
    expect(n % BATCH).toBe(0) // no half-written batch
    const got = (after.db.prepare('SELECT id FROM tokens ORDER BY rid').all() as Array<{ id: string }>).map((r) => r.id)
    expect(got).toEqual(ids.slice(0, n)) // exactly the committed batches, in file order
    assertDerivedConsistent(after.db)
    const counts = await after.call('tokens:counts', {})
    expect(counts.total).toBe(n)
    // The store works normally after the repair.
    const page = await after.call('tokens:list', { limit: 10 })
    expect(page.items).toHaveLength(10)
  }, 120_000)
})

describe('bulk loads with the unique indexes down', () => {
  // 2,500 rows: a bulk load (unique indexes down, duplicates removed at the end); 300: rows inserted with the indexes
  // and triggers in place, a batch per statement (which rows went in is read back from RETURNING).
  it.each([2_500, 300])(
    '%i rows: skips ids and local names already taken (in the store or earlier in the file); the unique indexes come back',
    async (rows) => {
      const file = await exportSeeded(rows, 11)
      const lines = readFileSync(file, 'utf8').trim().split('\n')
      const first = JSON.parse(lines[1]) as Record<string, unknown>
      const second = JSON.parse(lines[2]) as Record<string, unknown>

      const b = bulkCore()
      const mine = (await b.call('tokens:add', { ...ADD, name: 'probe_token' })).record
      const extra = [
        { ...first }, // the same id again, later in the file
        { ...second, id: 'Zz000001' }, // a new id under a name the file already used
        { ...second, id: mine.id, name: 'other_name_1' }, // the id of a record already in the store
        { ...second, id: 'Zz000002', name: 'probe_token' }, // a local name already in the store
        { ...second, id: 'Zz000003', name: 'probe_token', origin: { connectionId: 'c1', remoteId: 'r1', pulledAt: 1 } }, // a pulled copy: names may repeat
        { ...first, name: 'chain_name_1', brief: 'zqxdropped' }, // a taken id under a new name: skipped, so the name stays free...
        { ...second, id: 'Zz000005', name: 'chain_name_1' }, // ...for this row, as if the file had been read row by row
        { ...second, id: 'Zz000006', name: 'probe_token', alg: 'HS256', keyName: 'key_of_skipped' }, // a taken name: skipped...
        { ...second, id: 'Zz000006', name: 'fresh_name_6' }, // ...so its id is free for this row
        { ...second, id: 'Zz000007', name: 'kept_with_key', alg: 'HS256', keyName: 'key_of_kept' }
      ]
      writeFileSync(file, [...lines, ...extra.map((l) => JSON.stringify(l))].join('\n') + '\n')
      const r = await job<TokenImportResult>(b, b.call('tokens:import', { file }))
      expect(r.imported.tokens).toBe(rows + 4)
      expect(r.skippedCount).toBe(6)
      expect(r.skipped.map((s) => s.id)).toEqual([first.id, 'Zz000001', mine.id, 'Zz000002', first.id, 'Zz000006'])
      expect((await b.call('tokens:get', { id: 'Zz000005' })).name).toBe('chain_name_1')
      expect((await b.call('tokens:get', { id: 'Zz000006' })).name).toBe('fresh_name_6')
      // Only rows that went in report their missing keys.
      expect(r.missingKeys).toEqual(['key_of_kept'])
      expect((await b.call('tokens:get', { id: first.id as string })).name).toBe(first.name)
      // The skipped rows were indexed by the search worker before they were removed; they are out of the index too.
      expect((await b.call('tokens:list', { search: 'zqxdropped', limit: 5 })).items).toEqual([])
      expect(r.skipped.every((s) => s.reason === 'id or name already in the store')).toBe(true)

      assertDerivedConsistent(b.db)
      const unique = b.db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('tokens_id', 'tokens_name') ORDER BY name"
        )
        .all()
      expect(unique).toEqual([{ name: 'tokens_id' }, { name: 'tokens_name' }])
      // The indexes hold again: a taken name is refused as before the load.
      expect((await b.callError('tokens:add', { ...ADD, name: second.name })).code).toBe('VALIDATION')
      expect((await b.call('tokens:get', { id: 'Zz000003' })).origin).toMatchObject({ connectionId: 'c1' })
    },
    60_000
  )

  it('refuses adds, renames, brief changes, deletes and state changes with BUSY while this process loads', async () => {
    const a = newCore()
    const t = (await a.call('tokens:add', { ...ADD, name: 'busy_probe' })).record
    const derived = a.services.tokens.derived
    derived.beginBulk()
    expect((await a.callError('tokens:add', { ...ADD, name: 'during_load' })).code).toBe('BUSY')
    expect((await a.callError('tokens:set', { id: t.id, version: 1, name: 'renamed_now' })).code).toBe('BUSY')
    // The search index being built holds names and briefs as the load found them, and every row it found.
    expect((await a.callError('tokens:set', { id: t.id, version: 1, brief: 'changed brief' })).code).toBe('BUSY')
    expect((await a.callError('tokens:del', { id: t.id, version: 1 })).code).toBe('BUSY')
    // A state change too: the load's end may remove the row it changed, and with it an acknowledged write.
    expect((await a.callError('tokens:dis', { id: t.id, version: 1 })).code).toBe('BUSY')
    await derived.endBulk()
    expect((await a.call('tokens:dis', { id: t.id, version: 1 })).record.state).toBe(1)
    expect((await a.call('tokens:add', { ...ADD, name: 'during_load' })).record.name).toBe('during_load')
    expect((await a.call('tokens:set', { id: t.id, version: 2, brief: 'changed brief' })).record.brief).toBe(
      'changed brief'
    )
    assertDerivedConsistent(a.db)
    expect(await a.call('tokens:counts', {})).toMatchObject({ total: 2, disabled: 1, enabled: 1 })
  })
})

describe('the search index of a bulk load (built by a worker thread while the page indexes are built)', () => {
  const WORDS = ['gateway', 'kiosk', '登录令牌', 'report', 'migration']
  /** The search results, by id, against a LIKE over the table: the index may only narrow the candidates, never lose one. */
  async function searchMatchesTruth(core: TestCore) {
    for (const w of WORDS) {
      const truth = (
        core.db
          .prepare('SELECT id FROM tokens WHERE bin = 0 AND (name LIKE ? OR brief LIKE ?)')
          .all(`%${w}%`, `%${w}%`) as Array<{ id: string }>
      )
        .map((r) => r.id)
        .sort()
      const got: string[] = []
      let cursor: string | undefined
      do {
        const page = await core.call('tokens:list', { search: w, limit: 200, ...(cursor ? { cursor } : {}) })
        got.push(...page.items.map((i) => i.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(got.sort(), w).toEqual(truth)
    }
  }

  it('is built by the worker, copied in whole, and seen by a connection that searched before the load', async () => {
    const file = await exportSeeded(2_500, 5)
    const b = bulkCore()
    await b.call('tokens:add', { ...ADD, name: 'gateway_before', brief: 'kiosk at the gate' })
    // This connection has read the (small) index: FTS5 caches its structure per connection.
    expect((await b.call('tokens:list', { search: 'gateway', limit: 5 })).items).toHaveLength(1)
    const derived = b.services.tokens.derived
    let builtBy: string | undefined
    const endBulk = derived.endBulk.bind(derived)
    derived.endBulk = async () => {
      const r = await endBulk()
      builtBy = r.fts
      return r
    }
    await job(b, b.call('tokens:import', { file }))
    expect(builtBy).toBe('worker')
    assertDerivedConsistent(b.db)
    await searchMatchesTruth(b)
    // Later writes go through the triggers into the copied index.
    const t = (await b.call('tokens:add', { ...ADD, name: 'after_load', brief: 'zebra gateway' })).record
    expect((await b.call('tokens:list', { search: 'zebra', limit: 5 })).items.map((i) => i.id)).toEqual([t.id])
    await b.call('tokens:set', { id: t.id, version: 1, brief: 'plain' })
    expect((await b.call('tokens:list', { search: 'zebra', limit: 5 })).items).toEqual([])
    assertDerivedConsistent(b.db)
  }, 60_000)

  it('stays whole through the merges FTS5 runs when the worker has committed many segments, and hands over one', async () => {
    // The worker builds with automerge off, so only FTS5's crisis merge (a level of 16 segments) combines them: 40
    // catch-ups of 150 rows each, a pause between so each is its own commit, must still give a whole, correct index.
    const a = newCore()
    await a.call('tokens:add', { ...ADD, name: 'template_row' })
    const derived = a.services.tokens.derived
    const bulk = derived.beginBulk()
    // Rows as the loader writes them (other writers get BUSY meanwhile): copies of the first, named after WORDS.
    const copy = a.db.prepare(`INSERT INTO tokens (id, name, brief, avatar, claims, creator, updater, cstamp, istamp)
      SELECT ?, ?, ?, avatar, claims, creator, updater, cstamp, istamp FROM tokens WHERE rid = 1`)
    for (let i = 0; i < 40; i++) {
      a.db.transaction(() => {
        for (let j = 0; j < 150; j++) {
          const n = i * 150 + j
          copy.run(
            `Mg${String(n).padStart(6, '0')}`,
            `${WORDS[n % WORDS.length]}_${n}`,
            `brief ${WORDS[(n * 7) % WORDS.length]} ${n}`
          )
        }
      })()
      bulk.committed()
      await new Promise((r) => setTimeout(r, 15))
    }
    const r = await derived.endBulk()
    expect(r.fts).toBe('worker')
    // The worker hands over one merged segment (its 'optimize'), not the forty it committed.
    expect(a.db.prepare('SELECT count(DISTINCT segid) AS n FROM tokens_fts_idx').get()).toEqual({ n: 1 })
    assertDerivedConsistent(a.db)
    await searchMatchesTruth(a)
  }, 60_000)

  it('is rebuilt on this thread when no worker runs, to the same effect', async () => {
    const a = newCore()
    await job(a, a.call('tokens:seed', { count: 3000, seed: 8 }))
    const inline = createDerived(a.db, { parallelFts: false })
    inline.beginBulk()
    expect((await inline.endBulk()).fts).toBe('inline')
    assertDerivedConsistent(a.db)
    await searchMatchesTruth(a)
  })

  it('uses the options of the live tokens_fts table', () => {
    const a = newCore()
    const sql = (a.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'tokens_fts'").get() as { sql: string }).sql
    expect(sql.replace(/\s+/g, ' ')).toContain(TOKENS_FTS_OPTIONS)
  })

  it('the built worker (out/main/fts-worker.js, what the CLI and the shell load) indexes a store', async () => {
    const built = resolve('out/main/fts-worker.js')
    expect(existsSync(built), 'npm test builds out/ first; by hand: npx electron-vite build').toBe(true)
    const a = newCore()
    await job(a, a.call('tokens:seed', { count: 500, seed: 2 }))
    const w = new Worker(built, { workerData: { dbFile: a.db.name } })
    const m = new Promise<{ rows?: number; data?: PackedRows; error?: string }>((res, rej) => {
      w.once('message', res)
      w.once('error', rej)
    })
    // It indexes what is there when it starts, catches up at 'more' and at 'end', then answers.
    await job(a, a.call('tokens:seed', { count: 300, seed: 3 }))
    w.postMessage('more')
    await job(a, a.call('tokens:seed', { count: 200, seed: 4 }))
    w.postMessage('end')
    const got = await m
    await w.terminate()
    expect(got.error).toBeUndefined()
    expect(got.rows).toBe(1000)
    expect(packedCount(got.data!)).toBeGreaterThan(1)
  })
})

describe('the WAL checkpoint of a bulk load (on a worker thread, after the load returns)', () => {
  /** True when every page of the store is in its database file, i.e. nothing is left only in the WAL. */
  const fileWhole = (db: Database.Database) =>
    statSync(db.name).size ===
    (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)

  it('leaves the store whole in its file once the worker ends, and this connection checkpointing again as before', async () => {
    const file = await exportSeeded(2_500, 12)
    const b = bulkCore()
    const before = b.db.pragma('wal_autocheckpoint', { simple: true })
    const r = await job<TokenImportResult>(b, b.call('tokens:import', { file }))
    expect(r.imported.tokens).toBe(2_500)
    // Readable at once, from the WAL if the checkpoint has not copied it yet.
    expect((await b.call('tokens:counts', {})).total).toBe(
      (b.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    )
    await b.services.tokens.derived.checkpointed()
    expect(fileWhole(b.db)).toBe(true)
    expect(b.db.pragma('wal_autocheckpoint', { simple: true })).toBe(before)
    assertDerivedConsistent(b.db)
  }, 60_000)

  it('the built worker (out/main/checkpoint-worker.js) copies a WAL into its store, and reports a store it cannot open', async () => {
    const built = resolve('out/main/checkpoint-worker.js')
    expect(existsSync(built), 'npm test builds out/ first; by hand: npx electron-vite build').toBe(true)
    const a = newCore()
    a.db.pragma('wal_autocheckpoint = 0')
    await job(a, a.call('tokens:seed', { count: 3000, seed: 6 }))
    expect(fileWhole(a.db)).toBe(false)
    const run = (dbFile: string) =>
      new Promise<{ busy?: number; log?: number; checkpointed?: number; error?: string }>((res, rej) => {
        const w = new Worker(built, { workerData: { dbFile } })
        w.once('message', res)
        w.once('error', rej)
      })
    const got = await run(a.db.name)
    expect(got).toMatchObject({ busy: 0 })
    expect(got.checkpointed).toBe(got.log)
    expect(fileWhole(a.db)).toBe(true)
    expect((await run(join(tempDir(), 'missing.db'))).error).toBeTruthy()
  })
})

describe("import's fast path for lines in export's own form", () => {
  it('reads exactly what JSON.parse and the checks read, for exported lines and for 30,000 mutations of them', async () => {
    const a = newCore()
    await job(a, a.call('tokens:seed', { count: 400, seed: 21 }))
    await a.call('keys:generate', { name: 'k1', alg: 'HS256' })
    const odd = [
      { name: 'quoted_brief', brief: 'says "hi" \\ back' }, // escapes: the general path
      { name: 'tab_brief', brief: 'a\tb' },
      { name: 'emoji_brief', brief: 'surrogate pair 😀' },
      { name: 'keyed_one', brief: 'plain', keyName: 'k1' },
      { name: '令牌_中文名', brief: '登录令牌 line\u2028sep' }
    ]
    for (const t of odd) await a.call('tokens:add', { ...ADD, ...t })
    // Pulled copies (origin object, nulls inside), binned rows, small and zero integers (a negative stamp is refused).
    a.db.exec(
      `UPDATE tokens SET origin_connection_id = 'conn1', remote_id = 'r' || rid, pulled_at = 1700000000000 WHERE rid % 7 = 0`
    )
    a.db.exec(`UPDATE tokens SET origin_connection_id = 'conn2', remote_id = NULL, pulled_at = NULL WHERE rid % 11 = 0`)
    a.db.exec('UPDATE tokens SET deleted_at = 5, istamp = 0 WHERE rid % 13 = 0')
    const file = join(a.dataDir, 'all.jsonl')
    await job(a, a.call('tokens:export', { file }))
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1)
    expect(lines).toHaveLength(405)
    let fast = 0
    for (const line of lines) {
      const got = exportedTokenArgs(line)
      expect(parsedTokenArgs(line), line).toBeDefined()
      if (got === undefined) continue
      fast++
      expect(got, line).toEqual(parsedTokenArgs(line))
    }
    // Every line but the three with an escape or a surrogate pair in them.
    expect(fast).toBe(402)

    // Mutations: whatever the fast path accepts, the general path reads the same way.
    let seed = 7
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    const chars = [
      '"',
      '\\',
      '0',
      '1',
      '9',
      '-',
      ' ',
      '\t',
      ',',
      ':',
      '}',
      '{',
      'a',
      'Z',
      'é',
      '令',
      '\ud83d',
      'n',
      'e',
      '.'
    ]
    let accepted = 0
    for (let i = 0; i < 30_000; i++) {
      const line = lines[rnd(lines.length)]
      const at = rnd(line.length)
      const op = rnd(3)
      const m =
        op === 0
          ? line.slice(0, at) + chars[rnd(chars.length)] + line.slice(at + 1)
          : op === 1
            ? line.slice(0, at) + line.slice(at + 1)
            : line.slice(0, at) + chars[rnd(chars.length)] + line.slice(at)
      const got = exportedTokenArgs(m)
      if (got === undefined) continue
      accepted++
      expect(got, m).toEqual(parsedTokenArgs(m))
    }
    expect(accepted).toBeGreaterThan(5000) // many mutations land in values and stay valid
  })
})

describe('schema migrations 2 (id unique through a named index), 3 (claims packed into one column) and 4 (bin in the sort keys)', () => {
  it('keeps every row, its rid, its claims and the FTS index of a version-1 store', async () => {
    const dataDir = tempDir()
    const v1 = new Database(join(dataDir, 'tokendesk.db'))
    v1.exec(migrations[0].sql)
    v1.pragma('user_version = 1')
    const ins =
      v1.prepare(`INSERT INTO tokens (rid, id, name, brief, typ, aud, sap, jti, ipm, dvm, tag, api, bug, shop, role, rule, creator, updater, cstamp, istamp)
      VALUES (?, ?, ?, ?, 'L', 'a', 's', 'j', '*', '*', '*', '*', '*', 's', '*', '*', 'alice', 'alice', 1, ?)`)
    ins.run(7, 'Aa000007', 'legacy_alpha', 'kiosk front desk', 10)
    ins.run(9, 'Aa000009', 'legacy_beta', 'partner api', 20)
    v1.close()

    const a = newCore({ dataDir })
    expect(a.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version)
    expect(a.db.prepare('SELECT rid, id FROM tokens ORDER BY rid').all()).toEqual([
      { rid: 7, id: 'Aa000007' },
      { rid: 9, id: 'Aa000009' }
    ])
    expect(await a.call('tokens:get', { id: 'Aa000009' })).toMatchObject({
      typ: 'L',
      aud: 'a',
      sap: 's',
      jti: 'j',
      shop: 's',
      rule: '*'
    })
    expect((await a.call('tokens:list', { search: 'front desk', limit: 10 })).items.map((i) => i.id)).toEqual([
      'Aa000007'
    ])
    expect(
      a.db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'tokens' AND name LIKE 'sqlite_autoindex%'").all()
    ).toEqual([])
    expect((await a.callError('tokens:add', { ...ADD, name: 'legacy_beta' })).code).toBe('VALIDATION')
    assertDerivedConsistent(a.db)
  })

  it('moves every column of a version-2 store to its place in version 3, claims in CLAIM_FIELDS order', async () => {
    const dataDir = tempDir()
    const v2 = new Database(join(dataDir, 'tokendesk.db'))
    for (const m of migrations.slice(0, 2)) v2.exec(m.sql)
    v2.pragma('user_version = 2')
    const ins =
      v2.prepare(`INSERT INTO tokens (rid, id, name, brief, avatar, typ, aud, sap, jti, ipm, dvm, tag, api, bug, shop, role, rule,
      state, stato, published, deleted_at, expire, alg, key_ref, creator, updater, cstamp, istamp, version, origin_connection_id, remote_id, pulled_at)
      VALUES (?, ?, ?, 'brief "quoted" 令牌', 'https://a/x.png', 't1', 'a2', 's3', 'j4', '10.0.0.0/8', 'kiosk-01,kiosk-02', 'g7', 'p8', 'b9', 's10',
      'r11', 'u12', 1, 'paused', 1, ?, 1900000000, 'ES256', 'k1', 'carol', 'dave', 1700000000000, 1700000500000, 4, ?, ?, ?)`)
    ins.run(3, 'Bb000003', 'moved_token', 1700000900000, null, null, null)
    ins.run(5, 'Bb000005', 'pulled_copy', null, 'conn1', 'rEm0te05', 1700000600000)
    v2.close()

    const a = newCore({ dataDir })
    expect(a.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version)
    const cols = (a.db.prepare('SELECT name FROM pragma_table_xinfo(?)').all('tokens') as Array<{ name: string }>).map(
      (c) => c.name
    )
    expect(cols).toContain('claims')
    expect(cols).toEqual(expect.arrayContaining(['k_updated', 'k_created', 'k_name', 'k_expire']))
    expect(cols).not.toContain('typ')
    const claims = {
      typ: 't1',
      aud: 'a2',
      sap: 's3',
      jti: 'j4',
      ipm: '10.0.0.0/8',
      dvm: 'kiosk-01,kiosk-02',
      tag: 'g7',
      api: 'p8',
      bug: 'b9',
      shop: 's10',
      role: 'r11',
      rule: 'u12'
    }
    expect(await a.call('tokens:get', { id: 'Bb000003' })).toMatchObject({
      ...claims,
      name: 'moved_token',
      brief: 'brief "quoted" 令牌',
      avatar: 'https://a/x.png',
      state: 1,
      stato: 'paused',
      published: true,
      deleted: true,
      deletedAt: new Date(1700000900000).toISOString(),
      expire: 1900000000,
      alg: 'ES256',
      keyName: 'k1',
      creator: 'carol',
      updater: 'dave',
      version: 4,
      origin: null
    })
    expect(await a.call('tokens:get', { id: 'Bb000005' })).toMatchObject({
      ...claims,
      deleted: false,
      origin: { connectionId: 'conn1', remoteId: 'rEm0te05', pulledAt: new Date(1700000600000).toISOString() }
    })
    expect((await a.call('tokens:list', { search: 'pulled', limit: 10 })).items.map((i) => i.id)).toEqual(['Bb000005'])
    // Each view in each order, on the version-4 page indexes: the binned row only in the bin, the live one only live.
    for (const sort of ['name', 'created', 'updated', 'expiry'] as const) {
      expect((await a.call('tokens:list', { sort, limit: 10 })).items.map((i) => i.id)).toEqual(['Bb000005'])
      expect((await a.call('tokens:list', { sort, bin: true, limit: 10 })).items.map((i) => i.id)).toEqual(['Bb000003'])
    }
    expect(await a.call('tokens:counts', {})).toMatchObject({ live: 1, bin: 1 })
    assertDerivedConsistent(a.db)
  })
})
