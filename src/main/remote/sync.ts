import { randomUUID } from 'node:crypto'
import { fail } from '../../shared/errors'
import { AccessTokenLine, CLAIM_FIELDS, SsoAppLine, TokenLine } from '../../shared/contract'
import type { z } from 'zod'
import type { DataforConfig, DiffField, DiffItem, DiffResult, FessToken, PullResult, PushResult, XduaToken } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { Derived } from '../tokens/bulk/derived'
import { packClaims, tokenFinder, type TokenRow } from '../tokens/row'
import { secretRef } from '../secrets'
import { randomAlnum } from '../ids'
import type { ConnectionsStore, Profile } from './connections'
import { dataforClient, fessClient, using, xduaClient } from './clients'
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

export const dataforSecretRef = (connId: string, name: string) => secretRef('datafor', `${connId}/${name}`)

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

export function createSync(deps: CoreDeps, connections: ConnectionsStore, derived: Pick<Derived, 'assertWritable'>) {
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
      const kept = new Set(await secrets.list().catch(() => [] as string[]))
      const r = upsertDatafor(connId, items, kept, pulledAt, job)
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

  function upsertDatafor(connId: string, items: DataforConfig[], kept: Set<string>, at: number, job: JobContext) {
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
        const ref = dataforSecretRef(connId, c.name)
        const secretRefValue = kept.has(ref) ? ref : null
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

  function upsertXdua(connId: string, items: XduaToken[], at: number, job: JobContext) {
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
      removed = removeGone('tokens', connId, new Set(items.map((x) => x.id))).removed
    })()
    job.progress(items.length)
    return { inserted, updated, removed, ...(refused.length ? { refused } : {}) }
  }

  // ------------------------------------------------------------------------------------------------------------ push

  const linkOf = (connId: string, localId: string) =>
    db.prepare<[string, string], { remote_id: string }>('SELECT remote_id FROM remote_links WHERE connection_id = ? AND local_id = ?').get(connId, localId)?.remote_id ?? null
  const saveLink = (connId: string, localId: string, remoteId: string) =>
    db
      .prepare('INSERT INTO remote_links (connection_id, local_id, remote_id, pushed_at) VALUES (?, ?, ?, ?) ON CONFLICT(connection_id, local_id) DO UPDATE SET remote_id = excluded.remote_id, pushed_at = excluded.pushed_at')
      .run(connId, localId, remoteId, deps.now())

  function localRow<T>(
    table: string,
    localId: string,
    read = (id: string) => db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as T | undefined
  ): T & { origin_connection_id: string | null } {
    const r = read(localId) as (T & { origin_connection_id: string | null }) | undefined
    if (!r) fail('NOT_FOUND', `No local record with id ${localId} in ${table}`)
    if (r.origin_connection_id) fail('READ_ONLY', 'This record is a copy pulled from a server: change it on the server, or make a local record to push')
    return r
  }

  async function push(connRef: string, localId: string): Promise<PushResult> {
    const profile = connections.profile(connRef)
    const connId = profile.id!
    const remoteId = linkOf(connId, localId)
    const notes: string[] = []
    if (profile.kind === 'fess') {
      const r = localRow<{ name: string; permissions: string; parameter_name: string | null; expires: string | null }>('access_tokens', localId)
      const fields = { name: r.name, permissions: r.permissions ? r.permissions.split('\n').filter(Boolean) : [], parameterName: r.parameter_name, expires: r.expires }
      return using(await fessClient(profile), async (c) => {
        if (remoteId) {
          try {
            await c.update(remoteId, fields)
            return { action: 'updated' as const, kind: 'fess' as const, localId, remoteId, notes }
          } catch (e) {
            if ((e as { code?: string }).code !== 'NOT_FOUND') throw e
            notes.push('The token an earlier push created is gone from the server: created it again.')
          }
        }
        const { item, warnings } = await c.create(fields)
        saveLink(connId, localId, item.id)
        notes.push(...warnings, 'Fess made its own token value (it ignores a sent one): the local value stays local.')
        return { action: 'created' as const, kind: 'fess' as const, localId, remoteId: item.id, token: item.token, notes }
      })
    }
    if (profile.kind === 'datafor') {
      const r = localRow<{
        name: string; token_name: string; secret_ref: string | null; expire: number; fieldmap: string; algorithm: string
        enable: number; inituser: number; initroles: string; self_service: number; initpwd_ref: string | null
      }>('sso_apps', localId)
      const secret = r.secret_ref ? await secrets.get(r.secret_ref) : null
      const initpwd = r.initpwd_ref ? await secrets.get(r.initpwd_ref) : null
      const patch = {
        tokenName: r.token_name, expire: r.expire, fieldmap: JSON.parse(r.fieldmap) as DataforConfig['fieldmap'], algorithm: r.algorithm,
        enable: Boolean(r.enable), inituser: Boolean(r.inituser), initroles: JSON.parse(r.initroles) as string[], selfService: Boolean(r.self_service),
        ...(secret ? { secret } : {}), ...(initpwd ? { initpwd } : {})
      }
      const kept = dataforSecretRef(connId, r.name)
      const previous = secret ? await secrets.get(kept) : null
      if (secret) await secrets.set(kept, secret)
      try {
        const out = await using(await dataforClient(profile), (c) => c.put(r.name, patch))
        saveLink(connId, localId, r.name)
        if (!secret) notes.push('The local record has no secret in the keychain: the server keeps its own.')
        return { action: out.created ? ('created' as const) : ('updated' as const), kind: 'datafor' as const, localId, remoteId: r.name, notes }
      } catch (e) {
        if (secret) await (previous !== null ? secrets.set(kept, previous) : secrets.delete(kept)).catch(() => undefined)
        throw e
      }
    }
    const r = localRow<TokenRow>('tokens', localId, tokenFinder(db))
    const claims: Record<string, string> = {}
    for (const c of CLAIM_FIELDS) claims[c] = r[c]
    return using(await xduaClient(profile), async (c) => {
      let id = remoteId
      let action: 'created' | 'updated' = 'updated'
      if (!id) {
        id = (await c.call({ verb: 'ADD', fields: claims })).id!
        action = 'created'
        saveLink(connId, localId, id)
      }
      await c.call({ verb: 'SET', id, fields: { name: r.name, brief: r.brief, avatar: r.avatar } })
      const server = (await c.call({ verb: 'GIT', id })).record
      if (server && server.state !== r.state) await c.call({ verb: r.state ? 'DIS' : 'ENB', id })
      if (action === 'updated') notes.push('xdua SET changes name, brief and avatar; the claim fields of an existing token are fixed at ADD.')
      return { action, kind: 'xdua' as const, localId, remoteId: id, notes }
    })
  }

  // ------------------------------------------------------------------------------------------------------------ diff

  function compare(fields: string[], local: Record<string, unknown>, remote: Record<string, unknown>): DiffField[] {
    return fields.filter((f) => JSON.stringify(local[f] ?? null) !== JSON.stringify(remote[f] ?? null)).map((f) => ({ field: f, local: local[f] ?? null, remote: remote[f] ?? null }))
  }

  async function diff(connRef: string): Promise<DiffResult> {
    const profile: Profile = connections.profile(connRef)
    const connId = profile.id!
    const links = new Map(
      db.prepare<[string], { local_id: string; remote_id: string }>('SELECT local_id, remote_id FROM remote_links WHERE connection_id = ?').all(connId).map((l) => [l.remote_id, l.local_id])
    )
    let remote: Array<{ id: string; name: string; view: Record<string, unknown> }>
    let local: Array<{ localId: string; remoteId: string; name: string; view: Record<string, unknown> }>
    let fields: string[]
    let truncated = false
    if (profile.kind === 'fess') {
      fields = ['name', 'permissions', 'parameterName', 'expires']
      const list = await using(await fessClient(profile), (c) => c.list({ all: true }))
      truncated = list.truncated
      remote = list.items.map((t: FessToken) => ({ id: t.id, name: t.name, view: { name: t.name, permissions: t.permissions, parameterName: t.parameterName, expires: t.expires } }))
      const rows = db.prepare<[string], { id: string; name: string; permissions: string; parameter_name: string | null; expires: string | null; remote_id: string | null; origin_connection_id: string | null }>(
        'SELECT id, name, permissions, parameter_name, expires, remote_id, origin_connection_id FROM access_tokens WHERE origin_connection_id = ? OR origin_connection_id IS NULL'
      ).all(connId)
      local = rows
        .map((r) => ({ r, remoteId: r.origin_connection_id ? r.remote_id : [...links].find(([, l]) => l === r.id)?.[0] }))
        .filter((x): x is { r: (typeof rows)[number]; remoteId: string } => Boolean(x.remoteId))
        .map(({ r, remoteId }) => ({ localId: r.id, remoteId, name: r.name, view: { name: r.name, permissions: r.permissions ? r.permissions.split('\n').filter(Boolean) : [], parameterName: r.parameter_name, expires: r.expires } }))
    } else if (profile.kind === 'datafor') {
      fields = ['tokenName', 'expire', 'fieldmap', 'algorithm', 'enable', 'inituser', 'initroles', 'selfService']
      const items = await using(await dataforClient(profile), (c) => c.list())
      const view = (c: DataforConfig) => ({ tokenName: c.tokenName, expire: c.expire, fieldmap: c.fieldmap, algorithm: c.algorithm, enable: c.enable, inituser: c.inituser, initroles: c.initroles, selfService: c.selfService })
      remote = items.map((c) => ({ id: c.name, name: c.name, view: view(c) }))
      const rows = db.prepare<[string], Record<string, unknown> & { id: string; name: string; remote_id: string | null; origin_connection_id: string | null }>(
        'SELECT * FROM sso_apps WHERE origin_connection_id = ? OR origin_connection_id IS NULL'
      ).all(connId)
      local = rows
        .map((r) => ({ r, remoteId: r.origin_connection_id ? r.remote_id : [...links].find(([, l]) => l === r.id)?.[0] }))
        .filter((x): x is { r: (typeof rows)[number]; remoteId: string } => Boolean(x.remoteId))
        .map(({ r, remoteId }) => ({
          localId: r.id, remoteId, name: r.name,
          view: { tokenName: r.token_name, expire: r.expire, fieldmap: JSON.parse(String(r.fieldmap)), algorithm: r.algorithm, enable: Boolean(r.enable), inituser: Boolean(r.inituser), initroles: JSON.parse(String(r.initroles)), selfService: Boolean(r.self_service) }
        }))
    } else {
      fields = ['name', 'brief', 'avatar', 'state']
      const items = await using(await xduaClient(profile), (c) => c.all())
      remote = items.map((t) => ({ id: t.id, name: t.name ?? t.id, view: { name: t.name, brief: t.brief, avatar: t.avatar, state: t.state } }))
      const rows = db.prepare<[string], { id: string; name: string; brief: string; avatar: string; state: number; remote_id: string | null; origin_connection_id: string | null }>(
        'SELECT id, name, brief, avatar, state, remote_id, origin_connection_id FROM tokens WHERE origin_connection_id = ? OR origin_connection_id IS NULL'
      ).all(connId)
      local = rows
        .map((r) => ({ r, remoteId: r.origin_connection_id ? r.remote_id : [...links].find(([, l]) => l === r.id)?.[0] }))
        .filter((x): x is { r: (typeof rows)[number]; remoteId: string } => Boolean(x.remoteId))
        .map(({ r, remoteId }) => ({ localId: r.id, remoteId, name: r.name, view: { name: r.name, brief: r.brief, avatar: r.avatar, state: r.state } }))
    }
    const byRemote = new Map(remote.map((x) => [x.id, x]))
    const items: DiffItem[] = []
    const seen = new Set<string>()
    for (const l of local) {
      const r = byRemote.get(l.remoteId)
      seen.add(l.remoteId)
      if (!r) {
        if (!truncated) items.push({ remoteId: l.remoteId, localId: l.localId, name: l.name, status: 'onlyLocal', fields: [] })
        continue
      }
      const f = compare(fields, l.view, r.view)
      items.push({ remoteId: r.id, localId: l.localId, name: r.name, status: f.length ? 'changed' : 'same', fields: f })
    }
    for (const r of remote) if (!seen.has(r.id)) items.push({ remoteId: r.id, localId: null, name: r.name, status: 'onlyRemote', fields: [] })
    const counts = { same: 0, changed: 0, onlyLocal: 0, onlyRemote: 0 }
    for (const i of items) counts[i.status]++
    return { connectionId: connId, kind: profile.kind, items, counts, truncated }
  }

  return { pull, push, diff }
}
