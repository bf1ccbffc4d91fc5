import type { z } from 'zod'
import { fail } from '../../shared/errors'
import type {
  FindingRuleId,
  InventoryCounts,
  InventoryFilter,
  InventoryKind,
  InventoryPage,
  InventoryRow
} from '../../shared/contract/inventory'
import { FINDING_RULE_IDS } from '../../shared/contract/inventory'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db'
import { BIN_KEY_SPLIT } from '../tokens/schema'
import { ruleById, RULES, timeFindings } from './findings'
import { mergeSorted as mergeArms } from './merge'

export type Filter = z.output<typeof InventoryFilter>

/** One sorted source of rows: the inventory merges them by (expiry, kind, ord), never-expiring rows last. */
interface Arm {
  kind: InventoryKind
  /** Order of kinds among rows with the same expiry. */
  k: number
  /** SQL of the expiry in epoch seconds (null: the arm holds rows without one). */
  e: string | null
  from: string
  where: string
  ord: string
  select: string
  /** Whether the time rules apply (rows with an expiry), and the SQL of "enabled or published". */
  active?: string
}

const TOKEN_SELECT = `r.name, r.id, r.remote_id, r.origin_connection_id AS conn, r.pulled_at,
  iif(r.published, r.stato || ', published', r.stato) AS state, (r.state = 0 OR r.published = 1) AS active`
const ACCESS_SELECT =
  'r.name, r.id, r.remote_id, r.origin_connection_id AS conn, r.pulled_at, NULL AS state, 0 AS active'

const ARMS: Arm[] = [
  {
    kind: 'token',
    k: 0,
    e: 'r.k_expire',
    from: 'tokens r INDEXED BY tokens_by_expire',
    where: `r.k_expire > 0 AND r.k_expire < ${BIN_KEY_SPLIT}`,
    ord: 'r.rid',
    select: TOKEN_SELECT,
    active: '(r.state = 0 OR r.published = 1)'
  },
  {
    kind: 'access-token',
    k: 1,
    e: 'unixepoch(r.expires)',
    from: 'access_tokens r',
    // A range, not IS NOT NULL: the expiry index seeks past the never-expiring rows instead of scanning them.
    where: 'unixepoch(r.expires) > -1e999',
    ord: 'r.rowid',
    select: ACCESS_SELECT,
    active: '0'
  },
  {
    kind: 'token',
    k: 0,
    e: null,
    from: 'tokens r INDEXED BY tokens_by_expire',
    where: 'r.k_expire = 0',
    ord: 'r.rid',
    select: TOKEN_SELECT
  },
  {
    kind: 'access-token',
    k: 1,
    e: null,
    from: 'access_tokens r',
    where: 'unixepoch(r.expires) IS NULL',
    ord: 'r.rowid',
    select: ACCESS_SELECT
  },
  {
    kind: 'sso-app',
    k: 2,
    e: null,
    from: 'sso_apps r',
    where: '1',
    ord: 'r.rowid',
    select:
      "r.name, r.id, r.remote_id, r.origin_connection_id AS conn, r.pulled_at, iif(r.enable, 'enabled', 'disabled') AS state, 0 AS active"
  },
  {
    kind: 'key',
    k: 3,
    e: null,
    from: 'keys r',
    where: '1',
    ord: 'r.rowid',
    select:
      "r.name, r.kid AS id, NULL AS remote_id, NULL AS conn, NULL AS pulled_at, iif(r.private_ref IS NULL, 'public', 'private') AS state, 0 AS active"
  }
]
/** Kinds whose rows can never expire by nature (no never-expires finding). */
const NO_EXPIRY: InventoryKind[] = ['sso-app', 'key']

type Cursor = [number | null, number, number]
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as Cursor
    if (
      Array.isArray(c) &&
      c.length === 3 &&
      (c[0] === null || Number.isFinite(c[0])) &&
      Number.isInteger(c[1]) &&
      Number.isInteger(c[2])
    )
      return c
  } catch {
    /* fall through */
  }
  fail('VALIDATION', 'cursor: not a cursor this inventory returned', { path: 'cursor' })
}

interface RawRow {
  name: string
  id: string
  remote_id: string | null
  conn: string | null
  pulled_at: number | null
  state: string | null
  active: number
  e: number | null
  ord: number
  rules: string | null
}

