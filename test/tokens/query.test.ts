import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import type { TokenRecord } from '../../src/shared/contract'
import { SEED_CLAIMS } from '../helpers/claims'

const ADD = SEED_CLAIMS

let core: TestCore
let clock = Date.parse('2026-01-01T00:00:00Z')
beforeAll(async () => {
  core = makeCore({ now: () => (clock += 1000) })
  await core.call('tokens:seed', { count: 3000, seed: 7 }).then(({ jobId }) => core.deps.jobs.wait(jobId))
})
afterAll(() => core.cleanup())

/** Reads every page of a query through the cursor. */
async function all(input: Record<string, unknown>, limit = 97): Promise<TokenRecord[]> {
  const out: TokenRecord[] = []
  let cursor: string | undefined
  for (;;) {
    const p = await core.call('tokens:list', { ...input, limit, ...(cursor ? { cursor } : {}) } as any)
    out.push(...p.items)
    if (!p.nextCursor) return out
    cursor = p.nextCursor
  }
}

const sqlIds = (where: string, order: string, args: unknown[] = []) =>
  (core.db.prepare(`SELECT id FROM tokens WHERE ${where} ORDER BY ${order}`).all(...args) as Array<{ id: string }>).map(
    (r) => r.id
  )

describe('query: filters, sort and keyset pages match SQL truth', () => {
  it.each([
    [{}, 'bin = 0', 'istamp DESC, rid DESC'],
    [{ sort: 'name' }, 'bin = 0', 'name ASC, rid ASC'],
    [{ sort: 'created', dir: 'asc' }, 'bin = 0', 'cstamp ASC, rid ASC'],
    [{ sort: 'expiry' }, 'bin = 0', 'expire ASC, rid ASC'],
    [{ state: 'disabled' }, 'bin = 0 AND state = 1', 'istamp DESC, rid DESC'],
    [
      { state: 'enabled', published: true, sort: 'name', dir: 'desc' },
      'bin = 0 AND state = 0 AND published = 1',
      'name DESC, rid DESC'
    ],
    [{ bin: true }, 'bin = 1', 'istamp DESC, rid DESC'],
    [{ creator: 'alice' }, "bin = 0 AND creator = 'alice'", 'istamp DESC, rid DESC'],
    [
      { expiringBefore: '2026-06-01' },
      `bin = 0 AND expire > 0 AND expire < ${Date.parse('2026-06-01') / 1000}`,
      'istamp DESC, rid DESC'
    ],
    [
      { expiringAfter: '2026-03-01T12:00:00Z', sort: 'expiry' },
      `bin = 0 AND expire > ${Date.parse('2026-03-01T12:00:00Z') / 1000}`,
      'expire ASC, rid ASC'
    ],
    [
      { expiringAfter: '2026-03-01', expiringBefore: '2026-06-01', state: 'enabled' },
      `bin = 0 AND state = 0 AND expire > ${Date.parse('2026-03-01') / 1000} AND expire < ${Date.parse('2026-06-01') / 1000}`,
      'istamp DESC, rid DESC'
    ]
  ])('%j: every row once, in order, no OFFSET', async (input, where, order) => {
    const got = (await all(input)).map((r) => r.id)
    const want = sqlIds(where, order)
    expect(want.length).toBeGreaterThan(0)
    expect(got).toEqual(want)
  })

  it('tokens:count equals the rows list walks, for each filter, and stops at the cap', async () => {
    const cases: Array<Record<string, unknown>> = [
      {},
      { state: 'disabled' },
      { state: 'enabled', published: true },
      { bin: true },
      { creator: 'alice' },
      { expiringBefore: '2026-06-01' },
      { expiringAfter: '2026-03-01T12:00:00Z' },
      { expiringAfter: '2026-03-01', expiringBefore: '2026-06-01', state: 'enabled' },
      { bin: true, expiringAfter: '2026-03-01', expiringBefore: '2027-06-01' },
      { search: 'token' },
      { search: 'gateway', published: false },
      { search: 'no_such_text_here' }
    ]
    for (const input of cases) {
      const n = (await all(input, 500)).length
      expect(await core.call('tokens:count', input as any), JSON.stringify(input)).toEqual({ count: n, capped: false })
      if (n > 1)
        expect(await core.call('tokens:count', { ...input, cap: n - 1 } as any), JSON.stringify(input)).toEqual({
          count: n - 1,
          capped: true
        })
      expect(await core.call('tokens:count', { ...input, cap: Math.max(1, n) } as any)).toEqual({
        count: n,
        capped: false
      })
    }
    expect((await core.callError('tokens:count', { cap: 0 })).code).toBe('VALIDATION')
    expect((await core.callError('tokens:count', { sort: 'name' })).code).toBe('VALIDATION')
  })

  it('tokens:count of an expiry window reads the window of the expiry index; of a search, the trigram matches', () => {
    const planOf = (input: Record<string, unknown>, args: Record<string, unknown>) => {
      const st = core.services.tokens.query.countStatement({ bin: false, cap: 777, ...input } as never)!
      return (core.db.prepare(`EXPLAIN QUERY PLAN ${st.sql}`).all({ ...st.args, ...args }) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('\n')
    }
    const window = planOf({ expiringAfter: '2026-02-01', expiringBefore: '2026-02-08', published: true }, {})
    expect(window).toMatch(/USING (COVERING )?INDEX tokens_by_expire \(k_expire>\? AND k_expire<\?\)/)
    // However many rows a word matches, the count reads the trigram index's matches (a page of a common word walks the
    // sort index instead).
    const search = planOf({ search: 'token' }, {})
    expect(search).toMatch(/SCAN tokens_fts VIRTUAL TABLE/)
    expect(search).toMatch(/SEARCH tokens USING INTEGER PRIMARY KEY/)
  })

  it('tokens:count runs off the thread that serves calls: a list asked after it answers first', async () => {
    expect(core.services.tokens.query.offThread).toBe(true)
    const order: string[] = []
    const count = core.call('tokens:count', { search: 'a', creator: 'bob' }).then(() => order.push('count'))
    const list = core.call('tokens:list', { limit: 5 }).then(() => order.push('list'))
    await Promise.all([count, list])
    expect(order).toEqual(['list', 'count'])
  })

  it('keyset pages stay correct when rows change between pages (no skips, no repeats of untouched rows)', async () => {
    const first = await core.call('tokens:list', { sort: 'name', limit: 50 })
    // A row before the cursor is deleted: OFFSET paging would skip one; keyset does not.
    const gone = first.items[0]
    await core.call('tokens:del', { id: gone.id, version: gone.version })
    const second = await core.call('tokens:list', { sort: 'name', limit: 50, cursor: first.nextCursor! })
    const want = sqlIds('bin = 0', 'name ASC, rid ASC').slice(49, 99)
    expect(second.items.map((r) => r.id)).toEqual(want)
  })

  it('refuses a cursor from another sort', async () => {
    const p = await core.call('tokens:list', { sort: 'name', limit: 5 })
    const e = await core.callError('tokens:list', { sort: 'created', cursor: p.nextCursor })
    expect(e).toMatchObject({ code: 'VALIDATION', details: { path: 'cursor' } })
    expect((await core.callError('tokens:list', { cursor: 'garbage' })).code).toBe('VALIDATION')
  })

  it('a search that is exactly a token id finds that token, in the list and the count', async () => {
    const t = (await core.call('tokens:list', { sort: 'name', limit: 1 })).items[0]
    expect(`${t.name} ${t.brief}`).not.toContain(t.id)
    const got = await all({ search: t.id })
    expect(got.map((r) => r.id)).toContain(t.id)
    expect((await core.call('tokens:count', { search: t.id })).count).toBe(got.length)
    // Not an id of any token: only the text match, as before.
    expect((await core.call('tokens:list', { search: 'Zz9Zz9Zz' })).items).toEqual([])
  })

  it('search finds substrings of name and brief (FTS5 trigram for selective text, LIKE for short or common text)', async () => {
    const a = (await core.call('tokens:add', { ...ADD, name: 'Zebra_Gateway_77', brief: '慢护通社区登录' })).record
    for (const q of ['ebra_gat', 'ZEBRA', 'y_7', '护通社', '通社', 'ateway_77']) {
      const got = (await all({ search: q })).map((r) => r.id)
      expect(got, q).toContain(a.id)
      const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      expect(got.sort(), q).toEqual(
        sqlIds("bin = 0 AND (lower(name) LIKE ? ESCAPE '\\' OR lower(brief) LIKE ? ESCAPE '\\')", 'id', [
          like,
          like
        ]).sort()
      )
    }
    // Common text (matches most rows) takes the index-walk path and still answers only true matches.
    const common = await core.call('tokens:list', { search: 'token', limit: 20 })
    expect(common.items.length).toBe(20)
    for (const r of common.items) expect(`${r.name} ${r.brief}`.toLowerCase()).toContain('token')
    // Trigrams scattered across the text are not a substring: no false hits.
    expect((await core.call('tokens:list', { search: 'ebra_xx' })).items).toEqual([])
    // LIKE wildcards in the text are literal.
    expect((await core.call('tokens:list', { search: '%' })).items).toEqual([])
  })

  it('search answers the SQL truth on each path: a few matches, a middling word (full probe), a common word (index walk)', async () => {
    const big = makeCore()
    try {
      await big.call('tokens:seed', { count: 12_000, seed: 5 }).then(({ jobId }) => big.deps.jobs.wait(jobId))
      const rare = (await big.call('tokens:add', { ...ADD, name: 'Quagga_Rare_1', brief: 'one of a kind' })).record
      const query = big.services.tokens.query
      const count = (q: string) =>
        (
          big.db
            .prepare('SELECT count(*) AS n FROM tokens WHERE bin = 0 AND (name LIKE ? OR brief LIKE ?)')
            .get(`%${q}%`, `%${q}%`) as { n: number }
        ).n
      const paths = { quagga_rare: 'peek', gateway: 'probe', token: 'walk' } as const
      for (const [q, path] of Object.entries(paths)) {
        const hits = query.searchCandidates(q)
        if (path === 'peek') expect(hits?.length, q).toBeLessThanOrEqual(256)
        if (path === 'probe') expect(hits?.length, q).toBeGreaterThan(256)
        if (path === 'walk') expect(hits, q).toBeNull()
        expect(count(q), q).toBeGreaterThan(0)
        for (const sort of ['updated', 'name'] as const) {
          const got: string[] = []
          let cursor: string | undefined
          do {
            const p = await big.call('tokens:list', { search: q, sort, limit: 200, ...(cursor ? { cursor } : {}) })
            got.push(...p.items.map((r) => r.id))
            cursor = p.nextCursor ?? undefined
          } while (cursor)
          const order = sort === 'name' ? 'name ASC, rid ASC' : 'istamp DESC, rid DESC'
          const want = (
            big.db
              .prepare(`SELECT id FROM tokens WHERE bin = 0 AND (name LIKE ? OR brief LIKE ?) ORDER BY ${order}`)
              .all(`%${q}%`, `%${q}%`) as Array<{ id: string }>
          ).map((r) => r.id)
          expect(got, `${q} by ${sort}`).toEqual(want)
        }
      }
      expect(query.searchCandidates('quagga_rare')).toHaveLength(1)
      expect((await big.call('tokens:list', { search: 'Quagga_Rare' })).items.map((r) => r.id)).toEqual([rare.id])
    } finally {
      big.cleanup()
    }
  }, 60_000)

  it('counts per state come from the trigger-kept table and equal a full scan, through every verb', async () => {
    const scan = () => {
      const q = (w: string) => (core.db.prepare(`SELECT count(*) AS n FROM tokens WHERE ${w}`).get() as { n: number }).n
      return {
        live: q('bin = 0'),
        enabled: q('bin = 0 AND state = 0'),
        disabled: q('bin = 0 AND state = 1'),
        online: q('bin = 0 AND published = 1'),
        offline: q('bin = 0 AND published = 0'),
        bin: q('bin = 1'),
        total: q('1')
      }
    }
    expect(await core.call('tokens:counts', {})).toEqual(scan())
    let r = (await core.call('tokens:add', ADD)).record
    for (const v of ['tokens:pub', 'tokens:dis', 'tokens:dol', 'tokens:rcc', 'tokens:off'] as const) {
      r = (await core.call(v, { id: r.id, version: r.version })).record
      expect(await core.call('tokens:counts', {}), v).toEqual(scan())
    }
    await core.call('tokens:del', { id: r.id, version: r.version })
    expect(await core.call('tokens:counts', {})).toEqual(scan())
  })

  it('the FTS index follows renames and deletes', async () => {
    const r = (await core.call('tokens:add', { ...ADD, name: 'Quokka_Alpha' })).record
    const s = await core.call('tokens:set', { id: r.id, version: 1, name: 'Wombat_Beta' })
    expect((await core.call('tokens:list', { search: 'quokka' })).items).toEqual([])
    expect((await core.call('tokens:list', { search: 'wombat' })).items.map((x) => x.id)).toEqual([r.id])
    await core.call('tokens:del', { id: r.id, version: s.record.version })
    expect((await core.call('tokens:list', { search: 'wombat' })).items).toEqual([])
    expect(core.db.prepare("INSERT INTO tokens_fts(tokens_fts, rank) VALUES ('integrity-check', 1)").run()).toBeTruthy()
  })
})

describe('tokens:expiry (the dashboard timeline)', () => {
  it('counts live tokens expiring per day, exact at the edges of each day and of the window', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z')
    const c = makeCore({ now: () => now })
    try {
      await c.call('tokens:seed', { count: 4000, seed: 5 }).then(({ jobId }) => c.deps.jobs.wait(jobId))
      const s = now / 1000
      const day = 86400
      // Edges on rows of their own: an expiry at `now` is past; the window ends before now + days.
      const edges: Array<[number, boolean]> = [
        [s, false],
        [s + 1, false],
        [s + day - 1, false],
        [s + day, false],
        [s + 90 * day - 1, false],
        [s + 90 * day, false],
        [s + 3 * day, true] // in the bin: not counted
      ]
      for (const [i, [expire, binned]] of edges.entries()) {
        const r = (await c.call('tokens:add', { ...ADD, name: `edge_${i}` })).record
        c.db.prepare('UPDATE tokens SET expire = ?, deleted_at = ? WHERE id = ?').run(expire, binned ? now : null, r.id)
      }
      const truth = (days: number) => {
        const perDay = new Array<number>(days).fill(0)
        for (const r of c.db.prepare('SELECT expire, bin FROM tokens').all() as Array<{ expire: number; bin: number }>)
          if (!r.bin && r.expire > s && r.expire < s + days * day) perDay[Math.floor((r.expire - s) / day)]++
        return perDay
      }
      const got = await c.call('tokens:expiry', { days: 90 })
      expect(got).toEqual({ from: s, perDay: truth(90) })
      expect(got.perDay.reduce((a, b) => a + b, 0)).toBeGreaterThan(500) // the seed spreads expiries over a year
      expect((await c.call('tokens:expiry', { days: 7 })).perDay).toEqual(truth(7))
      // The dashboard opens the list on the window it counted: [from, from + 7 days), exclusive at both ends as counted.
      let listed = 0
      for (let cursor: string | undefined; ;) {
        const page = await c.call('tokens:list', {
          expiringAfter: got.from,
          expiringBefore: got.from + 7 * day,
          limit: 500,
          ...(cursor ? { cursor } : {})
        })
        listed += page.items.length
        if (!page.nextCursor) break
        cursor = page.nextCursor
      }
      expect(listed).toBe(truth(7).reduce((a, b) => a + b, 0))
      expect((await c.call('tokens:expiry', {})).perDay).toHaveLength(90)
      for (const days of [0, 367, 1.5]) expect((await c.callError('tokens:expiry', { days })).code).toBe('VALIDATION')
    } finally {
      c.cleanup()
    }
  })
})
