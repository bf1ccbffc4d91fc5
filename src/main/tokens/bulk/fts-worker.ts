import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { TOKENS_FTS_OPTIONS } from '../schema'
import { packRows, transferList } from './packed-rows'

// Search-index worker: builds the FTS5 trigram index of a bulk load on the second core while
// the load itself runs on the main thread. It indexes what the store holds when it starts, then, at each 'more' from
// the loader (sent after every committed batch), the rows committed since; at 'end' it takes the last rows and returns
// the index. Rows are found by rid, which only grows during a bulk load (deletes and renames wait: assertWritable).
// It only reads the store, through a connection of its own (WAL: it sees every committed batch and never blocks the
// writer; a mode=ro attach would fail on a WAL store whose -shm it may not write), and indexes into a contentless FTS5
// table in memory, committing once per catch-up (FTS5 writes a segment per commit and merges them as it goes, so many
// commits cost no more than one). The segments it returns (the %_data and %_idx rows) are what
// tokens_fts itself would hold, since both tables share one tokenizer and detail level and index the same rowids
// (rebuild.ts copies them in); they travel packed and transferred, not cloned (packed-rows.ts).
const { dbFile, nativeBinding } = workerData as { dbFile: string; nativeBinding?: string }

function fail(e: unknown): void {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) })
  parentPort!.close()
}

try {
  const opts = nativeBinding ? { nativeBinding } : {}
  const mem = new Database(':memory:', opts)
  mem.prepare('ATTACH DATABASE ? AS store').run(dbFile)
  mem.exec(`CREATE VIRTUAL TABLE fts USING fts5(name, brief, content='', ${TOKENS_FTS_OPTIONS})`)
  // No incremental merging while the index is built: FTS5 still merges a level once it holds 16 segments ('crisismerge'),
  // which bounds the segments a query walks, but skips the small merges 'automerge' (4) runs after every commit: a
  // faster build, the same index and query time. The setting lives in this in-memory table's config only; tokens_fts keeps its default for the row-by-row writes after the load.
  mem.exec("INSERT INTO fts (fts, rank) VALUES ('automerge', 0)")
  // Pending terms flushed at 256 KiB rather than FTS5's default 1 MiB: FTS5 keeps them in a hash table whose key hash
  // spreads three-byte trigrams poorly, so a bigger table means longer collision chains; the index after 'optimize' is
  // the same. Like automerge, set on this table only.
  mem.exec("INSERT INTO fts (fts, rank) VALUES ('hashsize', 262144)")
  const top = mem.prepare('SELECT coalesce(max(rid), 0) FROM store.tokens').pluck()
  const add = mem.prepare(
    'INSERT INTO fts (rowid, name, brief) SELECT rid, name, brief FROM store.tokens WHERE rid > ? AND rid <= ?'
  )
  let done = 0
  let rows = 0
  /** Indexes the rows committed since the last catch-up; one read snapshot, so `hi` and the rows agree. */
  const catchUp = () => {
    mem.exec('BEGIN')
    const hi = top.get() as number
    if (hi > done) rows += add.run(done, hi).changes
    mem.exec('COMMIT')
    done = Math.max(done, hi)
  }
  catchUp()
  parentPort!.on('message', (m: 'more' | 'end') => {
    try {
      catchUp()
      if (m !== 'end') return
      // One segment out of the build's dozen or so (while the loader builds its B-tree indexes): a search then reads
      // one doclist per trigram instead of one per segment, and tokens_fts's own automerge, which runs on the
      // row-by-row writes after the load, finds no stack of large segments to merge.
      mem.exec("INSERT INTO fts (fts) VALUES ('optimize')")
      const data = packRows(mem.prepare<[], unknown[]>('SELECT id, block FROM fts_data').raw().all(), 2, 1)
      const idx = packRows(mem.prepare<[], unknown[]>('SELECT segid, term, pgno FROM fts_idx').raw().all(), 3, 1)
      mem.close()
      parentPort!.postMessage({ rows, data, idx }, [...transferList(data), ...transferList(idx)])
      parentPort!.close()
    } catch (e) {
      fail(e)
    }
  })
} catch (e) {
  fail(e)
}
