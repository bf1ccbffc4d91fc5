import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import type { TokenRecord } from '../../src/shared/contract'

/**
 * 'tokens:seek' (a far jump in a 1,000,000-row list): seek(position) gives a keyset cursor, and
 * 'tokens:list' with it must answer exactly the rows a full ordered walk has at [position, position + limit).
 */

let core: TestCore
let clock = Date.parse('2026-01-01T00:00:00Z')
/** Every SQL text the store prepares (to read the seek probe's query plan). */
const prepared: string[] = []
beforeAll(async () => {
  core = makeCore({ now: () => (clock += 1000) })
  await core.call('tokens:seed', { count: 3000, seed: 11 }).then(({ jobId }) => core.deps.jobs.wait(jobId))
  const prepare = core.db.prepare.bind(core.db)
  core.db.prepare = ((sql: string) => {
    prepared.push(sql)
    return prepare(sql)
  }) as typeof core.db.prepare
})
afterAll(() => core.cleanup())

/** The full ordered scan: every page of the query through keyset cursors (test/tokens/query.test.ts checks it against SQL). */
async function walk(input: Record<string, unknown>): Promise<string[]> {
  const out: TokenRecord[] = []
  let cursor: string | undefined
  for (;;) {
    const p = await core.call('tokens:list', { ...input, limit: 500, ...(cursor ? { cursor } : {}) } as never)
    out.push(...p.items)
    if (!p.nextCursor) return out.map((r) => r.id)
    cursor = p.nextCursor
  }
}

