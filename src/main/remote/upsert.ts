import { randomUUID } from 'node:crypto'
import { AccessTokenLine, CLAIM_FIELDS, SsoAppLine, TokenLine } from '../../shared/contract'
import type { z } from 'zod'
import type { DataforConfig, XduaToken } from '../../shared/contract'
import type { Db } from '../db'
import type { JobContext } from '../jobs'
import type { Derived } from '../tokens/bulk/derived'
import { packClaims } from '../tokens/row'
import { ssoSettings, ssoSettingsArgs } from '../tokens/sso-apps'
import { randomAlnum } from '../ids'
import type { FessItemWithToken } from './fess'

/**
 * The writing half of a pull: each server's records upserted as read-only copies by (origin_connection_id, remote_id),
 * in one transaction; with `prune`, the copies the server no longer has are removed. Column forms: sync.ts.
 */

const xduaStamp = (v: string | null) => {
  if (!v) return 0
  const t = Date.parse(`${v.replace(' ', 'T')}Z`)
  return Number.isNaN(t) ? 0 : t
}
const dateMs = (v: string | null, dflt: number) => {
  if (!v) return dflt
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
  return Number.isNaN(t) ? dflt : t
}

/** A placeholder id for checking a pulled record whose local id is decided when it is written. */
const CHECK_ID = { token: 'Aa000000', row: '00000000-0000-0000-0000-000000000000' }
/**
 * Why a pulled record, in the form the store keeps it, fails the contract's line schema (the one import uses), or null.
 * Such a record is not written: the store holds nothing that add, set or import would refuse.
 */
function refusal(schema: z.ZodType, stored: unknown): string | null {
  const r = schema.safeParse(stored)
  if (r.success) return null
  const issue = r.error.issues[0]
  return `${issue.path.map(String).join('.') || 'record'}: ${issue.message}`
}

/**
 * A connection's pulled rows by server id, read once per write: one query per pull instead of one statement call per
 * record.
 */
function pulledRows<R extends { remote_id: string }>(
  db: Db,
  table: string,
  cols: string,
  connId: string
): Map<string, R> {
  const rows = db
    .prepare<[string], R>(`SELECT remote_id, ${cols} FROM ${table} WHERE origin_connection_id = ?`)
    .all(connId)
  return new Map(rows.map((r) => [r.remote_id, r]))
}

/** Deletes the rows of a connection the server no longer has; with `refColumn`, returns the keychain accounts they named. */
function removeGone(
  db: Db,
  table: string,
  connId: string,
  seen: Set<string>,
  refColumn?: string
): { removed: number; refs: string[] } {
  const ref = refColumn ? `, ${refColumn} AS ref` : ''
  const rows = db
    .prepare<[string], { id: string; remote_id: string; ref?: string | null }>(
      `SELECT id, remote_id${ref} FROM ${table} WHERE origin_connection_id = ?`
    )
    .all(connId)
  const del = db.prepare(`DELETE FROM ${table} WHERE id = ?`)
  let removed = 0
  const refs: string[] = []
  for (const r of rows) {
    if (seen.has(r.remote_id)) continue
    removed += del.run(r.id).changes
    if (r.ref) refs.push(r.ref)
  }
  return { removed, refs }
}

export function upsertFess(
  db: Db,
  connId: string,
  items: FessItemWithToken[],
  refs: Map<string, string>,
  ids: Map<string, string>,
  at: number,
  prune: boolean,
  job: JobContext
) {
  const ins = db.prepare(
    `INSERT INTO access_tokens (id, name, token_ref, parameter_name, permissions, expires, created, updated, version, origin_connection_id, remote_id, pulled_at)
     VALUES (@id, @name, @tokenRef, @parameterName, @perms, @expires, @created, @updated, 1, @connId, @remoteId, @at)`
  )
  const upd = db.prepare(
    `UPDATE access_tokens SET name = @name, token_ref = COALESCE(@tokenRef, token_ref), parameter_name = @parameterName,
     permissions = @perms, expires = @expires, created = @created, updated = @updated, version = version + 1, pulled_at = @at
     WHERE id = @id`
  )
  let inserted = 0
  let updated = 0
  let removed = 0
  const refused: Array<{ remoteId: string; reason: string }> = []
  const used = new Set<string>()
  const replaced: string[] = []
  db.transaction(() => {
    const have = pulledRows<{ remote_id: string; id: string; token_ref: string | null }>(
      db,
      'access_tokens',
      'id, token_ref',
      connId
    )
    items.forEach((it, i) => {
      const perms = it.permissions.join('\n')
      const why = refusal(AccessTokenLine, {
        kind: 'accessToken',
        id: CHECK_ID.row,
        name: it.name,
        parameterName: it.parameterName,
        permissions: perms,
        expires: it.expires,
        created: it.createdTime ?? at,
        updated: it.updatedTime ?? at,
        origin: { connectionId: connId, remoteId: it.id, pulledAt: at }
      })
      if (why) return void refused.push({ remoteId: it.id, reason: why })
      const row = have.get(it.id)
      const tokenRef = refs.get(it.id) ?? null
      if (tokenRef) used.add(tokenRef)
      // The account this row stops naming is read here, in the writing transaction, so each is deleted exactly once.
      if (tokenRef && row?.token_ref && row.token_ref !== tokenRef) replaced.push(row.token_ref)
      // One set of values for the update and the insert; they differ only in how the row is named.
      const values = {
        name: it.name,
        tokenRef,
        parameterName: it.parameterName,
        perms,
        expires: it.expires,
        created: it.createdTime ?? at,
        updated: it.updatedTime ?? at,
        at
      }
      if (row) {
        upd.run({ ...values, id: row.id })
        updated++
      } else {
        ins.run({ ...values, id: ids.get(it.id) ?? randomUUID(), connId, remoteId: it.id })
        inserted++
      }
      if (i % 1000 === 0) job.progress(i)
    })
    if (prune) {
      const gone = removeGone(db, 'access_tokens', connId, new Set(items.map((x) => x.id)), 'token_ref')
      removed = gone.removed
      replaced.push(...gone.refs)
    }
  })()
  job.progress(items.length)
  return { inserted, updated, removed, ...(refused.length ? { refused } : {}), used, replaced }
}

