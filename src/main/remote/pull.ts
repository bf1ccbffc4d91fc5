import { randomUUID } from 'node:crypto'
import { AccessTokenLine, CLAIM_FIELDS, SsoAppLine, TokenLine } from '../../shared/contract'
import type { z } from 'zod'
import type { DataforConfig, PullResult, XduaToken } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { Derived } from '../tokens/bulk/derived'
import { packClaims } from '../tokens/row'
import { randomAlnum } from '../ids'
import type { ConnectionsStore, Profile } from './connections'
import { dataforClient, fessClient, using, xduaClient } from './clients'
import type { DataforSecrets } from './datafor-secrets'
import type { FessItemWithToken } from './fess'
import { pulledSecrets } from './pulled-secrets'

/**
 * Pull, push and diff between a server and the local tables of src/main/tokens/schema.ts: `access_tokens` (Fess),
 * `sso_apps` (Datafor), `tokens` (xdua). A pulled row is a read-only copy marked with origin_connection_id, remote_id
 * and pulled_at, upserted by (origin_connection_id, remote_id). Local records (origin NULL) are pushed; what a push
 * created is remembered in `remote_links`, so the next push updates it.
 *
 * Local column forms used here: access_tokens.permissions = Fess's own form, lines joined by "\n"; expires = Fess's
 * `yyyy-MM-ddTHH:mm:ss`; sso_apps.fieldmap / initroles = JSON; enable/inituser/self_service = 0/1; tokens.cstamp /
 * istamp = epoch ms (xdua's `yyyy-MM-dd HH:mm:ss` read as UTC).
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

/** Pull: every record of a server into read-only local copies (sync.ts has the column forms). */
export function createPull(deps: CoreDeps, connections: ConnectionsStore, derived: Pick<Derived, 'assertWritable'>, kept: DataforSecrets) {
  const { db, secrets } = deps

  async function pull(connRef: string, job: JobContext, opts: { keepSecrets?: boolean } = {}): Promise<PullResult> {
    const profile = connections.profile(connRef)
    const connId = profile.id!
    const pulledAt = deps.now()
    if (profile.kind === 'fess') {
      const list = await using(await fessClient(profile), (c) => c.list({ all: true, signal: job.signal }))
      job.progress(0, list.items.length)
      // Keychain first (spine rule), each value under a fresh account; rows after, in one transaction.
      const existing = new Map(
        db
          .prepare<[string], { id: string; remote_id: string; token_ref: string | null }>('SELECT id, remote_id, token_ref FROM access_tokens WHERE origin_connection_id = ?')
          .all(connId)
          .map((r) => [r.remote_id, r] as const)
      )
      const values = opts.keepSecrets ? (list.items as FessItemWithToken[]).map((it) => ({ key: it.id, id: existing.get(it.id)?.id ?? randomUUID(), value: it.token })) : []
      const listed = new Set(list.items.map((it) => it.id))
      const dropsRefs = !list.truncated && [...existing.values()].some((r) => r.token_ref !== null && !listed.has(r.remote_id))
      const { replaced: _r, used: _u, ...r } = await pulledSecrets(secrets, values, dropsRefs, (refs) =>
        upsertFess(connId, list.items, refs, new Map(values.map((v) => [v.key, v.id])), pulledAt, !list.truncated, job)
      )
      return { connectionId: connId, kind: 'fess', pulled: list.items.length, ...r, truncated: list.truncated, pulledAt }
    }
    if (profile.kind === 'datafor') {
      const items = await using(await dataforClient(profile), (c) => c.list(job.signal))
      job.progress(0, items.length)
      const r = upsertDatafor(connId, items, await kept.refs(connId), pulledAt, job)
      return { connectionId: connId, kind: 'datafor', pulled: items.length, ...r, truncated: false, pulledAt }
    }
    const items = await using(await xduaClient(profile), (c) => c.all(job.signal))
    job.progress(0, items.length)
    const r = upsertXdua(connId, items, pulledAt, job)
    return { connectionId: connId, kind: 'xdua', pulled: items.length, ...r, truncated: false, pulledAt }
  }

  /** Deletes the rows of a connection the server no longer has; with `refColumn`, returns the keychain accounts they named. */
  function removeGone(table: string, connId: string, seen: Set<string>, refColumn?: string): { removed: number; refs: string[] } {
    const ref = refColumn ? `, ${refColumn} AS ref` : ''
    const rows = db.prepare<[string], { id: string; remote_id: string; ref?: string | null }>(`SELECT id, remote_id${ref} FROM ${table} WHERE origin_connection_id = ?`).all(connId)
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

  function upsertFess(connId: string, items: FessItemWithToken[], refs: Map<string, string>, ids: Map<string, string>, at: number, prune: boolean, job: JobContext) {
    const find = db.prepare<[string, string], { id: string; token_ref: string | null }>('SELECT id, token_ref FROM access_tokens WHERE origin_connection_id = ? AND remote_id = ?')
    const ins = db.prepare(
      `INSERT INTO access_tokens (id, name, token_ref, parameter_name, permissions, expires, created, updated, version, origin_connection_id, remote_id, pulled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`
    )
    const upd = db.prepare(
      `UPDATE access_tokens SET name = ?, token_ref = COALESCE(?, token_ref), parameter_name = ?, permissions = ?, expires = ?, created = ?, updated = ?,
       version = version + 1, pulled_at = ? WHERE id = ?`
    )
    let inserted = 0
    let updated = 0
    let removed = 0
    const refused: Array<{ remoteId: string; reason: string }> = []
    const used = new Set<string>()
    const replaced: string[] = []
    db.transaction(() => {
      items.forEach((it, i) => {
        const perms = it.permissions.join('\n')
        const why = refusal(AccessTokenLine, {
          kind: 'accessToken', id: CHECK_ID.row, name: it.name, parameterName: it.parameterName, permissions: perms, expires: it.expires,
          created: it.createdTime ?? at, updated: it.updatedTime ?? at, origin: { connectionId: connId, remoteId: it.id, pulledAt: at }
        })
        if (why) return void refused.push({ remoteId: it.id, reason: why })
        const have = find.get(connId, it.id)
        const tokenRef = refs.get(it.id) ?? null
        if (tokenRef) used.add(tokenRef)
        // The account this row stops naming is read here, in the writing transaction, so each is deleted exactly once.
        if (tokenRef && have?.token_ref && have.token_ref !== tokenRef) replaced.push(have.token_ref)
        if (have) {
          upd.run(it.name, tokenRef, it.parameterName, perms, it.expires, it.createdTime ?? at, it.updatedTime ?? at, at, have.id)
          updated++
        } else {
          ins.run(ids.get(it.id) ?? randomUUID(), it.name, tokenRef, it.parameterName, perms, it.expires, it.createdTime ?? at, it.updatedTime ?? at, connId, it.id, at)
          inserted++
        }
        if (i % 1000 === 0) job.progress(i)
      })
      if (prune) {
        const gone = removeGone('access_tokens', connId, new Set(items.map((x) => x.id)), 'token_ref')
        removed = gone.removed
        replaced.push(...gone.refs)
      }
    })()
    job.progress(items.length)
    return { inserted, updated, removed, ...(refused.length ? { refused } : {}), used, replaced }
  }

  function upsertDatafor(connId: string, items: DataforConfig[], keptRefs: Map<string, string>, at: number, job: JobContext) {
    const find = db.prepare<[string, string], { id: string }>('SELECT id FROM sso_apps WHERE origin_connection_id = ? AND remote_id = ?')
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
      for (const c of items) {
        const why = refusal(SsoAppLine, {
          kind: 'ssoApp', id: CHECK_ID.row, name: c.name, tokenName: c.tokenName, expire: c.expire, fieldmap: c.fieldmap, algorithm: c.algorithm,
          enable: c.enable, inituser: c.inituser, initroles: c.initroles, selfService: c.selfService, signKey: null,
          created: dateMs(c.createdDate, at), updated: dateMs(c.lastModifiedDate, at), origin: { connectionId: connId, remoteId: c.name, pulledAt: at }
        })
        if (why) {
          refused.push({ remoteId: String(c.name), reason: why })
          continue
        }
        const secretRefValue = keptRefs.get(c.name) ?? null
        const vals = [c.name, c.tokenName, secretRefValue, c.expire, JSON.stringify(c.fieldmap), c.algorithm, c.enable ? 1 : 0, c.inituser ? 1 : 0, JSON.stringify(c.initroles), c.selfService ? 1 : 0, dateMs(c.createdDate, at), dateMs(c.lastModifiedDate, at)] as const
        const have = find.get(connId, c.name)
        if (have) {
          upd.run(...vals, at, have.id)
          updated++
        } else {
          ins.run(randomUUID(), ...vals, connId, c.name, at)
          inserted++
        }
      }
      removed = removeGone('sso_apps', connId, new Set(items.map((x) => x.name))).removed
    })()
    job.progress(items.length)
    return { inserted, updated, removed, ...(refused.length ? { refused } : {}) }
  }

  function upsertXdua(connId: string, items: XduaToken[], at: number, job: JobContext, prune = true) {
    const find = db.prepare<[string, string], { id: string }>('SELECT id FROM tokens WHERE origin_connection_id = ? AND remote_id = ?')
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
          kind: 'token', id: CHECK_ID.token, name: vals[0], brief: vals[1], avatar: vals[2], ...Object.fromEntries(CLAIM_FIELDS.map((f) => [f, t.claims?.[f] ?? ''])),
          state: vals[4], stato: vals[5], published: false, expire: vals[6], creator: vals[7], updater: vals[8], cstamp: vals[9], istamp: vals[10],
          origin: { connectionId: connId, remoteId: t.id, pulledAt: at }
        })
        if (why) {
          refused.push({ remoteId: String(t.id), reason: why })
          continue
        }
        const have = find.get(connId, t.id)
        if (have) {
          upd.run(...vals, at, have.id)
          updated++
        } else {
          ins.run(randomAlnum(8), ...vals, connId, t.id, at)
          inserted++
        }
      }
      if (prune) removed = removeGone('tokens', connId, new Set(items.map((x) => x.id))).removed
    })()
    job.progress(items.length)
    return { inserted, updated, removed, ...(refused.length ? { refused } : {}) }
  }

  /**
   * Brings one pulled copy in step with its server record after TokenDesk changed it (renew, rotate): upserted, or
   * removed when the server no longer shows it. Only connections pulled before get copies.
   */
  async function pullOne(profile: Profile, kind: 'fess' | 'xdua', remoteId: string): Promise<void> {
    const connId = profile.id
    if (!connId) return
    const table = kind === 'fess' ? 'access_tokens' : 'tokens'
    if (!db.prepare(`SELECT 1 FROM ${table} WHERE origin_connection_id = ? LIMIT 1`).get(connId)) return
    const at = deps.now()
    const quiet: JobContext = { signal: new AbortController().signal, progress: () => undefined, stage: () => undefined }
    let found: FessItemWithToken | XduaToken | null = null
    try {
      found =
        kind === 'fess'
          ? await using(await fessClient(profile), (c) => c.get(remoteId))
          : ((await using(await xduaClient(profile), (c) => c.call({ verb: 'GET', id: remoteId }))).record ?? null)
    } catch (e) {
      if ((e as { code?: string }).code !== 'NOT_FOUND') throw e
    }
    if (found && kind === 'fess') return void upsertFess(connId, [found as FessItemWithToken], new Map(), new Map(), at, false, quiet)
    if (found) return void upsertXdua(connId, [found as XduaToken], at, quiet, false)
    const ref = db.transaction(() => {
      if (kind === 'xdua') derived.assertWritable()
      const row = db.prepare<[string, string], { ref: string | null }>(`SELECT ${kind === 'fess' ? 'token_ref' : 'NULL'} AS ref FROM ${table} WHERE origin_connection_id = ? AND remote_id = ?`).get(connId, remoteId)
      db.prepare(`DELETE FROM ${table} WHERE origin_connection_id = ? AND remote_id = ?`).run(connId, remoteId)
      return row?.ref ?? null
    })()
    if (ref) await secrets.delete(ref).catch(() => false)
  }

  return { pull, pullOne }
}
