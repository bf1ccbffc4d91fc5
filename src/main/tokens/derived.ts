import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { Db } from '../db'
import { workerEntry } from '../core/worker-entry'
import { fail } from '../../shared/errors'
import {
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
 * rebuild as due, so a crash mid-load is repaired at the next open. While the unique indexes are down the loader checks
 * ids and names in memory (BulkLoad.claim), and other writes that could add an id or a name, or change or remove what
 * the search index holds, are refused with BUSY (assertWritable) until the load ends.
 */
/** Page cache for this connection (negative = KiB): the default 2 MiB thrashes on the page indexes at 1M rows. */
export const CACHE_KIB = -65536
/** During a bulk load: the freshly written table stays in cache for the index and FTS builds that scan it. */
const BULK_CACHE_KIB = -524288

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

/** The index segments fts-worker built: the %_data and %_idx rows of tokens_fts, and how many rows it indexed. */
interface FtsSegments {
  rows: number
  data: unknown[][]
  idx: unknown[][]
}

export function createDerived(db: Db, opts: DerivedOptions = {}) {
  db.pragma(`cache_size = ${CACHE_KIB}`)
  const getFlag = db.prepare<[string], { value: string }>('SELECT value FROM tokens_meta WHERE key = ?')
  const setFlag = db.prepare('INSERT INTO tokens_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')

  let bulkActive = false

  /** One grouped scan for all eight counts, over the update-order index (it holds bin, state and published). */
  function recount(conn: Db): void {
    // A correlated count per row would scan the table eight times; the index is a fraction of the table's size.
    conn.exec('UPDATE token_counts SET n = 0')
    conn.exec(`UPDATE token_counts SET n = g.n
      FROM (SELECT state, published, bin, count(*) AS n FROM tokens INDEXED BY tokens_by_updated GROUP BY state, published, bin) AS g
      WHERE g.state = token_counts.state AND g.published = token_counts.published AND g.bin = token_counts.bin`)
  }

  /**
   * The end of every rebuild, in the caller's transaction on `conn`: the search index (the worker's segments copied in
   * when given, else rebuilt from the table), counts, triggers, and the flag cleared. Returns which way the index came.
   */
  function complete(conn: Db, fts: FtsSegments | null): 'worker' | 'inline' {
    if (fts) {
      conn.exec(`DELETE FROM ${TOKENS_FTS_SHADOW.data}; DELETE FROM ${TOKENS_FTS_SHADOW.idx}`)
      const data = conn.prepare(`INSERT INTO ${TOKENS_FTS_SHADOW.data} (id, block) VALUES (?, ?)`)
      for (const r of fts.data) data.run(r)
      const idx = conn.prepare(`INSERT INTO ${TOKENS_FTS_SHADOW.idx} (segid, term, pgno) VALUES (?, ?, ?)`)
      for (const r of fts.idx) idx.run(r)
    } else conn.exec("INSERT INTO tokens_fts (tokens_fts) VALUES ('rebuild')")
    recount(conn)
    conn.exec(tokensTriggers)
    conn.prepare('DELETE FROM tokens_meta WHERE key = ?').run('rebuild_due')
    return fts ? 'worker' : 'inline'
  }

  /** Everything from scratch, in the caller's transaction: used at open after a crashed load. */
  function rebuild(): void {
    db.exec(tokensUniqueIndexes)
    db.exec(tokensIndexes)
    complete(db, null)
  }

  /**
   * The search index of a bulk load, built by fts-worker on the second core while this thread builds the unique and
   * page indexes (the two builds take about as long each). Resolves to null when no worker could run it: the caller
   * then rebuilds the index here.
   */
  function buildFtsInWorker(): Promise<FtsSegments | null> {
    const entry = opts.parallelFts === false ? null : workerEntry('fts-worker', __dirname)
    if (!entry) return Promise.resolve(null)
    return new Promise((resolve) => {
      const w = new Worker(entry.file, { eval: Boolean(entry.eval), workerData: { dbFile: db.name, nativeBinding: opts.nativeBinding } })
      const done = (v: FtsSegments | null) => {
        resolve(v)
        void w.terminate()
      }
      w.once('message', (m: FtsSegments | { error: string }) => done('error' in m ? null : m))
      w.once('error', () => done(null))
      w.once('exit', () => done(null))
    })
  }

  /**
   * The last step of a bulk load (complete), on a connection of its own and in one transaction. Its own connection, because FTS5 caches an
   * index's structure per connection and drops that cache only when another connection commits (PRAGMA data_version):
   * writing the shadow tables through `db` itself would leave db's cache describing the old, empty index.
   */
  function finishBulk(fts: FtsSegments | null): 'worker' | 'inline' {
    const conn = new Database(db.name, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {})
    try {
      conn.pragma('busy_timeout = 5000')
      // better-sqlite3 opens connections in SQLite's defensive mode, which refuses writes to FTS5 shadow tables; this
      // connection exists only to write them, and lives for this one transaction.
      conn.unsafeMode(true)
      return conn.transaction(() => {
        // Bulk loads refuse every other write to tokens (assertWritable), so the rows the worker indexed are the rows
        // now here; a count that disagrees all the same gets the index rebuilt from the table rather than trusted.
        const rows = (conn.prepare('SELECT count(*) AS n FROM tokens INDEXED BY tokens_id').get() as { n: number }).n
        return complete(conn, fts?.rows === rows ? fts : null)
      }).immediate()
    } finally {
      conn.close()
    }
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
      if (mine ? bulkActive : loaderAlive(flag.value))
        fail('BUSY', 'A bulk load (import or seed) is running on this store: try again when it ends', { pid: loaderPid(flag.value) })
    },
    /**
     * Drops the derived state and returns the loader's uniqueness check: the ids and local names already in the store
     * (a bulk load only runs when the load is at least as big as the store, so these sets are bounded by it).
     */
    beginBulk(): BulkLoad {
      db.pragma(`cache_size = ${BULK_CACHE_KIB}`)
      const ids = new Set<string>()
      const names = new Set<string>()
      db.transaction(() => {
        setFlag.run('rebuild_due', JSON.stringify({ pid: process.pid, at: new Date().toISOString() }))
        for (const t of TOKENS_TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${t}`)
        for (const i of [...TOKENS_INDEX_NAMES, ...TOKENS_UNIQUE_INDEX_NAMES]) db.exec(`DROP INDEX IF EXISTS ${i}`)
        for (const r of db.prepare('SELECT id, name, origin_connection_id IS NULL AS local FROM tokens').iterate() as Iterable<{ id: string; name: string; local: number }>) {
          ids.add(r.id)
          if (r.local) names.add(r.name)
        }
      }).immediate()
      bulkActive = true
      return {
        claim(id, name, local) {
          if (ids.has(id) || (local && names.has(name))) return false
          ids.add(id)
          if (local) names.add(name)
          return true
        }
      }
    },
    /**
     * Rebuilds what beginBulk dropped: the unique and page indexes here while a worker builds the search index, then
     * the rest in one transaction (finishBulk). Until that commits the rebuild flag stays set, so a crash at any point
     * is repaired by ensure() at the next open.
     */
    async endBulk(): Promise<'worker' | 'inline'> {
      try {
        const fts = buildFtsInWorker()
        try {
          db.transaction(() => {
            db.exec(tokensUniqueIndexes)
            db.exec(tokensIndexes)
          }).immediate()
        } catch (e) {
          await fts // the worker is never left running on its own; the flag stays set for ensure() to repair
          throw e
        }
        return finishBulk(await fts)
      } finally {
        bulkActive = false
        db.pragma(`cache_size = ${CACHE_KIB}`)
      }
    }
  }
}

/** The in-memory stand-in for the unique indexes while a bulk load runs. */
export interface BulkLoad {
  /** True (and remembered) when neither the id nor, for a local record, the name is taken; false: skip the row. */
  claim(id: string, name: string, local: boolean): boolean
}

export type Derived = ReturnType<typeof createDerived>
