import type Database from 'better-sqlite3'
import type { Db } from '../../db'
import { startStoreWorker } from './workers'
import { unpackRows, type PackedRows } from './packed-rows'
import {
  BIN_KEY_SPLIT,
  TOKENS_UNIQUE_INDEX_NAMES,
  TOKENS_FTS_SHADOW,
  tokensTriggers,
  tokensUniqueIndexes
} from '../schema'

/** The (state, published) pairs of token_counts, in the order recount reads them. */
const STATE_PUBLISHED = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1]
] as const

/** A row a bulk load removed at its end because an earlier row holds its id or (both local) its name. */
export interface DroppedRow {
  rid: number
  id: string
  name: string
  brief: string
}

/** The index segments fts-worker built: the %_data and %_idx rows of tokens_fts, and how many rows it indexed. */
export interface FtsSegments {
  rows: number
  /** (id, block) */
  data: PackedRows
  /** (segid, term, pgno) */
  idx: PackedRows
}

/** The search-index worker of a bulk load: told of each committed batch, then asked for the index. */
export interface FtsFeed {
  more(): void
  finish(): Promise<FtsSegments | null>
}

/**
 * All eight counts from one walk of the update-order index (its key tells the bin; it holds state and published):
 * the live part and the bin are ranges of it, each counted four ways at once. Not a GROUP BY: that sorts every entry
 * in a temporary B-tree first.
 */
function recount(conn: Db): void {
  const four = STATE_PUBLISHED.map(([s, p]) => `count(*) FILTER (WHERE state = ${s} AND published = ${p})`).join(', ')
  const range = (bin: 0 | 1) =>
    `SELECT ${four} FROM tokens INDEXED BY tokens_by_updated WHERE k_updated ${bin ? '>=' : '<'} ${BIN_KEY_SPLIT}`
  const set = conn.prepare('UPDATE token_counts SET n = ? WHERE state = ? AND published = ? AND bin = ?')
  for (const bin of [0, 1] as const) {
    const counts = conn.prepare<[], number[]>(range(bin)).raw().get()!
    STATE_PUBLISHED.forEach(([s, p], i) => set.run(counts[i], s, p, bin))
  }
}

/**
 * The end of every rebuild, in the caller's transaction on `conn`: the search index (the worker's segments copied in
 * when given, else rebuilt from the table), counts, triggers, and the flag cleared. Returns which way the index came.
 */
export function complete(conn: Db, fts: FtsSegments | null, dropped: DroppedRow[] = []): 'worker' | 'inline' {
  if (fts) {
    conn.exec(`DELETE FROM ${TOKENS_FTS_SHADOW.data}; DELETE FROM ${TOKENS_FTS_SHADOW.idx}`)
    const data = conn.prepare(`INSERT INTO ${TOKENS_FTS_SHADOW.data} (id, block) VALUES (?, ?)`)
    for (const r of unpackRows(fts.data)) data.run(...r)
    const idx = conn.prepare(`INSERT INTO ${TOKENS_FTS_SHADOW.idx} (segid, term, pgno) VALUES (?, ?, ?)`)
    for (const r of unpackRows(fts.idx)) idx.run(...r)
    // The worker indexed the duplicates unique() then deleted: out of the index with them, by the values indexed.
    const del = conn.prepare("INSERT INTO tokens_fts (tokens_fts, rowid, name, brief) VALUES ('delete', ?, ?, ?)")
    for (const r of dropped) del.run(r.rid, r.name, r.brief)
  } else conn.exec("INSERT INTO tokens_fts (tokens_fts) VALUES ('rebuild')")
  recount(conn)
  conn.exec(tokensTriggers)
  conn.prepare('DELETE FROM tokens_meta WHERE key = ?').run('rebuild_due')
  return fts ? 'worker' : 'inline'
}

/**
 * The unique indexes after a bulk load, which runs without them: when a duplicate stops one, the first row of each id
 * and local name (lowest rid: rows already in the store, then the load's in file order) stays and the others are
 * deleted, which is what INSERT OR IGNORE does row by row. The rows involved in a clash are few, so they are read and
 * decided here in rid order, exactly as the load would have met them. In the caller's transaction (triggers are down,
 * so counts and search index are fixed later). Returns the deleted rows.
 */
