import type { Db } from '../db'
import { fail } from '../../shared/errors'
import {
  TOKENS_INDEX_NAMES,
  TOKENS_TRIGGER_NAMES,
  TOKENS_UNIQUE_INDEX_NAMES,
  tokensIndexes,
  tokensTriggers,
  tokensUniqueIndexes
} from './schema'

/**
 * The tokens table's derived state: unique and page indexes, the FTS5 trigram index and the counts table. Bulk loads
 * (seed, large imports) drop them, load, then rebuild them in one pass, which is several times faster than maintaining
 * them row by row. A flag in tokens_meta marks a rebuild as due, so a crash mid-load is repaired at the next open.
 * While the unique indexes are down the loader checks ids and names in memory (BulkLoad.claim), and other writes that
 * could add an id or a name are refused with BUSY (assertWritable) until the load ends.
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

export function createDerived(db: Db) {
  db.pragma(`cache_size = ${CACHE_KIB}`)
  const getFlag = db.prepare<[string], { value: string }>('SELECT value FROM tokens_meta WHERE key = ?')
  const setFlag = db.prepare('INSERT INTO tokens_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
  const clearFlag = db.prepare('DELETE FROM tokens_meta WHERE key = ?')

  let bulkActive = false

  function rebuild(): void {
    db.exec(tokensUniqueIndexes)
    db.exec(tokensIndexes)
    db.exec("INSERT INTO tokens_fts (tokens_fts) VALUES ('rebuild')")
    // One grouped scan for all eight counts (a correlated count per row would scan the table eight times), over the
    // update-order index: it holds bin, state and published and is a fraction of the table's size.
    db.exec('UPDATE token_counts SET n = 0')
    db.exec(`UPDATE token_counts SET n = g.n
      FROM (SELECT state, published, bin, count(*) AS n FROM tokens INDEXED BY tokens_by_updated GROUP BY state, published, bin) AS g
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
     * Writes that can add an id or a local name call this first (inside their transaction): while a bulk load has the
     * unique indexes down, nothing but the loader's own in-memory check keeps ids and names unique.
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
    endBulk(): void {
      try {
        db.transaction(rebuild).immediate()
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