/** The findings key of an arm's row (text, like token_findings.ref). */
const refOf = (a: Arm) => (a.kind === 'token' ? 'CAST(r.rid AS TEXT)' : a.kind === 'key' ? 'r.kid' : 'r.id')

/** The arm's WHERE for a filter, or null when the filter excludes the arm. */
function armWhere(a: Arm, f: Filter, conn: string | null | undefined): string | null {
  const w = [a.where]
  if (f.kind && f.kind !== a.kind) return null
  if (conn !== undefined) {
    if (a.kind === 'key' && conn !== null) return null
    if (a.kind !== 'key') w.push(conn === null ? 'r.origin_connection_id IS NULL' : 'r.origin_connection_id = @conn')
  }
  const timed = f.expiringWithin !== undefined || f.expired || (f.rule && ruleById(f.rule)?.time)
  if (timed && a.e === null) return null
  if (f.neverExpires && (a.e !== null || NO_EXPIRY.includes(a.kind))) return null
  if (f.expiringWithin !== undefined) w.push(`${a.e} >= @now AND ${a.e} < @until`)
  if (f.expired) w.push(`${a.e} < @now`)
  const exists = (rule?: string) =>
    `EXISTS (SELECT 1 FROM token_findings f WHERE f.kind = '${a.kind}' AND f.ref = ${refOf(a)}${rule ? ` AND f.rule = '${rule}'` : ''})`
  const soon = a.e ? `(${a.e} >= @now AND ${a.e} < @windowEnd)` : '0'
  const expiredActive = a.e ? `(${a.e} < @now AND ${a.active})` : '0'
  if (f.rule === 'expires-soon') w.push(soon)
  else if (f.rule === 'expired-active') w.push(expiredActive)
  else if (f.rule) w.push(exists(f.rule))
  if (f.findings) w.push(`(${exists()} OR ${soon} OR ${expiredActive})`)
  return w.join(' AND ')
}

const ruleOrder = (x: FindingRuleId, y: FindingRuleId) => FINDING_RULE_IDS.indexOf(x) - FINDING_RULE_IDS.indexOf(y)
const severity = new Map(RULES.map((r) => [r.id, r.severity]))

function toRow(a: Arm, r: RawRow, names: Map<string, string>, now: number, win: number): InventoryRow {
  const findings = (r.rules ? r.rules.split(',') : []) as FindingRuleId[]
  if (a.e !== null) findings.push(...timeFindings(r.e, Boolean(r.active), now, win))
  const state = r.state ?? (r.e !== null && r.e < now ? 'expired' : 'active')
  return {
    kind: a.kind,
    server: r.conn ? (names.get(r.conn) ?? r.conn) : 'local',
    connectionId: r.conn,
    name: r.name,
    id: r.id,
    remoteId: r.remote_id,
    state,
    expiresAt: r.e === null ? null : new Date(r.e * 1000).toISOString(),
    pulledAt: r.pulled_at === null ? null : new Date(r.pulled_at).toISOString(),
    findings: findings.sort(ruleOrder).map((rule) => ({ rule, severity: severity.get(rule)! }))
  }
}

/** An arm's page query for a WHERE (row limit bound as @limit). */
function armSql(a: Arm, where: string): string {
  const order = a.e !== null ? `${a.e}, ${a.ord}` : a.ord
  const rules = `(SELECT group_concat(f.rule) FROM token_findings f WHERE f.kind = '${a.kind}' AND f.ref = ${refOf(a)}) AS rules`
  return `SELECT ${a.select}, ${a.e ?? 'NULL'} AS e, ${a.ord} AS ord, ${rules} FROM ${a.from} WHERE ${where} ORDER BY ${order} LIMIT @limit`
}

/**
 * The arms that may hold a row of this kind, each with the WHERE that finds it by local id. The expiry index hint is
 * dropped so the lookup probes the id index instead of walking the expiry order.
 */
function rowProbes(kind: InventoryKind): Array<{ arm: Arm; probe: Arm; where: string }> {
  return ARMS.filter((a) => a.kind === kind).map((arm) => ({
    arm,
    probe: { ...arm, from: arm.from.replace(/ INDEXED BY \w+/, '') },
    where: `${arm.where} AND ${kind === 'key' ? 'r.kid' : 'r.id'} = @id`
  }))
}

