import { closeSync, existsSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { AppError, fail } from '../../shared/errors'
import { CLAIM_FIELDS, type TokenExportResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import { tokenRow, tokenSelect, type TokenRow } from './row'

const PAGE = 5000

/** The CSV columns: one lifecycle token per row, secrets never among them (the store holds none). */
export const CSV_COLUMNS = ['id', 'name', 'brief', 'avatar', ...CLAIM_FIELDS, 'state', 'stato', 'published', 'inBin', 'expire', 'alg', 'keyName', 'creator', 'updater', 'cstamp', 'istamp', 'version'] as const

/**
 * RFC 4180 quoting; a text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, OWASP's advice against CSV injection.
 */
export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return ''
  if (typeof v !== 'string') return String(v)
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csvRow(r: TokenRow): string {
  const cells: Array<string | number | boolean | null> = [
    r.id,
    r.name,
    r.brief,
    r.avatar,
    ...CLAIM_FIELDS.map((f) => r[f]),
    r.state === 1 ? 'disabled' : 'enabled',
    r.stato,
    r.published === 1,
    r.deleted_at !== null,
    r.expire ? new Date(r.expire * 1000).toISOString() : '',
    r.alg,
    r.key_ref,
    r.creator,
    r.updater,
    new Date(r.cstamp).toISOString(),
    new Date(r.istamp).toISOString(),
    r.version
  ]
  return cells.map(csvCell).join(',')
}

/** The lifecycle tokens as CSV (a header row, CRLF lines), written beside the file and renamed when whole. */
export async function exportTokensCsv(deps: CoreDeps, file: string, overwrite: boolean, ctx: JobContext): Promise<TokenExportResult> {
  if (existsSync(file) && !overwrite) fail('IO', `${file} exists: choose another file or pass overwrite`, { path: 'file' })
  const tmp = `${file}.partial`
  let fd: number
  try {
    rmSync(tmp, { force: true })
    fd = openSync(tmp, 'wx', 0o600)
    fchmodSync(fd, 0o600)
  } catch {
    return fail('IO', `Cannot write ${file}`, { path: 'file' })
  }
  const counts = { tokens: 0, accessTokens: 0, ssoApps: 0 }
  try {
    const total = (deps.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    const page = deps.db.prepare<[number, number], unknown[]>(`SELECT ${tokenSelect()} FROM tokens WHERE rid > ? ORDER BY rid LIMIT ?`).raw()
    writeSync(fd, `${CSV_COLUMNS.join(',')}\r\n`)
    let after = 0
    for (;;) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
      const rows = page.all(after, PAGE).map(tokenRow)
      if (!rows.length) break
      writeSync(fd, rows.map(csvRow).join('\r\n') + '\r\n')
      counts.tokens += rows.length
      after = rows[rows.length - 1].rid
      ctx.progress(counts.tokens, total)
      await yieldToLoop()
    }
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
    return fail('IO', `Cannot write ${file}`, { path: 'file' })
  }
  return { file, counts, secretsExcluded: true }
}
