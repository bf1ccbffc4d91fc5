import type { z } from 'zod'
import type {
  TokenCountInput,
  TokenCounts,
  TokenExpiry,
  TokenListInput,
  TokenMatchCount,
  TokenPage,
  TokenSeek,
  TokenSeekInput
} from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import { toRecord, tokenRow, tokenSelect } from './row'
import { decodeCursor, encodeCursor } from './util'
import { createReader } from './reader'
import { createPlanner } from './plan'

type ListInput = z.output<typeof TokenListInput>
type SeekInput = z.output<typeof TokenSeekInput>
type CountInput = z.output<typeof TokenCountInput>

interface Cursor {
  s: string
  d: string
  v: string | number | null
  r: number
}

export function createQuery(deps: CoreDeps) {
  const { db } = deps
  const reader = createReader(db, { nativeBinding: deps.nativeBinding })
  const counts = db.prepare<[], { state: number; published: number; bin: number; n: number }>(
    'SELECT state, published, bin, n FROM token_counts'
  )
  const { plan, searchCandidates } = createPlanner(db)
  // A range of tokens_by_expire (k_expire, …): index entries only, no table rows. Live tokens only: a binned token's key is its expiry + 2^62, far beyond @end. The cast: better-sqlite3 binds JS numbers
  // as REAL, which would make the day a fraction.
  const expiringPerDay = db.prepare<{ now: number; end: number }, { d: number; n: number }>(
    'SELECT CAST((k_expire - @now) / 86400 AS INTEGER) AS d, count(*) AS n FROM tokens WHERE k_expire > @now AND k_expire < @end GROUP BY d'
  )

  const statements = new Map<string, ReturnType<typeof db.prepare>>()
  const prepared = (sql: string) => {
    let s = statements.get(sql)
    if (!s) {
      s = db.prepare(sql)
      statements.set(sql, s)
    }
    return s
  }

  function list(q: ListInput): TokenPage {
    const p = plan(q)
    if (!p) return { items: [], nextCursor: null }
    const { col, key, dir, where, from, args } = p
    args.limit = q.limit + 1
    if (q.cursor) {
      // The sort value is bound into SQL: only what a row's sort column can hold (an object or a boolean cannot be bound).
      const c = decodeCursor<Cursor>(
        q.cursor,
        (v) =>
          v.s === q.sort &&
          v.d === dir &&
          typeof v.r === 'number' &&
          (v.v === null || typeof v.v === 'string' || typeof v.v === 'number')
      )
      const op = dir === 'desc' ? '<' : '>'
      // (key, rid) past the cursor, written so the index range on the key is used and rid breaks ties. The cursor holds
      // the sort value itself (as the row shows it), made into the view's key here.
      const cv = key.value('@cv')
      // The cursor bounds the key on the side the view's range does when both are upper bounds (live, descending) or
      // both lower (bin, ascending): the range then goes, as the cursor's key lies inside it. Left in, SQLite may take
      // the range as the index bound and test the cursor on every entry before it.
      if ((dir === 'desc') !== q.bin) where.shift()
      where.push(`${key.key} ${op}= ${cv} AND (${key.key} ${op} ${cv} OR rid ${op} @cr)`)
      args.cv = c.v
      args.cr = c.r
    }
    const sql = `SELECT ${tokenSelect(from === 'tokens' ? undefined : 't')} FROM ${from} WHERE ${where.join(' AND ')} ${p.order} LIMIT @limit`
    const rows = (prepared(sql).raw(true).all(args) as unknown[][]).map(tokenRow)
    const more = rows.length > q.limit
    const page = more ? rows.slice(0, q.limit) : rows
    const last = page[page.length - 1]
    return {
      items: page.map(toRecord),
      nextCursor: more && last ? encodeCursor({ s: q.sort, d: dir, v: last[col], r: last.rid }) : null
    }
  }

  /**
   * The keyset cursor that makes `list` start at row `position` of the same query: the sort key of row position-1
   * (a cursor means "after this row"). Only this one key is found by OFFSET, over the covering sort index (the
   * selected columns are all in it: SQLite indexes carry the rowid), so no table rows are read; the page itself is
   * then the ordinary keyset read. `end`: the query has no row at `position`.
   */
  function seek(q: SeekInput): TokenSeek {
    if (q.position === 0) return { cursor: null, end: false }
    const p = plan(q)
    if (!p) return { cursor: null, end: true }
    const { key, dir, where, from, args } = p
    const prefix = from === 'tokens' ? '' : 't.'
    // Row position-1 must exist (it is the cursor) and row position must follow it: read both keys in one probe. The
    // sort value comes back out of the key (plain), so the probe reads the index alone.
    args.offset = q.position - 1
    const sql = `SELECT ${key.plain(prefix + key.key)} AS v, ${prefix}rid AS r FROM ${from} WHERE ${where.join(' AND ')} ${p.order} LIMIT 2 OFFSET @offset`
    const keys = prepared(sql).all(args) as Array<{ v: string | number; r: number }>
    if (keys.length < 2) return { cursor: null, end: true }
    return { cursor: encodeCursor({ s: q.sort, d: dir, v: keys[0].v, r: keys[0].r }), end: false }
  }

  /**
   * The statement counting the rows `list` would walk under the same filters, up to `cap` (the inner LIMIT stops the
   * read there); null when the search provably matches nothing. With an expiry bound it walks the expiry index, the
   * bounds restated on its key so the window is the index range (the dashboard's "expiring in N days" opens such a
   * list); a search of three characters or more reads the trigram index's matches (plan).
   */
  function countStatement(q: CountInput): { sql: string; args: Record<string, unknown> } | null {
    const byExpiry = q.expiringAfter !== undefined || q.expiringBefore !== undefined
    const p = plan({ ...q, sort: byExpiry ? 'expiry' : 'updated' }, { count: true })
    if (!p) return null
    const { key, where, from, args } = p
    if (args.after !== undefined) where.push(`${key.key} > ${key.value('@after')}`)
    if (args.before !== undefined) where.push(`${key.key} < ${key.value('@before')}`)
    args.cap = q.cap + 1
    return { sql: `SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${where.join(' AND ')} LIMIT @cap)`, args }
  }

  /** How many rows `list` would walk, up to `cap`: counted on the reader's worker, off this thread. */
  async function count(q: CountInput): Promise<TokenMatchCount> {
    const st = countStatement(q)
    if (!st) return { count: 0, capped: false }
    const n = await reader.get(st.sql, st.args)
    return n > q.cap ? { count: q.cap, capped: true } : { count: n, capped: false }
  }

  return {
    list,
    seek,
    count,
    countStatement,
    /** Whether counts run on a worker thread (for tests). */
    get offThread() {
      return reader.offThread
    },
    /** Stops the count worker (the store is closing). */
    close: () => reader.close(),
    /** Which path a search text takes (candidate rowids, or null for the index walk); for tests and the bench. */
    searchCandidates,
    /** Live tokens expiring per day for the next `days` days, counted in SQL over the expiry index (not by paging). */
    expiry(days: number): TokenExpiry {
      const now = Math.floor(deps.now() / 1000)
      const perDay = new Array<number>(days).fill(0)
      for (const { d, n } of expiringPerDay.all({ now, end: now + days * 86400 })) perDay[d] = n
      return { from: now, perDay }
    },
    counts(): TokenCounts {
      const c: TokenCounts = { live: 0, enabled: 0, disabled: 0, online: 0, offline: 0, bin: 0, total: 0 }
      for (const r of counts.all()) {
        c.total += r.n
        if (r.bin) {
          c.bin += r.n
          continue
        }
        c.live += r.n
        if (r.state === 0) c.enabled += r.n
        else c.disabled += r.n
        if (r.published) c.online += r.n
        else c.offline += r.n
      }
      return c
    }
  }
}