export function upsertDatafor(
  db: Db,
  connId: string,
  items: DataforConfig[],
  keptRefs: Map<string, string>,
  at: number,
  job: JobContext
) {
  const ins = db.prepare(
    `INSERT INTO sso_apps (id, name, token_name, secret_ref, expire, fieldmap, algorithm, enable, inituser, initroles, self_service, created, updated, version,
     origin_connection_id, remote_id, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`
  )
  const upd = db.prepare(
    `UPDATE sso_apps SET name = ?, token_name = ?, secret_ref = ?, expire = ?, fieldmap = ?, algorithm = ?, enable = ?, inituser = ?, initroles = ?,
     self_service = ?, created = ?, updated = ?, version = version + 1, pulled_at = ? WHERE id = ?`
  )
  let inserted = 0
  let updated = 0
  let removed = 0
  const refused: Array<{ remoteId: string; reason: string }> = []
  db.transaction(() => {
    const have = pulledRows<{ remote_id: string; id: string }>(db, 'sso_apps', 'id', connId)
    for (const c of items) {
      const why = refusal(SsoAppLine, {
        kind: 'ssoApp',
        id: CHECK_ID.row,
        name: c.name,
        ...ssoSettings(c),
        signKey: null,
        created: dateMs(c.createdDate, at),
        updated: dateMs(c.lastModifiedDate, at),
        origin: { connectionId: connId, remoteId: c.name, pulledAt: at }
      })
      if (why) {
        refused.push({ remoteId: String(c.name), reason: why })
        continue
      }
      const secretRefValue = keptRefs.get(c.name) ?? null
      const vals = [
        c.name,
        c.tokenName,
        secretRefValue,
        ...ssoSettingsArgs(c),
        c.selfService ? 1 : 0,
        dateMs(c.createdDate, at),
        dateMs(c.lastModifiedDate, at)
      ] as const
      const row = have.get(c.name)
      if (row) {
        upd.run(...vals, at, row.id)
        updated++
      } else {
        ins.run(randomUUID(), ...vals, connId, c.name, at)
        inserted++
      }
    }
    removed = removeGone(db, 'sso_apps', connId, new Set(items.map((x) => x.name))).removed
  })()
  job.progress(items.length)
  return { inserted, updated, removed, ...(refused.length ? { refused } : {}) }
}

export function upsertXdua(
  db: Db,
  derived: Pick<Derived, 'assertWritable'>,
  connId: string,
  items: XduaToken[],
  at: number,
  job: JobContext,
  prune = true
) {
  const ins = db.prepare(
    `INSERT INTO tokens (id, name, brief, avatar, claims, state, stato, published, expire, creator, updater, cstamp, istamp, version,
     origin_connection_id, remote_id, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 1, ?, ?, ?)`
  )
  const upd = db.prepare(
    `UPDATE tokens SET name = ?, brief = ?, avatar = ?, claims = ?, state = ?, stato = ?, expire = ?, creator = ?, updater = ?,
     cstamp = ?, istamp = ?, version = version + 1, pulled_at = ? WHERE id = ?`
  )
  let inserted = 0
  let updated = 0
  let removed = 0
  const refused: Array<{ remoteId: string; reason: string }> = []
  db.transaction(() => {
    // Pulled copies are rows of the tokens table: they wait for a bulk load like any other write (BUSY).
    derived.assertWritable()
    const have = pulledRows<{ remote_id: string; id: string }>(db, 'tokens', 'id', connId)
    for (const t of items) {
      const vals = [
        t.name ?? t.id,
        t.brief ?? '',
        t.avatar ?? '',
        packClaims(t.claims),
        t.state ?? 0,
        t.stato ?? (t.state ? 'disabled' : 'enabled'),
        t.expire ?? 0,
        t.creatorName ?? t.creatorId ?? '',
        t.updaterName ?? t.updaterId ?? '',
        xduaStamp(t.cstamp),
        xduaStamp(t.istamp)
      ]
      const why = refusal(TokenLine, {
        kind: 'token',
        id: CHECK_ID.token,
        name: vals[0],
        brief: vals[1],
        avatar: vals[2],
        ...Object.fromEntries(CLAIM_FIELDS.map((f) => [f, t.claims?.[f] ?? ''])),
        state: vals[4],
        stato: vals[5],
        published: false,
        expire: vals[6],
        creator: vals[7],
        updater: vals[8],
        cstamp: vals[9],
        istamp: vals[10],
        origin: { connectionId: connId, remoteId: t.id, pulledAt: at }
      })
      if (why) {
        refused.push({ remoteId: String(t.id), reason: why })
        continue
      }
      const row = have.get(t.id)
      if (row) {
        upd.run(...vals, at, row.id)
        updated++
      } else {
        ins.run(randomAlnum(8), ...vals, connId, t.id, at)
        inserted++
      }
    }
    if (prune) removed = removeGone(db, 'tokens', connId, new Set(items.map((x) => x.id))).removed
  })()
  job.progress(items.length)
  return { inserted, updated, removed, ...(refused.length ? { refused } : {}) }
}
