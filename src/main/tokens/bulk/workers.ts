import { Worker } from 'node:worker_threads'
import { workerEntry } from '../../core/worker-entry'

/** The store's worker threads, each an input of its own in electron.vite.config.ts (built as out/main/<name>.js). */
export type StoreWorker = 'fts-worker' | 'count-worker' | 'checkpoint-worker'

/**
 * A store's worker thread (the search-index, count and checkpoint workers, all in this folder): started with the
 * store's file and the better_sqlite3.node it was opened with; null when no entry exists.
 */
export function startStoreWorker(name: StoreWorker, store: { dbFile: string; nativeBinding?: string }): Worker | null {
  const entry = workerEntry(name, __dirname)
  return entry ? new Worker(entry.file, { eval: Boolean(entry.eval), workerData: store }) : null
}
