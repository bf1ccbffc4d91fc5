import type { Db } from '../../db'
import {
  checkpointOffThread,
  complete,
  finishBulk,
  startFtsFeed,
  unique,
  type DroppedRow,
  type FtsFeed
} from './rebuild'
import { AppError } from '../../../shared/errors'
import type { StoreState } from '../../../shared/contract'
import { busyError } from '../../db/busy'
import { REPAIR_STEPS, describeStoreState, loaderAlive, logRepair, markerState, parseMarker } from './load-marker'
import {
  TOKENS_INDEX_NAMES,
  TOKENS_TRIGGER_NAMES,
  TOKENS_UNIQUE_INDEX_NAMES,
  tokensIndexes,
  tokensTriggers,
  tokensUniqueIndexes
} from '../schema'

/** Page cache for this connection (negative = KiB): the default 2 MiB thrashes on the page indexes of a large store. */
const CACHE_KIB = -65536
/**
 * While the indexes of a bulk load are built: SQLite sorts in batches of about the cache size and, with PRAGMA threads,
 * sorts each batch on a helper thread while it reads on; a small cache makes those batches, a big one one long sort
 * on this thread, which is slower.
 */
const INDEX_BUILD_CACHE_KIB = -4096
const INDEX_BUILD_THREADS = 2

export interface DerivedOptions {
  /** The better_sqlite3.node the store was opened with (the worker and the finishing connection load the same). */
  nativeBinding?: string
  /** False: bulk loads build the search index on this thread (tests compare the two ways). */
  parallelFts?: boolean
  /** Told of each step of a repair after a crashed load (default: a line on stderr, which the CLI shows). */
  onRepair?: (step: number, steps: number, what: string) => void
}

/**
 * Runs `fn` with SQLite's own wait for the lock at 5 s: for a load's start and end and a repair, steps that hold this
 * thread for seconds anyway and must not fail on another writer's brief transaction.
 */
function lockWait<T>(db: Db, fn: () => T): T {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma('busy_timeout = 5000')
  try {
    return fn()
  } finally {
    db.pragma(`busy_timeout = ${timeout}`)
  }
}

/** Everything from scratch, in the caller's transaction: used at open after a crashed load. */
function rebuild(db: Db, say: NonNullable<DerivedOptions['onRepair']>): void {
  say(1, REPAIR_STEPS.length, REPAIR_STEPS[0])
  unique(db)
  say(2, REPAIR_STEPS.length, REPAIR_STEPS[1])
  db.exec(tokensIndexes)
  say(3, REPAIR_STEPS.length, REPAIR_STEPS[2])
  complete(db, null)
}

/** The derived state when all is in place: cheap, every statement is IF NOT EXISTS. */
function createIfMissing(db: Db): void {
  db.exec(tokensUniqueIndexes)
  db.exec(tokensIndexes)
  db.exec(tokensTriggers)
}

/** The unique indexes (removing the duplicates a load let in, which it returns) and the page indexes. */
function buildIndexes(db: Db): DroppedRow[] {
  return lockWait(db, () =>
    db
      .transaction(() => {
        const dropped = unique(db)
        db.exec(tokensIndexes)
        return dropped
      })
      .immediate()
  )
}

/**
 * The tokens table's derived state: unique and page indexes, the FTS5 trigram index and the counts table. Bulk loads
 * (seed, large imports) drop them, load, then rebuild them in one pass, which is several times faster than maintaining
 * them row by row; the search index is built by a worker thread meanwhile (endBulk). A flag in tokens_meta marks a
 * rebuild as due, so a crash mid-load is repaired at the next open. While the unique indexes are down, duplicates are
 * let in and removed when the load ends (unique()), and every other write to the table is refused with BUSY
 * (assertWritable) until the load ends, in every process: the flag is the load's marker, read inside each write.
 */
