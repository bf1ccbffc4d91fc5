import type { z } from 'zod'
import type { TokenCountInput, TokenCounts, TokenExpiry, TokenListInput, TokenMatchCount, TokenPage, TokenSeek, TokenSeekInput } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import { toRecord, tokenRow, tokenSelect } from './row'
import { decodeCursor, encodeCursor, escapeLike, toUnixSeconds } from './util'
import { createReader } from './reader'
import { BIN_KEY_OFFSET, BIN_KEY_SPLIT } from './schema'

type ListInput = z.output<typeof TokenListInput>
type SeekInput = z.output<typeof TokenSeekInput>
type CountInput = z.output<typeof TokenCountInput>
/** What decides the rows and their order (no paging fields). */
type FilterInput = Omit<ListInput, 'limit' | 'cursor'>

const SORT_COLUMN = { name: 'name', created: 'cstamp', updated: 'istamp', expiry: 'expire' } as const
/** The page index key of each sort: the sort column with the recycle bin folded in (schema tokensV4). */
const SORT_KEY = { name: 'k_name', created: 'k_created', updated: 'k_updated', expiry: 'k_expire' } as const

/**
 * A view's range of a sort key, a sort value made into that view's key, and the key made back into the value, as SQL. Integer values are CAST: better-
 * sqlite3 binds JS numbers as REAL, and a REAL near 2^62 would round the key it is compared with.
 */
function keyOf(sort: keyof typeof SORT_KEY, bin: boolean) {
  const key = SORT_KEY[sort]
  if (sort === 'name')
    return { key, range: bin ? `${key} >= '1'` : `${key} < '1'`, value: (p: string) => `'${bin ? 1 : 0}' || ${p}`, plain: (k: string) => `substr(${k}, 2)` }
  const offset = bin ? ` + ${BIN_KEY_OFFSET}` : ''
  return {
    key,
    range: bin ? `${key} >= ${BIN_KEY_SPLIT}` : `${key} < ${BIN_KEY_SPLIT}`,
    value: (p: string) => `CAST(${p} AS INTEGER)${offset}`,
    plain: (k: string) => (bin ? `${k} - ${BIN_KEY_OFFSET}` : k)
  }
}
const DEFAULT_DIR = { name: 'asc', created: 'desc', updated: 'desc', expiry: 'asc' } as const

/**
 * Above this many FTS matches, sorting all matches costs more than walking the sort index and testing each row, so
 * the query switches strategy (a common word matches most rows; a rare one a handful).
 */
const FTS_SELECTIVE_LIMIT = 2000
/**
 * The first probe reads at most this many matches. Fewer: they are the candidates. More: the rowid of the last one
 * read tells roughly how common the text is (FTS5 returns matches in rowid order, and rowids spread over the table),
 * so a common word goes straight to the index walk without reading 2,000 matches it will not use (that read was half
 * of a common-word search at a million rows).
 */
const FTS_PEEK = 256

interface Cursor {
  s: string
  d: string
  v: string | number | null
  r: number
}

/** FTS5 trigram query with detail=none: every trigram of the text must occur (candidates are then confirmed by LIKE). */
export function trigramQuery(text: string): string | null {
  const chars = [...text.toLowerCase()]
  if (chars.length < 3) return null
  const grams = new Set<string>()
  // FTS5 reads its query as C text, so a NUL would end it inside a quoted gram: such grams are left out (LIKE confirms).
  for (let i = 0; i + 3 <= chars.length; i++) if (!chars.slice(i, i + 3).includes('\u0000')) grams.add(chars.slice(i, i + 3).join(''))
  if (!grams.size) return null
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' ')
}

