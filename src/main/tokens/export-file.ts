import { closeSync, existsSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { AppError, fail } from '../../shared/errors'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import { tokenRow, tokenSelect, type TokenRow } from './row'

const EXPORT_PAGE = 5_000

/**
 * Writes an export beside `file` and renames it when whole: a killed export leaves no torn file under the final name,
 * and the leftover temporary is removed by the next export to that name. Owner-only (0600) from the start.
 */
export async function writeWhole(
  file: string,
  overwrite: boolean,
  write: (fd: number) => Promise<void>
): Promise<void> {
  if (existsSync(file) && !overwrite)
    fail('IO', `${file} exists: choose another file or pass overwrite`, { path: 'file' })
  const tmp = `${file}.partial`
  let fd: number
  try {
    rmSync(tmp, { force: true })
    fd = openSync(tmp, 'wx', 0o600)
    fchmodSync(fd, 0o600)
  } catch {
    return fail('IO', `Cannot write ${file}`, { path: 'file' })
  }
  try {
    await write(fd)
    closeSync(fd)
    renameSync(tmp, file)
  } catch (e) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true })
    if (e instanceof AppError) throw e
    fail('IO', `Cannot write ${file}`, { path: 'file' })
  }
}

/**
 * Writes every lifecycle token, in rowid order and pages, as `format` makes each page's text; cancellable between
 * pages, reporting progress, yielding to the event loop. Returns how many rows it wrote.
 */
export async function writeTokenPages(
  deps: CoreDeps,
  fd: number,
  ctx: JobContext,
  format: (rows: TokenRow[]) => string
): Promise<number> {
  const total = (deps.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
  const page = deps.db
    .prepare<[number, number], unknown[]>(`SELECT ${tokenSelect()} FROM tokens WHERE rid > ? ORDER BY rid LIMIT ?`)
    .raw()
  let written = 0
  let after = 0
  for (;;) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
    const rows = page.all(after, EXPORT_PAGE).map(tokenRow)
    if (!rows.length) break
    writeSync(fd, format(rows))
    written += rows.length
    after = rows[rows.length - 1].rid
    ctx.progress(written, total)
    await yieldToLoop()
  }
  return written
}
