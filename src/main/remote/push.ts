import { fail } from '../../shared/errors'
import { CLAIM_FIELDS } from '../../shared/contract'
import type { DataforConfig, PushResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { SecretStore } from '../secrets'
import { tokenFinder, type TokenRow } from '../tokens/row'
import { fessFieldsOf } from '../tokens/access-tokens'
import type { ConnectionsStore, Profile } from './connections'
import { dataforClient, fessClient, using, xduaClient } from './clients'
import type { DataforSecrets } from './datafor-secrets'

type Db = CoreDeps['db']

/** What one push works on: the server, the local record, and where its link is saved. */
interface PushCtx {
  db: Db
  profile: Profile
  connId: string
  localId: string
  remoteId: string | null
  notes: string[]
  saveLink: (remoteId: string) => void
}

function localRow<T>(
  db: Db,
  table: string,
  localId: string,
  read = (id: string) => db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as T | undefined
): T & { origin_connection_id: string | null } {
  const r = read(localId) as (T & { origin_connection_id: string | null }) | undefined
  if (!r) fail('NOT_FOUND', `No local record with id ${localId} in ${table}`)
  if (r.origin_connection_id)
    fail(
      'READ_ONLY',
      'This record is a copy pulled from a server: change it on the server, or make a local record to push'
    )
  return r
}

async function pushFess({ db, profile, localId, remoteId, notes, saveLink }: PushCtx): Promise<PushResult> {
  const r = localRow<{ name: string; permissions: string; parameter_name: string | null; expires: string | null }>(
    db,
    'access_tokens',
    localId
  )
  const fields = fessFieldsOf(r)
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
    saveLink(item.id)
    notes.push(...warnings, 'Fess made its own token value (it ignores a sent one): the local value stays local.')
    return {
      action: 'created' as const,
      kind: 'fess' as const,
      localId,
      remoteId: item.id,
      token: item.token,
      notes
    }
  })
}

async function pushDatafor(ctx: PushCtx, secrets: SecretStore, kept: DataforSecrets): Promise<PushResult> {
  const { db, profile, connId, localId, notes, saveLink } = ctx
  const r = localRow<{
    name: string
    token_name: string
    secret_ref: string | null
    expire: number
    fieldmap: string
    algorithm: string
    enable: number
    inituser: number
    initroles: string
    self_service: number
    initpwd_ref: string | null
  }>(db, 'sso_apps', localId)
  const secret = r.secret_ref ? await secrets.get(r.secret_ref) : null
  const initpwd = r.initpwd_ref ? await secrets.get(r.initpwd_ref) : null
  const patch = {
    tokenName: r.token_name,
    expire: r.expire,
    fieldmap: JSON.parse(r.fieldmap) as DataforConfig['fieldmap'],
    algorithm: r.algorithm,
    enable: Boolean(r.enable),
    inituser: Boolean(r.inituser),
    initroles: JSON.parse(r.initroles) as string[],
    selfService: Boolean(r.self_service),
    ...(secret ? { secret } : {}),
    ...(initpwd ? { initpwd } : {})
  }
  const write = async () => {
    const out = await using(await dataforClient(profile), (c) => c.put(r.name, patch))
    saveLink(r.name)
    return out
  }
  // A secret sent is kept under a fresh account, switched only once the server took it (datafor-secrets.ts).
  const out = secret ? await kept.set(connId, r.name, secret, write) : await write()
  if (!secret) notes.push('The local record has no secret in the keychain: the server keeps its own.')
  return {
    action: out.created ? ('created' as const) : ('updated' as const),
    kind: 'datafor' as const,
    localId,
    remoteId: r.name,
    notes
  }
}

async function pushXdua({ db, profile, localId, remoteId, notes, saveLink }: PushCtx): Promise<PushResult> {
  const r = localRow<TokenRow>(db, 'tokens', localId, tokenFinder(db))
  const claims: Record<string, string> = {}
  for (const c of CLAIM_FIELDS) claims[c] = r[c]
  return using(await xduaClient(profile), async (c) => {
    let id = remoteId
    let action: 'created' | 'updated' = 'updated'
    if (!id) {
      id = (await c.call({ verb: 'ADD', fields: claims })).id!
      action = 'created'
      saveLink(id)
    }
    await c.call({ verb: 'SET', id, fields: { name: r.name, brief: r.brief, avatar: r.avatar } })
    const server = (await c.call({ verb: 'GIT', id })).record
    if (server && server.state !== r.state) await c.call({ verb: r.state ? 'DIS' : 'ENB', id })
    if (action === 'updated')
      notes.push('xdua SET changes name, brief and avatar; the claim fields of an existing token are fixed at ADD.')
    return { action, kind: 'xdua' as const, localId, remoteId: id, notes }
  })
}

/** Push: a local record (origin NULL) to a server; `remote_links` remembers what a push created, so the next updates it. */
export function createPush(deps: CoreDeps, connections: ConnectionsStore, kept: DataforSecrets) {
  const { db, secrets } = deps

  const linkOf = (connId: string, localId: string) =>
    db
      .prepare<[string, string], { remote_id: string }>(
        'SELECT remote_id FROM remote_links WHERE connection_id = ? AND local_id = ?'
      )
      .get(connId, localId)?.remote_id ?? null
  const saveLink = (connId: string, localId: string, remoteId: string) =>
    db
      .prepare(
        'INSERT INTO remote_links (connection_id, local_id, remote_id, pushed_at) VALUES (?, ?, ?, ?) ON CONFLICT(connection_id, local_id) DO UPDATE SET remote_id = excluded.remote_id, pushed_at = excluded.pushed_at'
      )
      .run(connId, localId, remoteId, deps.now())

  async function push(connRef: string, localId: string): Promise<PushResult> {
    const profile = connections.profile(connRef)
    const connId = profile.id!
    const ctx: PushCtx = {
      db,
      profile,
      connId,
      localId,
      remoteId: linkOf(connId, localId),
      notes: [],
      saveLink: (remoteId) => void saveLink(connId, localId, remoteId)
    }
    if (profile.kind === 'fess') return pushFess(ctx)
    if (profile.kind === 'datafor') return pushDatafor(ctx, secrets, kept)
    return pushXdua(ctx)
  }

  return { push }
}