export function createQuery(deps: CoreDeps) {
  const { db } = deps
  const reader = createReader(db, { nativeBinding: deps.nativeBinding })
  const counts = db.prepare<[], { state: number; published: number; bin: number; n: number }>('SELECT state, published, bin, n FROM token_counts')
  const ftsProbe = db.prepare<[string, number], number>('SELECT rowid FROM tokens_fts WHERE tokens_fts MATCH ? LIMIT ?').pluck()
  const maxRid = db.prepare<[], number | null>('SELECT max(rid) FROM tokens').pluck()
  const ridById = db.prepare<[string], number>('SELECT rid FROM tokens WHERE id = ?').pluck()
  // A range of tokens_by_expire (k_expire, …): index entries only, ~30,000 of them for 90 days at a million rows. Live
  // tokens only: a binned token's key is its expiry + 2^62, far beyond @end. The cast: better-sqlite3 binds JS numbers
  // as REAL, which would make the day a fraction.
  const expiringPerDay = db.prepare<{ now: number; end: number }, { d: number; n: number }>(
    'SELECT CAST((k_expire - @now) / 86400 AS INTEGER) AS d, count(*) AS n FROM tokens WHERE k_expire > @now AND k_expire < @end GROUP BY d'
  )

  /** Candidate rowids for a trigram query when it is selective enough to drive the query; null: walk the index. */
  function candidates(fts: string): number[] | null {
    const peek = ftsProbe.all(fts, FTS_PEEK + 1)
    if (peek.length <= FTS_PEEK) return peek
    const estimate = (FTS_PEEK * (maxRid.get() ?? 0)) / Math.max(1, peek[FTS_PEEK])
    if (estimate > 2 * FTS_SELECTIVE_LIMIT) return null
    const hits = ftsProbe.all(fts, FTS_SELECTIVE_LIMIT + 1)
    return hits.length <= FTS_SELECTIVE_LIMIT ? hits : null
  }
  const statements = new Map<string, ReturnType<typeof db.prepare>>()
  const prepared = (sql: string) => {
    let s = statements.get(sql)
    if (!s) {
      s = db.prepare(sql)
      statements.set(sql, s)
    }
    return s
  }

  /**
   * The WHERE clause, source and sort of a list query (shared by `list` and `seek`, so a seek key is found under exactly
   * the rows and order the list pages walk). null: the search provably matches nothing.
   */
  function plan(q: FilterInput, opts: { count?: boolean } = {}) {
    const col = SORT_COLUMN[q.sort]
    const key = keyOf(q.sort, q.bin)
    const dir = q.dir ?? DEFAULT_DIR[q.sort]
    // The view (live or bin) is a range of the sort key, so the page index walks only the view's own entries. First in
    // the list: list() drops it when a cursor bounds the key on the same side.
    const where: string[] = [key.range]
    let from = 'tokens'
    const args: Record<string, unknown> = {}
    if (q.state) {
      where.push('state = @state')
      args.state = q.state === 'enabled' ? 0 : 1
    }
    if (q.published !== undefined) {
      where.push('published = @published')
      args.published = q.published ? 1 : 0
    }
    if (q.creator !== undefined) {
      where.push('creator = @creator')
      args.creator = q.creator
    }
    if (q.creatorPrefix) {
      where.push('substr(creator, 1, length(@creatorPrefix)) = @creatorPrefix')
      args.creatorPrefix = q.creatorPrefix
    }
    if (q.expiringBefore !== undefined) {
      where.push('expire > 0 AND expire < @before')
      args.before = toUnixSeconds(q.expiringBefore, 'expiringBefore')
    }
    if (q.expiringAfter !== undefined) {
      where.push('expire > @after')
      args.after = toUnixSeconds(q.expiringAfter, 'expiringAfter')
    }
    if (q.origin) where.push(q.origin === 'local' ? 'origin_connection_id IS NULL' : 'origin_connection_id IS NOT NULL')
    if (q.search) {
      // Substring on name or brief. Candidates from the trigram index when the text is selective; LIKE confirms them
      // (trigram hits can come from different places) and is the whole test for 1–2 characters or common text.
      // A search that is exactly a token's id also finds that token (an id pasted from a log or an audit row).
      const idRid = /^[A-Za-z0-9]{8}$/.test(q.search) ? (ridById.get(q.search) ?? null) : null
      const text = "name LIKE @like ESCAPE '\\' OR brief LIKE @like ESCAPE '\\'"
      where.push(idRid === null ? `(${text})` : `(rid = @idrid OR ${text})`)
      if (idRid !== null) args.idrid = idRid
      args.like = `%${escapeLike(q.search)}%`
      const fts = trigramQuery(q.search)
      if (fts && opts.count && idRid === null) {
        // A count is driven by the trigram index's matches however many there are (their rowids under a name of their
        // own: tokens_fts's columns are name and brief too), each row then read by rid: counting 10,000 of a common
        // word's matches this way takes ~5-15 ms at a million rows, walking the sort index and testing rows 60-330 ms.
        from = '(SELECT rowid AS fts_rid FROM tokens_fts WHERE tokens_fts MATCH @fts) AS f CROSS JOIN tokens ON rid = fts_rid'
        args.fts = fts
      }
      let hits = fts && !opts.count ? candidates(fts) : null
      if (hits && idRid !== null && !hits.includes(idRid)) hits = [...hits, idRid]
      if (hits) {
        if (hits.length === 0) return null
        // Drive the query from the candidates (CROSS JOIN fixes the loop order): left to itself the planner walks the
        // whole sort index and tests each row against the list.
        from = 'json_each(@rids) AS j CROSS JOIN tokens AS t ON t.rid = j.value'
        args.rids = JSON.stringify(hits)
      }
    }
    return { col, key, dir, where, from, args, order: `ORDER BY ${key.key} ${dir}, rid ${dir}` }
  }

  function list(q: ListInput): TokenPage {
    const p = plan(q)
    if (!p) return { items: [], nextCursor: null }
    const { col, key, dir, where, from, args } = p
    args.limit = q.limit + 1
    if (q.cursor) {
      // The sort value is bound into SQL: only what a row's sort column can hold (an object or a boolean cannot be bound).
      const c = decodeCursor<Cursor>(q.cursor, (v) => v.s === q.sort && v.d === dir && typeof v.r === 'number' && (v.v === null || typeof v.v === 'string' || typeof v.v === 'number'))
      const op = dir === 'desc' ? '<' : '>'
      // (key, rid) past the cursor, written so the index range on the key is used and rid breaks ties. The cursor holds
      // the sort value itself (as the row shows it), made into the view's key here.
      const cv = key.value('@cv')
      // The cursor bounds the key on the side the view's range does when both are upper bounds (live, descending) or
      // both lower (bin, ascending): the range then goes, as the cursor's key lies inside it. Left in, SQLite may take
      // the range as the index bound and test the cursor on every entry before it (25 ms for a page deep in a 1M table).
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
    searchCandidates: (text: string) => {
      const fts = trigramQuery(text)
      return fts ? candidates(fts) : null
    },
    /**
     * Live tokens expiring per day for the next `days` days, counted in SQL: the dashboard used to page through the
     * tokens themselves and stopped at 10,000, which at a million rows left the next 7 and 30 days uncounted.
     */
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
