import type { Worker } from 'node:worker_threads'
import type { Db } from '../db'
import { startStoreWorker } from './bulk/workers'

/**
 * Runs single-number read statements (counts) on count-worker's own connection, started on first use; in this thread
 * when the store is in memory or no worker entry exists. The worker holds the process alive only while a count is
 * pending (a CLI call waits for its answer; an idle console does not keep a finished process running).
 */
export function createReader(db: Db, opts: { nativeBinding?: string } = {}) {
  let worker: Worker | null = null
  let broken = db.memory
  let seq = 0
  const pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>()
  const local = new Map<string, ReturnType<typeof db.prepare>>()

  function here(sql: string, args: Record<string, unknown>): number {
    let s = local.get(sql)
    if (!s) local.set(sql, (s = db.prepare(sql).pluck()))
    return s.get(args) as number
  }

  function rejectPending(): void {
    for (const [id, p] of [...pending]) {
      pending.delete(id)
      p.reject(new Error('count worker stopped'))
    }
  }

  function start(): Worker | null {
    if (worker || broken) return worker
    const w = startStoreWorker('count-worker', { dbFile: db.name, nativeBinding: opts.nativeBinding })
    if (!w) {
      broken = true
      return null
    }
    w.unref()
    w.on('message', (m: { id: number; n?: number; error?: string }) => {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      if (pending.size === 0) w.unref()
      if (m.error !== undefined) p.reject(new Error(m.error))
      else p.resolve(m.n!)
    })
    // A worker that fails (cannot load, cannot open the file) hands its pending counts back to this thread, which then
    // counts for good: a count is never lost to the worker.
    const fallBack = () => {
      if (worker !== w) return
      worker = null
      broken = true
      rejectPending()
    }
    w.on('error', fallBack)
    w.on('exit', fallBack)
    worker = w
    return w
  }

  return {
    /** The statement's single number: on the worker when there is one, else here. */
    async get(sql: string, args: Record<string, unknown>): Promise<number> {
      const w = start()
      if (!w) return here(sql, args)
      const id = ++seq
      const answer = new Promise<number>((resolve, reject) => pending.set(id, { resolve, reject }))
      w.ref()
      w.postMessage({ id, sql, args })
      try {
        return await answer
      } catch (e) {
        // The worker stopped: count here. A statement the worker refused is refused here too, with SQLite's own error.
        if (worker === null) return here(sql, args)
        throw e
      }
    },
    /** Whether counts run on the worker (for tests). */
    get offThread(): boolean {
      return start() !== null
    },
    close(): void {
      const w = worker
      worker = null
      broken = true
      // Pending counts end here: against a closed store they fail with better-sqlite3's own error, not hang.
      rejectPending()
      if (w) void w.terminate()
    }
  }
}

export type Reader = ReturnType<typeof createReader>
