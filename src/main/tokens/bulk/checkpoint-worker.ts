import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'

// Checkpoint worker: copies a store's write-ahead log into the database file on a thread and connection of its own,
// then exits. A bulk load commits its indexes and search index with automatic checkpoints off (derived.ts endBulk) and
// starts this, so the load returns without copying tens of thousands of pages on its own thread. What the load committed is
// complete and readable without it (readers find those pages in the WAL); the checkpoint only moves them. PASSIVE: it
// never waits for and never blocks a reader or a writer, and copies what was committed when it began.
const { dbFile, nativeBinding } = workerData as { dbFile: string; nativeBinding?: string }

try {
  const db = new Database(dbFile, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>
  db.close()
  parentPort!.postMessage(result)
} catch (e) {
  // The store may have been closed and removed meanwhile (a test's cleanup): nothing is lost, the WAL stays valid.
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) })
}
