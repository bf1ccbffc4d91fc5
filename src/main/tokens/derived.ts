import type { Db } from '../db'
import { TOKENS_INDEX_NAMES, TOKENS_TRIGGER_NAMES, tokensIndexes, tokensTriggers } from './schema'

/**
 * The tokens table's derived state: page indexes, the FTS5 trigram index and the counts table. Bulk loads (seed,
 * large imports) drop them, load, then rebuild them in one pass, which is several times faster than maintaining them
 * row by row. A flag in tokens_meta marks a rebuild as due, so a crash mid-load is repaired at the next open.
 */
/** Page cache for this connection (negative = KiB): the default 2 MiB thrashes on the page indexes at 1M rows. */
export const CACHE_KIB = -65536
const BULK_CACHE_KIB = -524288

/** True when the flag names another process that is still running (signal 0 only tests for existence). */
function loaderAlive(value: string): boolean {
  try {
    const { pid } = JSON.parse(value) as { pid?: number }
    if (typeof pid !== 'number' || pid === process.pid) return false
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM'
  }
}

export function createDerived(db: Db) {
  db.pragma(`cache_size = ${CACHE_KIB}`)
  const getFlag = db.prepare<[string], { value: string }>('SELECT value FROM tokens_meta WHERE key = ?')
  const setFlag = db.prepare('INSERT INTO tokens_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
  const clearFlag = db.prepare('DELETE FROM tokens_meta WHERE key = ?')

  function rebuild(): void {
    db.exec(tokensIndexes)
    db.exec("INSERT INTO tokens_fts (tokens_fts) VALUES ('rebuild')")
    // One grouped scan for all eight counts (a correlated count per row would scan the table eight times).
    db.exec('UPDATE token_counts SET n = 0')
    db.exec(`UPDATE token_counts SET n = g.n
      FROM (SELECT state, published, bin, count(*) AS n FROM tokens GROUP BY state, published, bin) AS g
      WHERE g.state = token_counts.state AND g.published = token_counts.published AND g.bin = token_counts.bin`)
    db.exec(tokensTriggers)
    clearFlag.run('rebuild_due')
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
          db.exec(tokensIndexes)
          db.exec(tokensTriggers)
        }
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e
      }
    },
    rebuildDue: () => Boolean(getFlag.get('rebuild_due')),
    beginBulk(): void {
      // Random ids and names land all over the unique indexes: a big page cache keeps the load off the disk.
      db.pragma(`cache_size = ${BULK_CACHE_KIB}`)
      db.transaction(() => {
        setFlag.run('rebuild_due', JSON.stringify({ pid: process.pid, at: new Date().toISOString() }))
        for (const t of TOKENS_TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${t}`)
        for (const i of TOKENS_INDEX_NAMES) db.exec(`DROP INDEX IF EXISTS ${i}`)
      }).immediate()
    },
    endBulk(): void {
      try {
        db.transaction(rebuild).immediate()
      } finally {
        db.pragma(`cache_size = ${CACHE_KIB}`)
      }
    }
  }
}

export type Derived = ReturnType<typeof createDerived>
