import type { z } from 'zod'
import type { TokenListInput } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import { escapeLike, toUnixSeconds } from './util'
import { BIN_KEY_OFFSET, BIN_KEY_SPLIT } from './schema'

/** What decides the rows and their order (no paging fields). */
export type FilterInput = Omit<z.output<typeof TokenListInput>, 'limit' | 'cursor'>

const SORT_COLUMN = { name: 'name', created: 'cstamp', updated: 'istamp', expiry: 'expire' } as const
/** The page index key of each sort: the sort column with the recycle bin folded in (schema tokensV4). */
const SORT_KEY = { name: 'k_name', created: 'k_created', updated: 'k_updated', expiry: 'k_expire' } as const
const DEFAULT_DIR = { name: 'asc', created: 'desc', updated: 'desc', expiry: 'asc' } as const

/**
 * A view's range of a sort key, a sort value made into that view's key, and the key made back into the value, as SQL. Integer values are CAST: better-
 * sqlite3 binds JS numbers as REAL, and a REAL near 2^62 would round the key it is compared with.
 */
function keyOf(sort: keyof typeof SORT_KEY, bin: boolean) {
  const key = SORT_KEY[sort]
  if (sort === 'name')
    return {
      key,
      range: bin ? `${key} >= '1'` : `${key} < '1'`,
      value: (p: string) => `'${bin ? 1 : 0}' || ${p}`,
      plain: (k: string) => `substr(${k}, 2)`
    }
  const offset = bin ? ` + ${BIN_KEY_OFFSET}` : ''
  return {
    key,
    range: bin ? `${key} >= ${BIN_KEY_SPLIT}` : `${key} < ${BIN_KEY_SPLIT}`,
    value: (p: string) => `CAST(${p} AS INTEGER)${offset}`,
    plain: (k: string) => (bin ? `${k} - ${BIN_KEY_OFFSET}` : k)
  }
}

/**
 * Above this many FTS matches, sorting all matches costs more than walking the sort index and testing each row, so
 * the query switches strategy (a common word matches most rows; a rare one a handful).
 */
const FTS_SELECTIVE_LIMIT = 2000
/**
 * The first probe reads at most this many matches. Fewer: they are the candidates. More: the rowid of the last one
 * read tells roughly how common the text is (FTS5 returns matches in rowid order, and rowids spread over the table),
 * so a common word goes straight to the index walk without reading matches it will not use.
 */
const FTS_PEEK = 256

/** FTS5 trigram query with detail=none: every trigram of the text must occur (candidates are then confirmed by LIKE). */
function trigramQuery(text: string): string | null {
  const chars = [...text.toLowerCase()]
  if (chars.length < 3) return null
  const grams = new Set<string>()
  // FTS5 reads its query as C text, so a NUL would end it inside a quoted gram: such grams are left out (LIKE confirms).
  for (let i = 0; i + 3 <= chars.length; i++)
    if (!chars.slice(i, i + 3).includes('\u0000')) grams.add(chars.slice(i, i + 3).join(''))
  if (!grams.size) return null
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' ')
}

/** The planner of list, seek and count queries over the tokens table: filters, search strategy and sort key. */
export function createPlanner(db: CoreDeps['db']) {
  const ftsProbe = db
    .prepare<[string, number], number>('SELECT rowid FROM tokens_fts WHERE tokens_fts MATCH ? LIMIT ?')
    .pluck()
  const maxRid = db.prepare<[], number | null>('SELECT max(rid) FROM tokens').pluck()
  const ridById = db.prepare<[string], number>('SELECT rid FROM tokens WHERE id = ?').pluck()

  /** Candidate rowids for a trigram query when it is selective enough to drive the query; null: walk the index. */
  function candidates(fts: string): number[] | null {
    const peek = ftsProbe.all(fts, FTS_PEEK + 1)
    if (peek.length <= FTS_PEEK) return peek
    const estimate = (FTS_PEEK * (maxRid.get() ?? 0)) / Math.max(1, peek[FTS_PEEK])
    if (estimate > 2 * FTS_SELECTIVE_LIMIT) return null
    const hits = ftsProbe.all(fts, FTS_SELECTIVE_LIMIT + 1)
    return hits.length <= FTS_SELECTIVE_LIMIT ? hits : null
  }

  /** The filters other than search, as WHERE terms and their arguments. */
  function filterTerms(q: FilterInput, where: string[], args: Record<string, unknown>): void {
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
    filterTerms(q, where, args)
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
        // own: tokens_fts's columns are name and brief too), each row then read by rid: cheaper than walking the sort
        // index and testing every row.
        from =
          '(SELECT rowid AS fts_rid FROM tokens_fts WHERE tokens_fts MATCH @fts) AS f CROSS JOIN tokens ON rid = fts_rid'
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

  return {
    plan,
    /** Which path a search text takes (candidate rowids, or null for the index walk). */
    searchCandidates: (text: string) => {
      const fts = trigramQuery(text)
      return fts ? candidates(fts) : null
    }
  }
}
