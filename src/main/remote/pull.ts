import { randomUUID } from 'node:crypto'
import type { PullResult, XduaToken } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { Derived } from '../tokens/bulk/derived'
import type { ConnectionsStore, Profile } from './connections'
import { dataforClient, fessClient, using, xduaClient } from './clients'
import type { DataforSecrets } from './datafor-secrets'
import type { FessItemWithToken } from './fess'
import { pulledSecrets } from './pulled-secrets'
import { upsertDatafor, upsertFess, upsertXdua } from './upsert'

/** Pull: every record of a server into read-only local copies (sync.ts has the column forms). */
export function createPull(
  deps: CoreDeps,
  connections: ConnectionsStore,
  derived: Pick<Derived, 'assertWritable'>,
  kept: DataforSecrets
) {
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
          .prepare<[string], { id: string; remote_id: string; token_ref: string | null }>(
            'SELECT id, remote_id, token_ref FROM access_tokens WHERE origin_connection_id = ?'
          )
          .all(connId)
          .map((r) => [r.remote_id, r] as const)
      )
      const values = opts.keepSecrets
        ? (list.items as FessItemWithToken[]).map((it) => ({
            key: it.id,
            id: existing.get(it.id)?.id ?? randomUUID(),
            value: it.token
          }))
        : []
      const listed = new Set(list.items.map((it) => it.id))
      const dropsRefs =
        !list.truncated && [...existing.values()].some((r) => r.token_ref !== null && !listed.has(r.remote_id))
      const {
        replaced: _r,
        used: _u,
        ...r
      } = await pulledSecrets(secrets, values, dropsRefs, (refs) =>
        upsertFess(
          db,
          connId,
          list.items,
          refs,
          new Map(values.map((v) => [v.key, v.id])),
          pulledAt,
          !list.truncated,
          job
        )
      )
      return {
        connectionId: connId,
        kind: 'fess',
        pulled: list.items.length,
        ...r,
        truncated: list.truncated,
        pulledAt
      }
    }
    if (profile.kind === 'datafor') {
      const items = await using(await dataforClient(profile), (c) => c.list(job.signal))
      job.progress(0, items.length)
      const r = upsertDatafor(db, connId, items, await kept.refs(connId), pulledAt, job)
      return { connectionId: connId, kind: 'datafor', pulled: items.length, ...r, truncated: false, pulledAt }
    }
    const items = await using(await xduaClient(profile), (c) => c.all(job.signal))
    job.progress(0, items.length)
    const r = upsertXdua(db, derived, connId, items, pulledAt, job)
    return { connectionId: connId, kind: 'xdua', pulled: items.length, ...r, truncated: false, pulledAt }
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
    const quiet: JobContext = {
      signal: new AbortController().signal,
      progress: () => undefined,
      stage: () => undefined
    }
    let found: FessItemWithToken | XduaToken | null = null
    try {
      found =
        kind === 'fess'
          ? await using(await fessClient(profile), (c) => c.get(remoteId))
          : ((await using(await xduaClient(profile), (c) => c.call({ verb: 'GET', id: remoteId }))).record ?? null)
    } catch (e) {
      if ((e as { code?: string }).code !== 'NOT_FOUND') throw e
    }
    if (found && kind === 'fess')
      return void upsertFess(db, connId, [found as FessItemWithToken], new Map(), new Map(), at, false, quiet)
    if (found) return void upsertXdua(db, derived, connId, [found as XduaToken], at, quiet, false)
    const ref = db.transaction(() => {
      if (kind === 'xdua') derived.assertWritable()
      const row = db
        .prepare<[string, string], { ref: string | null }>(
          `SELECT ${kind === 'fess' ? 'token_ref' : 'NULL'} AS ref FROM ${table} WHERE origin_connection_id = ? AND remote_id = ?`
        )
        .get(connId, remoteId)
      db.prepare(`DELETE FROM ${table} WHERE origin_connection_id = ? AND remote_id = ?`).run(connId, remoteId)
      return row?.ref ?? null
    })()
    if (ref) await secrets.delete(ref).catch(() => false)
  }

  return { pull, pullOne }
}