export function createDerived(db: Db, opts: DerivedOptions = {}) {
  /** What this store's workers open. */
  const store = { dbFile: db.name, nativeBinding: opts.nativeBinding }
  db.pragma(`cache_size = ${CACHE_KIB}`)
  const getFlag = db.prepare<[string], { value: string }>('SELECT value FROM tokens_meta WHERE key = ?')
  const foreignTriggers = db.prepare<[], { name: string }>(
    `SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'tokens' AND name NOT IN (${TOKENS_TRIGGER_NAMES.map((n) => `'${n}'`).join(', ')})`
  )
  const setFlag = db.prepare(
    'INSERT INTO tokens_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
  )

  /** The search-index worker of this process's bulk load; non-null exactly while one runs (beginBulk to endBulk's end). */
  let feed: FtsFeed | null = null
  /** True while this process repairs a crashed load (ensure). */
  let repairing = false
  /** The checkpoint the last bulk load started off this thread (checkpoint-worker.ts); resolves when it has ended. */
  let checkpoint: Promise<void> = Promise.resolve()

  /** The store's state as every process sees it: null, or a load or repair running or interrupted. */
  function storeState(): StoreState | null {
    const flag = getFlag.get('rebuild_due')
    return flag ? markerState(flag.value, feed !== null || repairing) : null
  }

  /**
   * The repair of a crashed load: first a committed marker naming it (so other processes answer BUSY with that reason
   * rather than wait on its lock), then the rebuild in one transaction. A failure puts the crashed load's marker back.
   */
  function repair(flagValue: string): void {
    db.transaction(() => {
      if (getFlag.get('rebuild_due')?.value !== flagValue) throw new AppError('BUSY', 'repaired meanwhile')
      setFlag.run(
        'rebuild_due',
        JSON.stringify({
          ...parseMarker(flagValue),
          pid: process.pid,
          at: new Date().toISOString(),
          state: 'repairing'
        })
      )
    }).immediate()
    repairing = true
    try {
      lockWait(db, () => db.transaction(() => rebuild(db, opts.onRepair ?? logRepair)).immediate())
    } catch (e) {
      lockWait(db, () => setFlag.run('rebuild_due', flagValue))
      throw e
    } finally {
      repairing = false
    }
  }

  /**
   * Every write to the tokens table calls this first, inside its transaction: while a bulk load runs (in any process),
   * is repaired, or awaits repair after a crash, the table is the load's alone, so no acknowledged write can meet the
   * load's duplicates or be removed with them by the repair. Refused writes get BUSY naming the reason.
   */
  function assertWritable(): void {
    const s = storeState()
    if (!s) return
    const e = busyError(describeStoreState(s))
    throw new AppError('BUSY', e.message, { ...e.details, state: s.state, pid: s.pid })
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
        if (flag) repair(flag.value)
        else createIfMissing(db)
      } catch (e) {
        const code = (e as { code?: string }).code
        if (code !== 'SQLITE_BUSY' && code !== 'BUSY') throw e
      }
    },
    rebuildDue: () => Boolean(getFlag.get('rebuild_due')),
    storeState,
    assertWritable,
    /**
     * Drops the derived state and starts the search-index worker. The loader inserts with INSERT OR IGNORE as before;
     * rows whose id or name is taken go in all the same, and endBulk removes them and reports them.
     */
    beginBulk(operation?: string): BulkLoad {
      lockWait(db, () =>
        db
          .transaction(() => {
            // One load at a time, and none over a crashed one (opening the store repairs that first).
            assertWritable()
            setFlag.run(
              'rebuild_due',
              JSON.stringify({ pid: process.pid, at: new Date().toISOString(), state: 'loading', operation })
            )
            for (const t of TOKENS_TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${t}`)
            // Other domains' triggers on tokens (the findings) go too: their owners rebuild what they keep on next use.
            for (const t of foreignTriggers.all()) db.exec(`DROP TRIGGER IF EXISTS "${t.name}"`)
            for (const i of [...TOKENS_INDEX_NAMES, ...TOKENS_UNIQUE_INDEX_NAMES]) db.exec(`DROP INDEX IF EXISTS ${i}`)
          })
          .immediate()
      )
      const f = (feed = startFtsFeed(store, opts.parallelFts !== false))
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
          dropped = buildIndexes(db)
        } catch (e) {
          await fts // the worker is never left running on its own
          feed = null
          // Repaired here at once if it can be (else at the next open): a live loader's marker holds every writer off.
          const flag = getFlag.get('rebuild_due')
          if (flag)
            try {
              repair(flag.value)
            } catch {
              // the flag stays set for ensure() to repair
            }
          throw e
        }
        const built = finishBulk(db, opts.nativeBinding, await fts, dropped)
        checkpoint = checkpointOffThread(db, store) ?? checkpoint
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
export type { DroppedRow } from './rebuild'
