import { createHash } from 'node:crypto'
import type { Db } from '../db'
import type { InventoryKind } from '../../shared/contract/inventory'
import { staticRulesFor } from './findings'

/** Where each inventory kind lives and how a findings row names it. */
const SOURCES: Record<InventoryKind, { table: string; ref: string; server: string; watched: string }> = {
  token: {
    table: 'tokens',
    // Text like the findings key column, so lookups by a row's rid can use its primary key.
    ref: 'CAST(r.rid AS TEXT)',
    server: "coalesce(r.origin_connection_id, '')",
    watched: 'expire, state, published, deleted_at, claims, origin_connection_id'
  },
  'access-token': {
    table: 'access_tokens',
    ref: 'r.id',
    server: "coalesce(r.origin_connection_id, '')",
    watched: 'permissions, expires, origin_connection_id'
  },
  'sso-app': {
    table: 'sso_apps',
    ref: 'r.id',
    server: "coalesce(r.origin_connection_id, '')",
    watched: 'algorithm, secret_ref, inituser, initroles, origin_connection_id'
  },
  key: { table: 'keys', ref: 'r.kid', server: "''", watched: 'alg, kty, public_jwk, private_ref' }
}
const KINDS = Object.keys(SOURCES) as InventoryKind[]

const as = (sql: string, row: 'new' | 'old') => sql.replace(/\br\./g, `${row}.`)

/** The findings of one row (`new` or `old`) as a WHERE over token_findings. */
const ownFindings = (kind: InventoryKind, row: 'new' | 'old') =>
  `kind = '${kind}' AND ref = ${as(SOURCES[kind].ref, row)}`

/** A row's static findings inserted, then counted here: no trigger runs per finding. */
function insertFindings(kind: InventoryKind, row: 'new' | 'old'): string {
  const s = SOURCES[kind]
  return [
    ...staticRulesFor(kind).map(
      (r) =>
        `INSERT INTO token_findings (kind, ref, rule, server) SELECT '${kind}', ${as(s.ref, row)}, '${r.id}', ${as(s.server, row)} WHERE ${as(r.sql, row)};`
    ),
    `INSERT INTO finding_counts (rule, server, n) SELECT rule, server, 1 FROM token_findings WHERE ${ownFindings(kind, row)} ON CONFLICT (rule, server) DO UPDATE SET n = n + 1;`
  ].join('\n  ')
}

/** A row's findings uncounted, then deleted. */
function deleteFindings(kind: InventoryKind, row: 'old'): string {
  return [
    `UPDATE finding_counts SET n = n - 1 WHERE (rule, server) IN (SELECT rule, server FROM token_findings WHERE ${ownFindings(kind, row)});`,
    `DELETE FROM token_findings WHERE ${ownFindings(kind, row)};`
  ].join('\n  ')
}

/** Day buckets of live lifecycle tokens by expiry: one more (+1) or one less (-1) for a row's bucket. */
function bucket(row: 'new' | 'old', delta: 1 | -1): string {
  const cond = `${row}.expire > 0 AND ${row}.deleted_at IS NULL`
  const key = `${row}.expire / 86400, coalesce(${row}.origin_connection_id, ''), (${row}.state = 0 OR ${row}.published = 1)`
  if (delta === 1)
    return `INSERT INTO expiry_buckets (day, server, active, n) SELECT ${key}, 1 WHERE ${cond} ON CONFLICT (day, server, active) DO UPDATE SET n = n + 1;`
  return `UPDATE expiry_buckets SET n = n - 1 WHERE ${cond} AND (day, server, active) = (${key});`
}

/**
 * The triggers that keep token_findings, finding_counts and expiry_buckets in step with the four tables. Only they
 * write token_findings (and rebuildFindings, which recounts), so they keep finding_counts too.
 */
function hygieneTriggers(): { names: string[]; sql: string } {
  const names: string[] = []
  const parts: string[] = []
  const add = (name: string, body: string) => {
    names.push(name)
    parts.push(`CREATE TRIGGER ${name} ${body}`)
  }
  for (const kind of KINDS) {
    const s = SOURCES[kind]
    const t = s.table
    const del = (row: 'old') => deleteFindings(kind, row)
    const extraIns = kind === 'token' ? bucket('new', 1) : ''
    const extraDel = kind === 'token' ? bucket('old', -1) : ''
    add(`hyg_${t}_ai`, `AFTER INSERT ON ${t} BEGIN\n  ${insertFindings(kind, 'new')}\n  ${extraIns}\nEND;`)
    add(`hyg_${t}_ad`, `AFTER DELETE ON ${t} BEGIN\n  ${del('old')}\n  ${extraDel}\nEND;`)
    add(
      `hyg_${t}_au`,
      `AFTER UPDATE OF ${s.watched} ON ${t} BEGIN\n  ${del('old')}\n  ${insertFindings(kind, 'new')}\n  ${extraDel}\n  ${extraIns}\nEND;`
    )
  }
  return { names, sql: parts.join('\n') }
}

/** Recomputes every finding and bucket from the tables, in the caller's transaction. */
export function rebuildFindings(db: Db): void {
  db.exec('DELETE FROM token_findings; DELETE FROM finding_counts; DELETE FROM expiry_buckets;')
  for (const kind of KINDS) {
    const s = SOURCES[kind]
    for (const r of staticRulesFor(kind))
      db.exec(
        `INSERT INTO token_findings (kind, ref, rule, server) SELECT '${kind}', ${s.ref}, '${r.id}', ${s.server} FROM ${s.table} r WHERE ${r.sql}`
      )
  }
  db.exec(`DELETE FROM finding_counts;
INSERT INTO finding_counts (rule, server, n) SELECT rule, server, count(*) FROM token_findings GROUP BY rule, server;
INSERT INTO expiry_buckets (day, server, active, n)
  SELECT expire / 86400, coalesce(origin_connection_id, ''), (state = 0 OR published = 1), count(*) FROM tokens
  WHERE expire > 0 AND deleted_at IS NULL GROUP BY 1, 2, 3;`)
}

/**
 * At every open: the triggers as the rules in findings.ts make them. When the rules changed (or the triggers are
 * missing) they are replaced and every finding recomputed, in one transaction; otherwise this is two reads.
 */
export function ensureHygiene(db: Db): void {
  const { names, sql } = hygieneTriggers()
  const hash = createHash('sha256').update(sql).digest('hex')
  const stored = db.prepare<[], { value: string }>("SELECT value FROM hygiene_meta WHERE key = 'rules'").get()?.value
  const present = db
    .prepare<[], { n: number }>(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'hyg_*'`)
    .get()!.n
  if (stored === hash && present === names.length) return
  try {
    db.transaction(() => {
      const old = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'hyg_*'")
        .all()
      for (const t of old) db.exec(`DROP TRIGGER ${t.name}`)
      db.exec(sql)
      rebuildFindings(db)
      db.prepare(
        "INSERT INTO hygiene_meta (key, value) VALUES ('rules', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
      ).run(hash)
    }).immediate()
  } catch (e) {
    // Another process holds the store: it keeps the old triggers working, and the next open installs the new ones.
    if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e
  }
}
