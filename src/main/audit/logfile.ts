import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { redactText } from './redact'

export const LOG_DIR = 'logs'
export const LOG_FILE = 'tokendesk.log'

/** A log a user can attach to a bug report: internal failures with their stacks, refused IPC senders. */
export interface ErrorLog {
  readonly file: string
  /** Appends one entry, redacted; never throws, since a log that cannot be written must not fail the operation. */
  write(level: 'error' | 'warn', message: string, error?: unknown): void
}

function describe(e: unknown, depth = 0): string {
  if (!(e instanceof Error)) return String(e)
  const text = e.stack ?? `${e.name}: ${e.message}`
  return depth < 3 && e.cause !== undefined ? `${text}\nCaused by: ${describe(e.cause, depth + 1)}` : text
}

/**
 * `<dir>/tokendesk.log`, created on first write (folder 0700, file 0600), rotated before it would pass `maxBytes`:
 * the current file plus `keep - 1` older ones (`.1` newest), so the log never holds more than keep × maxBytes.
 */
export function createErrorLog(
  dir: string,
  opts: { maxBytes?: number; keep?: number; now?: () => number } = {}
): ErrorLog {
  const maxBytes = opts.maxBytes ?? 1024 * 1024
  const keep = Math.max(1, opts.keep ?? 3)
  const now = opts.now ?? Date.now
  const file = join(dir, LOG_FILE)

  const sizeOf = (f: string) => {
    try {
      return statSync(f).size
    } catch {
      return 0
    }
  }
  const rotate = () => {
    rmSync(`${file}.${keep - 1}`, { force: true })
    for (let i = keep - 2; i >= 1; i--) if (sizeOf(`${file}.${i}`) > 0) renameSync(`${file}.${i}`, `${file}.${i + 1}`)
    if (keep > 1) renameSync(file, `${file}.1`)
    else rmSync(file, { force: true })
  }

  return {
    file,
    write(level, message, error) {
      try {
        const body = redactText(`${message}${error === undefined ? '' : `\n${describe(error)}`}`)
        let entry = Buffer.from(`${new Date(now()).toISOString()} ${level.toUpperCase()} ${body}\n`)
        // One entry never passes the cap on its own: a huge stack is cut, not allowed to grow the file.
        if (entry.length > maxBytes)
          entry = Buffer.concat([entry.subarray(0, Math.max(0, maxBytes - 4)), Buffer.from('…\n')])
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        const size = sizeOf(file)
        if (size > 0 && size + entry.length > maxBytes) rotate()
        const fd = openSync(file, 'a', 0o600)
        try {
          fchmodSync(fd, 0o600)
          writeSync(fd, entry)
        } finally {
          closeSync(fd)
        }
      } catch {
        // Nowhere left to report a failing log: the operation's own answer still stands.
      }
    }
  }
}