/** The SQL of each probe of a kind (the test reads its query plan). */
export const rowProbeSql = (kind: InventoryKind): string[] => rowProbes(kind).map((p) => armSql(p.probe, p.where))

/** The connection id a server filter names (null: local only); fails when no connection has that name or id. */
function serverIdOf(db: Db, server: string | undefined): string | null | undefined {
  if (server === undefined) return undefined
  if (server === 'local') return null
  const c = db
    .prepare<[string, string], { id: string }>('SELECT id FROM connections WHERE name = ? OR id = ?')
    .get(server, server)
  if (!c) fail('NOT_FOUND', `No connection named ${server}`, { path: 'server' })
  return c.id
}

type Prepared = (sql: string) => Statement<unknown[]>

/** One arm's rows after the cursor, in its own order, read as they are needed (null: none can follow the cursor). */
function armRows(
  prepared: Prepared,
  a: Arm,
  where: string,
  cursor: Cursor | null,
  limit: number,
  params: Record<string, unknown>
): IterableIterator<RawRow> | null {
  let after = ''
  if (cursor) {
    const [ce, ck] = cursor
    if (a.e !== null) {
      if (ce === null) return null
      after = ck < a.k ? ` AND ${a.e} >= @ce` : ck > a.k ? ` AND ${a.e} > @ce` : ` AND (${a.e}, ${a.ord}) > (@ce, @co)`
    } else if (ce === null) {
      if (ck > a.k) return null
      if (ck === a.k) after = ` AND ${a.ord} > @co`
    }
  }
  return prepared(armSql(a, where + after)).iterate({
    ...params,
    limit,
    ce: cursor?.[0] ?? null,
    co: cursor?.[2] ?? null
  }) as IterableIterator<RawRow>
}

export interface InventoryOptions {
  nowMs(): number
  windowSec(): number
}

