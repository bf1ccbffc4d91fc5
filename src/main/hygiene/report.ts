import type { InventoryRow } from '../../shared/contract/inventory'
import { csvCell } from '../csv'

const CSV_COLUMNS = [
  'kind',
  'server',
  'name',
  'id',
  'remote_id',
  'state',
  'expires_at',
  'pulled_at',
  'findings'
] as const

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`
}

export function csvLine(r: InventoryRow): string {
  return `${[r.kind, r.server, r.name, r.id, r.remoteId, r.state, r.expiresAt, r.pulledAt, r.findings.map((f) => f.rule).join(';')].map(csvCell).join(',')}\r\n`
}

export function toCsv(rows: Iterable<InventoryRow>): { text: string; rows: number } {
  let text = csvHeader()
  let n = 0
  for (const r of rows) {
    text += csvLine(r)
    n++
  }
  return { text, rows: n }
}
