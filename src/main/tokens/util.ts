import type { BlockList } from 'node:net'
import { fail } from '../../shared/errors'
import { MAX_UNIX_MS } from '../../shared/contract/fields'
import type { Database } from 'better-sqlite3'
import type { SecretStore } from '../secrets'
import { assertVersion, removeWithSecrets } from '../secrets/rotate'

const DAY_MS = 86_400_000
/** The UTC dates xduaStamp has formatted: a page repeats few dates, so only the time of day is computed per stamp. */
const stampDays = new Map<number, string>()

/** xdua's stamp form `2020-01-20 02:19:55` (UTC). */
export function xduaStamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS)
  let date = stampDays.get(day)
  if (date === undefined) {
    if (stampDays.size >= 4096) stampDays.clear()
    date = new Date(day * DAY_MS).toISOString().slice(0, 10) // throws RangeError for NaN, as toISOString does
    stampDays.set(day, date)
  }
  const s = Math.floor((ms - day * DAY_MS) / 1000)
  const hh = Math.floor(s / 3600)
  const mm = Math.floor(s / 60) % 60
  const ss = s % 60
  return `${date} ${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}:${ss < 10 ? '0' : ''}${ss}`
}

/**
 * A stored time read into the contract's range (0..MAX): a row written before the ranges existed, or planted in the
 * file, may hold any number, and one such row must not fail a whole page. Out-of-range values are clamped (a
 * non-number reads as 0); `clamped` says so, and token records list such fields in `outOfRange`.
 */
export function clampTime(v: unknown, max: number): { value: number; clamped: boolean } {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { value: 0, clamped: true }
  if (v < 0) return { value: 0, clamped: true }
  if (v > max) return { value: max, clamped: true }
  return Number.isInteger(v) ? { value: v, clamped: false } : { value: Math.floor(v), clamped: true }
}

/** ISO form of a stored epoch-ms time (null stays null), clamped into range as clampTime says. */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(clampTime(ms, MAX_UNIX_MS).value).toISOString()
}

/** An expiry given as UNIX seconds, an ISO date/time, or nothing; returns UNIX seconds (0 = never). */
export function toUnixSeconds(v: number | string | undefined, path: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'number') return v
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) fail('VALIDATION', `${path}: not a date`, { path, rule: 'date' })
  return Math.floor(ms / 1000)
}

/** node:net, loaded by the first address check: a command that checks none (a count, a page) does not load it. */
const net = () => process.getBuiltinModule('node:net')

function splitList(s: string): string[] {
  return s.split(/[,\s]+/).filter(Boolean)
}

/** Parses an `ipm` allow-list (seed 002: `*` or IPs/CIDRs) into a node:net BlockList; null means any address. */
export function parseIpm(ipm: string, path = 'ipm'): BlockList | null {
  if (ipm.trim() === '*') return null
  const { BlockList, isIP } = net()
  const list = new BlockList()
  for (const item of splitList(ipm)) {
    const [addr, prefix, extra] = item.split('/')
    const family = isIP(addr)
    const bad = () =>
      fail(
        'VALIDATION',
        `${path}: "${item}" is not an IP address or CIDR block (ipm is \`*\` or a list of IPs/CIDRs)`,
        {
          path,
          rule: 'ip-or-cidr'
        }
      )
    if (!family || extra !== undefined) bad()
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (prefix === undefined) list.addAddress(addr, type)
    else {
      const n = Number(prefix)
      if (!/^\d{1,3}$/.test(prefix) || n > (family === 4 ? 32 : 128)) bad()
      list.addSubnet(addr, n, type)
    }
  }
  return list
}

export function ipAllowed(ipm: string, ip: string): { ok: boolean; detail: string } {
  const list = parseIpm(ipm)
  if (!list) return { ok: true, detail: 'any IP (`*`)' }
  const family = net().isIP(ip)
  if (!family) return { ok: false, detail: `"${ip}" is not an IP address` }
  const ok = list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  return { ok, detail: ok ? `${ip} is in the allow-list` : `${ip} is not in the allow-list ${ipm}` }
}

export function deviceAllowed(dvm: string, device: string): { ok: boolean; detail: string } {
  if (dvm.trim() === '*') return { ok: true, detail: 'any device (`*`)' }
  const ok = splitList(dvm).includes(device)
  return { ok, detail: ok ? `${device} is in the allow-list` : `${device} is not in the allow-list ${dvm}` }
}