describe('tokens:seek: a keyset cursor for an absolute position', () => {
  // First in the file: the store caches prepared statements, so each probe is seen being prepared only once.
  it.each([
    [{ position: 1500 }, 'tokens_by_updated'],
    [{ sort: 'name', position: 1500 }, 'tokens_by_name'],
    [{ state: 'disabled', position: 700 }, 'tokens_by_updated'],
    [{ sort: 'expiry', dir: 'desc', position: 900 }, 'tokens_by_expire']
  ])(
    '%j: the seek key comes from the covering sort index alone (no table rows read, no sort step)',
    async (input, index) => {
      prepared.length = 0
      await core.call('tokens:seek', input as never)
      const probe = prepared.find((sql) => /OFFSET/.test(sql))
      expect(probe, 'the seek prepared its probe').toBeDefined()
      const args: Record<string, unknown> = {
        bin: 0,
        offset: input.position - 1,
        ...('state' in input ? { state: 1 } : {})
      }
      const plan = (core.db.prepare(`EXPLAIN QUERY PLAN ${probe}`).all(args) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('\n')
      // The planner calls the index non-covering because `bin` is a VIRTUAL generated column, but the program reads only
      // the index: the table cursor is opened for a deferred seek that no column read ever resolves.
      expect(plan).toContain(`USING INDEX ${index}`)
      expect(plan).not.toMatch(/TEMP B-TREE/)
      const ops = core.db.prepare(`EXPLAIN ${probe}`).all(args) as Array<{ opcode: string; p1: number; p2: number }>
      const root = (
        core.db.prepare("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'tokens'").get() as {
          rootpage: number
        }
      ).rootpage
      const table = ops.find((o) => o.opcode === 'OpenRead' && o.p2 === root)?.p1
      const reads = ops.filter(
        (o) => ['Column', 'Rowid', 'SeekRowid', 'NotExists'].includes(o.opcode) && o.p1 === table
      )
      expect(reads, 'table rows read by the seek probe').toEqual([])
      expect(ops.filter((o) => o.opcode === 'Column').length, 'the probe reads its key from the index').toBeGreaterThan(
        0
      )
      expect(ops.some((o) => /Sorter/.test(o.opcode))).toBe(false)
    }
  )

  // A selective search (FTS candidates drive the query) needs a name that is in the store.
  const selective = () =>
    (
      core.db.prepare('SELECT name FROM tokens WHERE bin = 0 ORDER BY rid LIMIT 1 OFFSET 17').get() as { name: string }
    ).name.slice(0, 6)

  it.each([
    [{}],
    [{ sort: 'name' }],
    [{ sort: 'name', dir: 'desc' }],
    [{ sort: 'created', dir: 'asc' }],
    // 30% of the demo tokens never expire (expire = 0): long runs of equal sort keys, broken by rid.
    [{ sort: 'expiry' }],
    [{ sort: 'expiry', dir: 'desc' }],
    [{ state: 'disabled' }],
    [{ state: 'enabled', published: true, sort: 'name' }],
    [{ bin: true }],
    [{ creator: 'alice', sort: 'created' }],
    [{ expiringBefore: '2026-06-01', sort: 'expiry' }],
    [{ origin: 'local', sort: 'updated', dir: 'asc' }],
    [{ search: 'token' }],
    [{ search: 'SELECTIVE', sort: 'name' }]
  ])(
    '%j: seek(position) + list(cursor) = the ordered scan at [position, position + limit)',
    async (input: Record<string, unknown>) => {
      const q = input.search === 'SELECTIVE' ? { ...input, search: selective() } : input
      const truth = await walk(q)
      expect(truth.length, 'the combination must have rows to test').toBeGreaterThan(3)
      const n = truth.length
      const positions = [
        ...new Set(
          [0, 1, 2, 37, Math.floor(n / 3), Math.floor(n / 2), n - 7, n - 2, n - 1].filter((p) => p >= 0 && p < n)
        )
      ]
      for (const position of positions)
        for (const limit of [1, 13, 100]) {
          const s = await core.call('tokens:seek', { ...q, position } as never)
          expect(s.end, `position ${position}`).toBe(false)
          expect(s.cursor === null, `position ${position}`).toBe(position === 0)
          const page = await core.call('tokens:list', {
            ...q,
            limit,
            ...(s.cursor ? { cursor: s.cursor } : {})
          } as never)
          const want = truth.slice(position, position + limit)
          expect(
            page.items.map((r) => r.id),
            `position ${position}, limit ${limit}`
          ).toEqual(want)
          // The page's own cursor continues the walk from there.
          expect(page.nextCursor === null, `position ${position}, limit ${limit}`).toBe(position + limit >= n)
        }
      // Past the last row: nothing to jump to.
      for (const position of [n, n + 1, n + 5000]) {
        const s = await core.call('tokens:seek', { ...q, position } as never)
        expect(s, `position ${position}`).toEqual({ cursor: null, end: true })
      }
    }
  )

  it('a search that matches nothing is at its end at once', async () => {
    expect(await core.call('tokens:seek', { search: 'zzqqxxjj', position: 5 })).toEqual({ cursor: null, end: true })
    expect(await core.call('tokens:seek', { search: 'zzqqxxjj', position: 0 })).toEqual({ cursor: null, end: false })
  })

  it('the cursor is tied to its sort: another sort refuses it, as any keyset cursor', async () => {
    const s = await core.call('tokens:seek', { sort: 'name', position: 200 })
    const e = await core.callError('tokens:list', { sort: 'created', cursor: s.cursor })
    expect(e).toMatchObject({ code: 'VALIDATION', details: { path: 'cursor' } })
  })

  it('bad positions are VALIDATION naming the field, and nothing runs', async () => {
    for (const position of [-1, 1.5, '10'])
      expect(await core.callError('tokens:seek', { position })).toMatchObject({
        code: 'VALIDATION',
        details: { path: 'position' }
      })
  })

  it.each([
    [false, 'desc'],
    [false, 'asc'],
    [true, 'desc'],
    [true, 'asc']
  ] as const)(
    'bin %s, %s: a page after a cursor starts the index walk at the cursor, not at the edge of the view',
    async (bin, dir) => {
      // Live and bin are ranges of one sort key (schema v4). When the view's edge and the cursor bound the key on the same
      // side, SQLite seeks to whichever it takes first; at the view's edge it would test every entry up to the cursor.
      // A store of its own, so every list statement is prepared (and seen) here.
      const c = makeCore({ now: () => (clock += 1000) })
      try {
        await c.call('tokens:seed', { count: 1500, seed: 12 }).then(({ jobId }) => c.deps.jobs.wait(jobId))
        const seen: string[] = []
        const prepare = c.db.prepare.bind(c.db)
        c.db.prepare = ((sql: string) => {
          seen.push(sql)
          return prepare(sql)
        }) as typeof c.db.prepare
        for (const sort of ['updated', 'created', 'expiry'] as const) {
          const { cursor } = await c.call('tokens:seek', { bin, sort, dir, position: bin ? 30 : 600 } as never)
          expect(cursor).not.toBeNull()
          seen.length = 0
          expect((await c.call('tokens:list', { bin, sort, dir, limit: 20, cursor } as never)).items).toHaveLength(20)
          const sql = seen.find((q) => q.includes('@cr'))!
          const ops = c.db.prepare(`EXPLAIN ${sql}`).all({ cv: 1, cr: 1, limit: 21 }) as Array<{
            opcode: string
            p4: unknown
          }>
          const edge = ops.filter((o) => o.opcode === 'Int64' && Number(o.p4) === 2 ** 61)
          // The edge stays as the far end of the walk where the cursor bounds the other side (live ascending, bin descending).
          expect(edge.length, sql).toBe((dir === 'desc') !== bin ? 0 : 1)
        }
      } finally {
        c.cleanup()
      }
    }
  )
})
