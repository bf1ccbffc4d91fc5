import Database from 'better-sqlite3'
import type { Db } from '../db'
import { startStoreWorker } from '../core/worker-entry'
import { unpackRows, type PackedRows } from './packed-rows'
import { fail } from '../../shared/errors'
import {
  BIN_KEY_SPLIT,
  TOKENS_INDEX_NAMES,
  TOKENS_TRIGGER_NAMES,
  TOKENS_UNIQUE_INDEX_NAMES,
  TOKENS_FTS_SHADOW,
  tokensIndexes,
  tokensTriggers,
  tokensUniqueIndexes
} from './schema'

/**
 * The tokens table's derived state: unique and page indexes, the FTS5 trigram index and the counts table. Bulk loads
 * (seed, large imports) drop them, load, then rebuild them in one pass, which is several times faster than maintaining
 * them row by row; the search index is built by a worker thread meanwhile (endBulk). A flag in tokens_meta marks a
 * rebuild as due, so a crash mid-load is repaired at the next open. While the unique indexes are down, duplicates are
 * let in and removed when the load ends (unique()), and other writes that could add an id or a name, or change or
 * remove what the search index holds, are refused with BUSY (assertWritable) until the load ends.
 */
/** Page cache for this connection (negative = KiB): the default 2 MiB thrashes on the page indexes at 1M rows. */
export const CACHE_KIB = -65536
/**
 * While the indexes of a bulk load are built: SQLite sorts in batches of about the cache size and, with PRAGMA threads,
 * sorts each batch on a helper thread while it reads on; a small cache makes those batches, a big one one long sort
 * on this thread. Measured at a million rows: 3.1 s with 4 MiB and two helpers against 4.7 s with 512 MiB.
 */
const INDEX_BUILD_CACHE_KIB = -4096
const INDEX_BUILD_THREADS = 2
/** The (state, published) pairs of token_counts, in the order recount reads them. */
const STATE_PUBLISHED = [[0, 0], [0, 1], [1, 0], [1, 1]] as const

/** The pid a rebuild flag names, if any. */
function loaderPid(value: string): number | null {
  try {
    const { pid } = JSON.parse(value) as { pid?: number }
    return typeof pid === 'number' ? pid : null
  } catch {
    return null
  }
}
/** True when the flag names another process that is still running (signal 0 only tests for existence). */
function loaderAlive(value: string): boolean {
  try {
    const pid = loaderPid(value)
    if (pid === null || pid === process.pid) return false
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM'
  }
}

export interface DerivedOptions {
  /** The better_sqlite3.node the store was opened with (the worker and the finishing connection load the same). */
  nativeBinding?: string
  /** False: bulk loads build the search index on this thread (tests compare the two ways). */
  parallelFts?: boolean
}

/** The search-index worker of a bulk load: told of each committed batch, then asked for the index. */
interface FtsFeed {
  more(): void
  finish(): Promise<FtsSegments | null>
}

/** A row a bulk load removed at its end because an earlier row holds its id or (both local) its name. */
export interface DroppedRow {
  rid: number
  id: string
  name: string
  brief: string
}

/** The index segments fts-worker built: the %_data and %_idx rows of tokens_fts, and how many rows it indexed. */
interface FtsSegments {
  rows: number
  /** (id, block) */
  data: PackedRows
  /** (segid, term, pgno) */
  idx: PackedRows
}

