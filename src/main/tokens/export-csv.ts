import { writeSync } from 'node:fs'
import { CLAIM_FIELDS, type TokenExportResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { TokenRow } from './row'
import { writeTokenPages, writeWhole } from './export-file'
import { csvCell } from '../csv'

/** The CSV columns: one lifecycle token per row, secrets never among them (the store holds none). */
export const CSV_COLUMNS = [
  'id',
  'name',
  'brief',
  'avatar',
  ...CLAIM_FIELDS,
  'state',
  'stato',
  'published',
  'inBin',
  'expire',
  'alg',
  'keyName',
  'creator',
  'updater',
  'cstamp',
  'istamp',
  'version'
] as const

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
export async function exportTokensCsv(
  deps: CoreDeps,
  file: string,
  overwrite: boolean,
  ctx: JobContext
): Promise<TokenExportResult> {
  const counts = { tokens: 0, accessTokens: 0, ssoApps: 0 }
  await writeWhole(file, overwrite, async (fd) => {
    writeSync(fd, `${CSV_COLUMNS.join(',')}\r\n`)
    counts.tokens = await writeTokenPages(deps, fd, ctx, (rows) => rows.map(csvRow).join('\r\n') + '\r\n')
  })
  return { file, counts, secretsExcluded: true }
}
