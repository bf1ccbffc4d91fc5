import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'

// Count worker (tokens:count): runs the count statements query.ts writes, on a read connection of its own, so a count
// that reads much of a large store (a rare creator walks the whole view's index, a one- or two-letter search tests every
// row with LIKE) never holds up the thread that serves every other call. WAL: it
// reads the last committed state and never blocks the writer. It only answers what it is sent: { id, sql, args } ->
// { id, n } or { id, error }.
const { dbFile, nativeBinding } = workerData as { dbFile: string; nativeBinding?: string }
const db = new Database(dbFile, nativeBinding ? { nativeBinding } : {})
db.pragma('query_only = ON')
db.pragma('busy_timeout = 5000')
const statements = new Map<string, Database.Statement>()

// The reader stops it with terminate() when the store closes.
parentPort!.on('message', (m: { id: number; sql: string; args: Record<string, unknown> }) => {
  try {
    let s = statements.get(m.sql)
    if (!s) statements.set(m.sql, (s = db.prepare(m.sql).pluck()))
    parentPort!.postMessage({ id: m.id, n: s.get(m.args) as number })
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) })
  }
})