export function createDerived(db: Db, opts: DerivedOptions = {}) {
  /** What this store's workers open. */
  const store = { dbFile: db.name, nativeBinding: opts.nativeBinding }
  db.pragma(`cache_size = ${CACHE_KIB}`)
  const getFlag = db.prepare<[string], { value: string }>('SELECT value FROM tokens_meta WHERE key = ?')
  const foreignTriggers = db.prepare<[], { name: string }>(
    `SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'tokens' AND name NOT IN (${TOKENS_TRIGGER_NAMES.map((n) => `'${n}'`).join(', ')})`
  )
  const setFlag = db.prepare('INSERT INTO tokens_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')

  /** The search-index worker of this process's bulk load; non-null exactly while one runs (beginBulk to endBulk's end). */
  let feed: FtsFeed | null = null
  /** The checkpoint the last bulk load started off this thread (checkpoint-worker.ts); resolves when it has ended. */
  let checkpoint: Promise<void> = Promise.resolve()

  /**
   * All eight counts from one walk of the update-order index (its key tells the bin; it holds state and published):
   * the live part and the bin are ranges of it, each counted four ways at once. A GROUP BY sorted every entry in a
   * temporary B-tree first: 0.43 s at a million rows against 0.09 s.
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
  function complete(conn: Db, fts: FtsSegments | null, dropped: DroppedRow[] = []): 'worker' | 'inline' {
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
  function unique(conn: Db): DroppedRow[] {
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

  /** Everything from scratch, in the caller's transaction: used at open after a crashed load. */
  function rebuild(): void {
    unique(db)
    db.exec(tokensIndexes)
    complete(db, null)
  }

  /**
   * The search index of a bulk load, built by fts-worker on the second core while the load runs here (the worker
   * catches up after each committed batch: feed.more()) and finished while this thread builds the unique and page
   * indexes. finish() resolves to null when no worker could run it: the caller then rebuilds the index here.
   */
  function startFtsFeed(): FtsFeed {
    const w = opts.parallelFts === false ? null : startStoreWorker('fts-worker', __dirname, store)
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
  function finishBulk(fts: FtsSegments | null, dropped: DroppedRow[]): 'worker' | 'inline' {
    const conn = new Database(db.name, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {})
    try {
      conn.pragma('busy_timeout = 5000')
      // Its commit leaves the WAL to the checkpoint endBulk starts off this thread.
      conn.pragma('wal_autocheckpoint = 0')
      // better-sqlite3 opens connections in SQLite's defensive mode, which refuses writes to FTS5 shadow tables; this
      // connection exists only to write them, and lives for this one transaction.
      conn.unsafeMode(true)
      return conn.transaction(() => {
        // Bulk loads refuse every other write to tokens (assertWritable), so the rows the worker indexed are the rows
        // now here; a count that disagrees all the same gets the index rebuilt from the table rather than trusted.
        const rows = (conn.prepare('SELECT count(*) AS n FROM tokens INDEXED BY tokens_id').get() as { n: number }).n
        return complete(conn, fts && fts.rows - dropped.length === rows ? fts : null, dropped)
      }).immediate()
    } finally {
      conn.close()
    }
  }

  /**
   * Copies the WAL into the database file on a worker thread (checkpoint-worker.ts), here when no worker can run. Not
   * awaited by the load: what it committed is readable from the WAL meanwhile. The worker keeps the process alive until
   * it ends, so a CLI import exits with its store checkpointed.
   */
  function checkpointOffThread(): void {
    if (db.memory) return
    const w = startStoreWorker('checkpoint-worker', __dirname, store)
    if (!w) {
      db.pragma('wal_checkpoint(PASSIVE)')
      return
    }
    checkpoint = new Promise((resolve) => {
      // Listened to so a failed start cannot throw here; the WAL stays valid and the next commit checkpoints it.
      w.once('error', () => resolve())
      w.once('exit', () => resolve())
    })
  }

  return {
    /**
     * At every open: cheap when all is in place (IF NOT EXISTS), a full rebuild after a crashed bulk load. A load still
     * running in another process (its pid is alive) is left alone: it rebuilds when it ends, and its dropped indexes
     * must not be recreated under it. A busy store is skipped the same way rather than failing the open.
     */
    ensure(): void {
      const flag = getFlag.get('rebuild_due')
      if (flag && loaderAlive(flag.value)) return
      try {
        if (flag) db.transaction(rebuild).immediate()
        else {
          db.exec(tokensUniqueIndexes)
          db.exec(tokensIndexes)
          db.exec(tokensTriggers)
        }
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e
      }
    },
    rebuildDue: () => Boolean(getFlag.get('rebuild_due')),
    /**
     * Writes that can add an id or a local name, or change a name or brief, or delete a row, call this first (inside
     * their transaction): while a bulk load has the unique indexes down, nothing but the loader's own in-memory check
     * keeps ids and names unique, and the search index its worker builds holds the rows as they were when it began.
     * State changes need no guard: the counts are taken when the load ends.
     */
    assertWritable(): void {
      const flag = getFlag.get('rebuild_due')
      if (!flag) return
      const mine = loaderPid(flag.value) === process.pid
      if (mine ? feed !== null : loaderAlive(flag.value))
        fail('BUSY', 'A bulk load (import or seed) is running on this store: try again when it ends', { pid: loaderPid(flag.value) })
    },
    /**
     * Drops the derived state and starts the search-index worker. The loader inserts with INSERT OR IGNORE as before;
     * rows whose id or name is taken go in all the same, and endBulk removes them and reports them.
     */
    beginBulk(): BulkLoad {
      db.transaction(() => {
        setFlag.run('rebuild_due', JSON.stringify({ pid: process.pid, at: new Date().toISOString() }))
        for (const t of TOKENS_TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${t}`)
        // Other domains' triggers on tokens (the findings) go too: their owners rebuild what they keep on next use.
        for (const t of foreignTriggers.all()) db.exec(`DROP TRIGGER IF EXISTS "${t.name}"`)
        for (const i of [...TOKENS_INDEX_NAMES, ...TOKENS_UNIQUE_INDEX_NAMES]) db.exec(`DROP INDEX IF EXISTS ${i}`)
      }).immediate()
      const f = (feed = startFtsFeed())
      return { committed: () => f.more() }
    },
    /**
     * Rebuilds what beginBulk dropped: the unique indexes (removing the duplicates the load let in) and the page
     * indexes here while the worker indexes the last batch, then the rest in one transaction (finishBulk). Until that
     * commits the rebuild flag stays set, so a crash at any point is repaired by ensure() at the next open. Returns how
     * the search index was made and the rows removed as duplicates (the loader reports them as skipped).
     */
    async endBulk(): Promise<{ fts: 'worker' | 'inline'; dropped: DroppedRow[] }> {
      const fts = feed ? feed.finish() : Promise.resolve(null)
      const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number
      try {
        let dropped: DroppedRow[] = []
        db.pragma(`cache_size = ${INDEX_BUILD_CACHE_KIB}`)
        db.pragma(`threads = ${INDEX_BUILD_THREADS}`)
        // The index transaction's commit would otherwise checkpoint here, on this thread (checkpointOffThread).
        db.pragma('wal_autocheckpoint = 0')
        try {
          db.transaction(() => {
            dropped = unique(db)
            db.exec(tokensIndexes)
          }).immediate()
        } catch (e) {
          await fts // the worker is never left running on its own; the flag stays set for ensure() to repair
          throw e
        }
        const built = finishBulk(await fts, dropped)
        checkpointOffThread()
        return { fts: built, dropped }
      } finally {
        feed = null
        db.pragma('threads = 0')
        db.pragma(`cache_size = ${CACHE_KIB}`)
        db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`)
      }
    },
    /** Resolves when the checkpoint the last bulk load started has ended (tests, the bench). */
    checkpointed: (): Promise<void> => checkpoint
  }
}

/** A bulk load in progress, as its loader sees it. */
export interface BulkLoad {
  /** The loader committed a batch: the search-index worker catches up on it meanwhile. */
  committed(): void
}

export type Derived = ReturnType<typeof createDerived>