/** Opaque keyset cursors: base64url JSON of the sort, direction, last sort value and last row id. */
export function encodeCursor(c: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

export function decodeCursor<T>(s: string, check: (v: Record<string, unknown>) => boolean): T {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>
    if (v && typeof v === 'object' && check(v)) return v as T
  } catch {
    // fall through
  }
  return fail('VALIDATION', 'cursor: not a cursor of this query (start again without --after)', {
    path: 'cursor',
    rule: 'cursor'
  })
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** Runs a write whose unique name index may refuse it, and turns that refusal into a VALIDATION error on `name`. */
export function uniqueName<T>(name: string | undefined, run: () => T, rule = 'names are unique'): T {
  try {
    return run()
  } catch (e) {
    if (isUniqueViolation(e)) fail('VALIDATION', `name: "${name}" is taken (${rule})`, { path: 'name', rule: 'unique' })
    throw e
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The name-sorted, versioned app tables (access tokens, SSO apps): table names are ours, never user input. */
type AppTable = 'access_tokens' | 'sso_apps'

/** The columns every app table has: identity, the optimistic lock, and the marks of a copy pulled from a server. */
export interface AppRowBase {
  id: string
  name: string
  created: number
  updated: number
  version: number
  origin_connection_id: string | null
  remote_id: string | null
  pulled_at: number | null
}

/** What every app record shows of its row besides its own fields: times, the lock's version, a pulled copy's origin. */
export function appRecordBase(r: AppRowBase) {
  return {
    created: iso(r.created) as string,
    updated: iso(r.updated) as string,
    version: r.version,
    origin: r.origin_connection_id
      ? { connectionId: r.origin_connection_id, remoteId: r.remote_id, pulledAt: iso(r.pulled_at) }
      : null
  }
}

/** Only local app rows change, and only at the version the caller read; `label` names the row in the refusal. */
export function guardAppRow(label: string, row: AppRowBase, version: number): void {
  if (row.origin_connection_id !== null)
    fail('READ_ONLY', `${label} is a copy pulled from a server: change it there, then pull again`, { id: row.id })
  assertVersion(label, version, row.version, { id: row.id })
}

/** Writes `sets` to one app row, stamping `updated` and bumping `version` (the optimistic lock's counter). */
export function updateAppRow(
  db: Database,
  table: AppTable,
  id: string,
  sets: Record<string, unknown>,
  now: number
): void {
  const cols = Object.keys(sets)
  db.prepare(
    `UPDATE ${table} SET ${cols.map((c) => `${c} = @${c}, `).join('')}updated = @now__, version = version + 1 WHERE id = @id__`
  ).run({
    ...sets,
    now__: now,
    id__: id
  })
}

/**
 * Deletes one app row, then its keychain items (removeWithSecrets). `recheck` runs inside the write transaction, so a
 * writer whose version went stale meanwhile deletes nothing.
 */
export function deleteAppRow(
  db: Database,
  secrets: SecretStore,
  table: AppTable,
  id: string,
  accounts: Array<string | null>,
  recheck: () => void
): Promise<void> {
  return removeWithSecrets(secrets, accounts, () =>
    db
      .transaction(() => {
        recheck()
        db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id)
      })
      .immediate()
  )
}

/**
 * One keyset page of a name-sorted table (access tokens, SSO apps): substring filter on name, cursor (name, id),
 * no OFFSET. The table name is one of ours, never user input.
 */
export function pageByName<Row extends { name: string; id: string }>(
  db: Database,
  table: AppTable,
  q: { limit: number; search?: string; cursor?: string }
): { rows: Row[]; nextCursor: string | null } {
  const where: string[] = []
  const args: Record<string, unknown> = { limit: q.limit + 1 }
  if (q.search) {
    where.push("name LIKE @like ESCAPE '\\'")
    args.like = `%${escapeLike(q.search)}%`
  }
  if (q.cursor) {
    const c = decodeCursor<{ n: string; i: string }>(
      q.cursor,
      (v) => typeof v.n === 'string' && typeof v.i === 'string'
    )
    where.push('(name > @cn OR (name = @cn AND id > @ci))')
    args.cn = c.n
    args.ci = c.i
  }
  const found = db
    .prepare(
      `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name, id LIMIT @limit`
    )
    .all(args) as Row[]
  const rows = found.slice(0, q.limit)
  const last = rows[rows.length - 1]
  return { rows, nextCursor: found.length > q.limit && last ? encodeCursor({ n: last.name, i: last.id }) : null }
}
