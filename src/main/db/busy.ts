import { setTimeout as sleep } from 'node:timers/promises'
import { AppError } from '../../shared/errors'

/**
 * SQLite's own wait for a lock (PRAGMA busy_timeout) holds the thread that asked, and in this app that thread serves
 * the window or the web mode: it stays short, and longer waits happen here, between event-loop turns (retryBusy).
 */
export const BUSY_TIMEOUT_MS = 50
/** How long retryBusy keeps trying before it answers BUSY. */
const BUSY_WAIT_MS = 10_000
const FIRST_DELAY_MS = 10
const MAX_DELAY_MS = 250
/** What a BUSY answer suggests to a script: try again after this long. */
const RETRY_AFTER_MS = 1000

/** SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT, BUSY_RECOVERY ...), and a lock held by this process's own other connection. */
export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}

/** The coded answer for a store another writer holds: BUSY with a retry hint, `reason` saying why when known. */
export function busyError(reason?: string | null): AppError {
  const why = reason ?? 'another process is writing to the store'
  return new AppError('BUSY', `The store is busy (${why}): retry in a moment`, {
    retryAfterMs: RETRY_AFTER_MS,
    ...(reason ? { reason } : {})
  })
}

export interface RetryBusyOptions {
  /** Total time to keep retrying (default BUSY_WAIT_MS). */
  waitMs?: number
  /** Why the store is busy, asked once the wait is over (a bulk load or a repair names itself). */
  reason?: () => string | null
}

/**
 * Runs `fn`, and again after a growing pause (10 ms doubling to 250 ms, with jitter) while it fails with SQLITE_BUSY;
 * after `waitMs` the answer is BUSY. `fn` must change nothing when it fails busy (a transaction that did not begin).
 */
export async function retryBusy<T>(fn: () => T | Promise<T>, opts: RetryBusyOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.waitMs ?? BUSY_WAIT_MS)
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await fn()
    } catch (e) {
      if (!isSqliteBusy(e)) throw e
      if (Date.now() >= deadline) throw busyError(safeReason(opts.reason))
    }
    await sleep(Math.min(delay * (0.5 + Math.random()), Math.max(0, deadline - Date.now())))
  }
}

function safeReason(reason: (() => string | null) | undefined): string | null {
  try {
    return reason?.() ?? null
  } catch {
    return null
  }
}