export function unique(conn: Db): DroppedRow[] {
  try {
    conn.exec(tokensUniqueIndexes)
    return []
  } catch (e) {
    if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e
  }
  for (const i of TOKENS_UNIQUE_INDEX_NAMES) conn.exec(`DROP INDEX IF EXISTS ${i}`)
  const clashing = conn
    .prepare(
      `SELECT rid, id, name, brief, origin_connection_id IS NULL AS local FROM tokens
       WHERE id IN (SELECT id FROM tokens GROUP BY id HAVING count(*) > 1)
          OR (origin_connection_id IS NULL AND name IN
               (SELECT name FROM tokens WHERE origin_connection_id IS NULL GROUP BY name HAVING count(*) > 1))
       ORDER BY rid`
    )
    .all() as Array<DroppedRow & { local: number }>
  const ids = new Set<string>()
  const names = new Set<string>()
  const dropped: DroppedRow[] = []
  for (const { local, ...r } of clashing) {
    if (ids.has(r.id) || (local && names.has(r.name))) dropped.push(r)
    else {
      ids.add(r.id)
      if (local) names.add(r.name)
    }
  }
  const del = conn.prepare('DELETE FROM tokens WHERE rid = ?')
  for (const r of dropped) del.run(r.rid)
  conn.exec(tokensUniqueIndexes)
  return dropped
}

/**
 * The search index of a bulk load, built by fts-worker on the second core while the load runs here (the worker
 * catches up after each committed batch: feed.more()) and finished while this thread builds the unique and page
 * indexes. finish() resolves to null when no worker could run it: the caller then rebuilds the index here.
 */
export function startFtsFeed(store: { dbFile: string; nativeBinding?: string }, parallel: boolean): FtsFeed {
  const w = parallel ? startStoreWorker('fts-worker', store) : null
  if (!w) return { more() {}, finish: () => Promise.resolve(null) }
  // A load that never ends (a test, a crash) must not keep the process alive through its worker.
  w.unref()
  let running = true
  const result = new Promise<FtsSegments | null>((resolve) => {
    const done = (v: FtsSegments | null) => {
      running = false
      resolve(v)
      void w.terminate()
    }
    w.once('message', (m: FtsSegments | { error: string }) => done('error' in m ? null : m))
    w.once('error', () => done(null))
    w.once('exit', () => done(null))
  })
  return {
    more: () => {
      if (running) w.postMessage('more')
    },
    finish: () => {
      if (running) w.postMessage('end')
      return result
    }
  }
}

/**
 * The last step of a bulk load (complete), on a connection of its own and in one transaction. Its own connection, because FTS5 caches an
 * index's structure per connection and drops that cache only when another connection commits (PRAGMA data_version):
 * writing the shadow tables through `db` itself would leave db's cache describing the old, empty index.
 */
export function finishBulk(
  db: Db,
  nativeBinding: string | undefined,
  fts: FtsSegments | null,
  dropped: DroppedRow[]
): 'worker' | 'inline' {
  // The open store's own class: this module loads no native addon until a store is open.
  const conn = new (db.constructor as typeof Database)(db.name, nativeBinding ? { nativeBinding } : {})
  try {
    conn.pragma('busy_timeout = 5000')
    // Its commit leaves the WAL to the checkpoint endBulk starts off this thread.
    conn.pragma('wal_autocheckpoint = 0')
    // better-sqlite3 opens connections in SQLite's defensive mode, which refuses writes to FTS5 shadow tables; this
    // connection exists only to write them, and lives for this one transaction.
    conn.unsafeMode(true)
    return conn
      .transaction(() => {
        // Bulk loads refuse every other write to tokens (assertWritable), so the rows the worker indexed are the rows
        // now here; a count that disagrees all the same gets the index rebuilt from the table rather than trusted.
        const rows = (conn.prepare('SELECT count(*) AS n FROM tokens INDEXED BY tokens_id').get() as { n: number }).n
        return complete(conn, fts && fts.rows - dropped.length === rows ? fts : null, dropped)
      })
      .immediate()
  } finally {
    conn.close()
  }
}

/**
 * Copies the WAL into the database file on a worker thread (checkpoint-worker.ts), here when no worker can run. Not
 * awaited by the load: what it committed is readable from the WAL meanwhile. The worker keeps the process alive until
 * it ends, so a CLI import exits with its store checkpointed. Returns the worker's end, or null when none started.
 */
export function checkpointOffThread(db: Db, store: { dbFile: string; nativeBinding?: string }): Promise<void> | null {
  if (db.memory) return null
  const w = startStoreWorker('checkpoint-worker', store)
  if (!w) {
    db.pragma('wal_checkpoint(PASSIVE)')
    return null
  }
  return new Promise((resolve) => {
    // Listened to so a failed start cannot throw here; the WAL stays valid and the next commit checkpoints it.
    w.once('error', () => resolve())
    w.once('exit', () => resolve())
  })
}
