import type { Db } from '../../db'
import { retryBusy } from '../../db/busy'
import type { JobContext } from '../../jobs'
import type { BulkLoad, Derived, DroppedRow } from './derived'
import { INSERT_COLUMNS, type Args } from './line-parser'

export type { DroppedRow } from './derived'
export { KEY_ARG, exportedTokenArgs, fastTokenLine, tokenArgs, type Args } from './line-parser'

/** Bulk mode (drop derived state, load, rebuild) pays off when the load is at least this big and bigger than the store. */
const BULK_MIN_ROWS = 20_000

const TOKEN_INSERT = `INSERT OR IGNORE INTO tokens (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`
/**
 * A whole batch of token rows in one statement (a JSON array of insert arguments), for loads into a store whose
 * triggers keep the search index and counts row by row: every statement that writes to an FTS5 table opens a statement
 * savepoint, at which FTS5 flushes its pending terms as a new segment, so one INSERT per row paid that per row. Rows go
 * in the array's order; RETURNING names the ones that went in (the others were ignored as taken).
 */
const TOKEN_INSERT_MANY = `INSERT OR IGNORE INTO tokens (${INSERT_COLUMNS.join(', ')})
  SELECT ${INSERT_COLUMNS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) ORDER BY key RETURNING rid, id, name`

/** A running load of token rows, as seed and import see it. */
export interface Load {
  /** True when the derived state is down for this load (rows go in unchecked and are deduplicated at its end). */
  readonly bulk: boolean
  /**
   * One batch's transaction: BEGIN IMMEDIATE, so a store another process holds fails before the batch reads anything
   * and is retried off the event loop; a batch outside a bulk load first checks no other process's load is running.
   */
  batch(fn: () => void): Promise<void>
  /** The loader committed a batch: the search-index worker catches up on it meanwhile (nothing outside a bulk load). */
  committed(): void
  /** One token row (INSERT OR IGNORE): the rid it got, or null when its id or name was taken. */
  insert(args: Args): number | null
  /** Token rows in one statement (for a load with the triggers in place): the rows that went in. */
  insertMany(rows: Args[]): Array<{ rid: number; id: string; name: string }>
}

/**
 * The bulk-load engine's one door for seed and import: run() decides whether a load drops the derived state (indexes,
 * search index, counts) and rebuilds it at the end, and always restores it (also on failure).
 */
export function createBulkLoader(db: Db, derived: Derived, minRows = BULK_MIN_ROWS) {
  const tokenCount = () => (db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
  /** The rows the last bulk load removed at its end, also when the load itself failed or was cancelled. */
  let lastDropped: DroppedRow[] = []

  function open(bulk: BulkLoad | null): Load {
    const one = db.prepare(TOKEN_INSERT)
    const many = db.prepare(TOKEN_INSERT_MANY)
    return {
      bulk: bulk !== null,
      batch: (fn) =>
        retryBusy(() =>
          db
            .transaction(() => {
              if (!bulk) derived.assertWritable()
              fn()
            })
            .immediate()
        ),
      committed: () => bulk?.committed(),
      insert(args) {
        // Spread, not the array: better-sqlite3 reads an array argument element by element through V8's generic
        // property lookup, which costs more per row.
        const r = one.run(...args)
        return r.changes ? Number(r.lastInsertRowid) : null
      },
      insertMany: (rows) =>
        (many.all(JSON.stringify(rows)) as Array<{ rid: number; id: string; name: string }>).sort(
          (a, b) => a.rid - b.rid
        )
    }
  }

  return {
    /**
     * Runs a load, with the derived state dropped when it pays off. Returns the token rows removed at the end as
     * duplicates: with the unique indexes down, a row whose id or name is taken goes in and is taken out again by endBulk.
     */
    async run(
      operation: string,
      expectedRows: number,
      ctx: JobContext,
      body: (load: Load) => Promise<void>
    ): Promise<DroppedRow[]> {
      lastDropped = []
      const bulk = expectedRows >= minRows && expectedRows >= tokenCount() ? derived.beginBulk(operation) : null
      let dropped: DroppedRow[] = []
      try {
        await body(open(bulk))
      } finally {
        if (bulk) {
          // A long step that holds this thread: named first, so a watcher (the CLI) can say so.
          ctx.stage('building indexes')
          try {
            dropped = lastDropped = (await derived.endBulk()).dropped
          } finally {
            ctx.stage(null)
          }
        }
      }
      return dropped
    },
    /** The rows the last bulk load removed at its end (also after a failed or cancelled load). */
    lastDropped: (): DroppedRow[] => lastDropped
  }
}

export type BulkLoader = ReturnType<typeof createBulkLoader>