export function createInventory(db: Db, opts: InventoryOptions) {
  const readConns = db.prepare<[], { id: string; name: string }>('SELECT id, name FROM connections')
  const connNames = () => new Map(readConns.all().map((c) => [c.id, c.name]))
  const stmts = new Map<string, Statement<unknown[]>>()
  const prepared: Prepared = (sql) => {
    let s = stmts.get(sql)
    if (!s) stmts.set(sql, (s = db.prepare<unknown[]>(sql)))
    return s
  }

  const serverId = (server: string | undefined) => serverIdOf(db, server)

  function list(f: Filter & { limit: number; cursor?: string }): InventoryPage {
    const nowMs = opts.nowMs()
    const now = Math.floor(nowMs / 1000)
    const win = opts.windowSec()
    const conn = serverId(f.server)
    const cursor = f.cursor ? decodeCursor(f.cursor) : null
    // Bound, not spliced: the statements stay few and cached whatever the clock and filter values.
    const params = { now, until: now + (f.expiringWithin ?? 0), windowEnd: now + win, conn: conn ?? null }
    const merged: Array<{ a: Arm; r: RawRow }> = []
    // Rows with an expiry sort before every row without one: the arms without are read only when the page has room.
    for (const timed of [true, false]) {
      const want = f.limit + 1 - merged.length
      if (want <= 0) break
      const arms: Array<{ a: Arm; it: IterableIterator<RawRow> }> = []
      for (const a of ARMS) {
        if ((a.e !== null) !== timed) continue
        const where = armWhere(a, f, conn)
        const it = where === null ? null : armRows(prepared, a, where, cursor, f.limit + 1, params)
        if (it) arms.push({ a, it })
      }
      merged.push(...mergeArms(arms, want))
    }
    const page = merged.slice(0, f.limit)
    const names = connNames()
    const last = page[page.length - 1]
    return {
      items: page.map(({ a, r }) => toRow(a, r, names, now, win)),
      nextCursor: merged.length > f.limit && last ? encodeCursor([last.r.e, last.a.k, last.r.ord]) : null,
      at: nowMs,
      windowDays: win / 86400
    }
  }

  /** One row by kind and local id, or null when the store has no such row (a binned token has none). */
  function row(kind: InventoryKind, id: string): InventoryRow | null {
    const now = Math.floor(opts.nowMs() / 1000)
    const win = opts.windowSec()
    for (const { arm, probe, where } of rowProbes(kind)) {
      const [r] = mergeArms([{ a: probe, it: armRows(prepared, probe, where, null, 1, { id })! }], 1)
      if (r) return toRow(arm, r.r, connNames(), now, win)
    }
    return null
  }

  /** Every row a filter selects, page by page (export, the CLI). */
  function* all(f: Filter, pageSize = 1000): Generator<InventoryRow> {
    let cursor: string | undefined
    do {
      const p = list({ ...f, limit: pageSize, cursor })
      yield* p.items
      cursor = p.nextCursor ?? undefined
    } while (cursor)
  }

  /** Live lifecycle tokens with an expiry in [from, to), optionally active only / of one server (index range). */
  function tokenRange(from: number, to: number, activeOnly: boolean, server: string | undefined): number {
    if (to <= from) return 0
    const sql = `SELECT count(*) AS n FROM tokens INDEXED BY tokens_by_expire WHERE k_expire >= ? AND k_expire < ?${activeOnly ? ' AND (state = 0 OR published = 1)' : ''}${server !== undefined ? " AND coalesce(origin_connection_id, '') = ?" : ''}`
    const args: unknown[] = [from, to, ...(server !== undefined ? [server] : [])]
    return (prepared(sql).get(...args) as { n: number }).n
  }
  function bucketSum(fromDay: number, toDay: number, activeOnly: boolean, server: string | undefined): number {
    if (toDay <= fromDay) return 0
    const sql = `SELECT coalesce(sum(n), 0) AS n FROM expiry_buckets WHERE day >= ? AND day < ?${activeOnly ? ' AND active = 1' : ''}${server !== undefined ? ' AND server = ?' : ''}`
    return (prepared(sql).get(fromDay, toDay, ...(server !== undefined ? [server] : [])) as { n: number }).n
  }
  function accessRange(from: number, to: number, server: string | undefined): number {
    const sql = `SELECT count(*) AS n FROM access_tokens WHERE unixepoch(expires) >= ? AND unixepoch(expires) < ?${server !== undefined ? " AND coalesce(origin_connection_id, '') = ?" : ''}`
    return (prepared(sql).get(from, to, ...(server !== undefined ? [server] : [])) as { n: number }).n
  }

  /**
   * Findings counts: static rules from finding_counts (kept by triggers); time rules from the day buckets, with only
   * the two partial days at the edges of a range counted on the expiry index.
   */
  function counts(input: { server?: string }): InventoryCounts {
    const nowMs = opts.nowMs()
    const now = Math.floor(nowMs / 1000)
    const win = opts.windowSec()
    const conn = serverId(input.server)
    const srv = conn === undefined ? undefined : (conn ?? '')
    const byRule = Object.fromEntries(FINDING_RULE_IDS.map((id) => [id, 0])) as Record<FindingRuleId, number>
    const rows = db
      .prepare<unknown[], { rule: FindingRuleId; n: number }>(
        `SELECT rule, sum(n) AS n FROM finding_counts${srv !== undefined ? ' WHERE server = ?' : ''} GROUP BY rule`
      )
      .all(...(srv !== undefined ? [srv] : []))
    for (const r of rows) if (r.rule in byRule) byRule[r.rule] = r.n
    const day = 86400
    const dNow = Math.floor(now / day)
    const end = now + win
    const dEnd = Math.floor(end / day)
    byRule['expires-soon'] =
      (dNow === dEnd
        ? tokenRange(now, end, false, srv)
        : tokenRange(now, (dNow + 1) * day, false, srv) +
          bucketSum(dNow + 1, dEnd, false, srv) +
          tokenRange(dEnd * day, end, false, srv)) + accessRange(now, end, srv)
    byRule['expired-active'] = bucketSum(0, dNow, true, srv) + tokenRange(Math.max(1, dNow * day), now, true, srv)
    let high = 0
    let warning = 0
    for (const r of RULES) {
      if (r.severity === 'high') high += byRule[r.id]
      else warning += byRule[r.id]
    }
    return { at: nowMs, windowDays: win / day, byRule, high, warning }
  }

  return { list, all, row, counts }
}

export type Inventory = ReturnType<typeof createInventory>
