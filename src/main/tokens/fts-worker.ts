import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { TOKENS_FTS_OPTIONS } from './schema'

// Search-index worker (issue 4, import speed): builds the FTS5 trigram index of a bulk load on the second core while
// the main thread builds the page indexes. It only reads the store, through a connection of its own (WAL: it sees
// every committed batch and never blocks the writer; a mode=ro attach would fail on a WAL store whose -shm it may not
// write), and indexes into a contentless FTS5 table in memory; the segments it returns (the %_data and %_idx rows)
// are what tokens_fts itself would hold, since both tables share one tokenizer and detail level and index the same
// rowids (derived.ts copies them in).
const { dbFile, nativeBinding } = workerData as { dbFile: string; nativeBinding?: string }

try {
  const opts = nativeBinding ? { nativeBinding } : {}
  const mem = new Database(':memory:', opts)
  mem.prepare('ATTACH DATABASE ? AS store').run(dbFile)
  mem.exec(`CREATE VIRTUAL TABLE fts USING fts5(name, brief, content='', ${TOKENS_FTS_OPTIONS})`)
  mem.exec('BEGIN')
  const rows = mem.prepare('INSERT INTO fts (rowid, name, brief) SELECT rid, name, brief FROM store.tokens').run().changes
  mem.exec('COMMIT')
  const data = mem.prepare('SELECT id, block FROM fts_data').raw().all()
  const idx = mem.prepare('SELECT segid, term, pgno FROM fts_idx').raw().all()
  mem.close()
  parentPort!.postMessage({ rows, data, idx })
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) })
}
