import type { CoreDeps, HandlersFor } from '../core/types'
import type { JwtService } from '../jwt'
import { fail } from '../../shared/errors'
import type { ConnectionDraft, DataforConfig } from '../../shared/contract'
import type { ConnectionsStore, Profile } from './connections'
import { dataforClient, using } from './clients'
import type { DataforSecrets } from './datafor-secrets'

type DataforChannels = Extract<keyof HandlersFor<'remote'>, `remote:datafor${string}`>

/** The Datafor channels: configs through the client; the secret TokenDesk sets kept under fresh accounts (datafor-secrets.ts). */
export function dataforHandlers(
  deps: CoreDeps,
  connections: ConnectionsStore,
  kept: DataforSecrets,
  jwt: JwtService,
  profileOf: (t: { conn?: string; adhoc?: import('zod').output<typeof ConnectionDraft> }) => Profile,
  rotateSecret: HandlersFor<'remote'>['remote:dataforRotateSecret']
): Pick<HandlersFor<'remote'>, DataforChannels> {
  return {
    'remote:dataforList': async (input) => {
      const p = profileOf(input)
      const items = await using(await dataforClient(p), (c) => c.list())
      const refs = p.id ? await kept.refs(p.id) : new Map<string, string>()
      return { items: items.map((c) => ({ ...c, secretKept: refs.has(c.name) })) }
    },
    'remote:dataforGet': async (input) => {
      const p = profileOf(input)
      const c = await using(await dataforClient(p), (cl) => cl.get(input.name))
      return { ...c, secretKept: p.id ? (await kept.ref(p.id, c.name)) !== null : false }
    },
    'remote:dataforPut': async (input) => {
      const p = profileOf(input)
      const { conn: _c, adhoc: _a, name, ...patch } = input
      const write = async () => using(await dataforClient(p), (c) => c.put(name, patch))
      // A new secret goes to a fresh keychain account first; the kept ref switches only once the server took it.
      const r = p.id && patch.secret ? await kept.set(p.id, name, patch.secret, write) : await write()
      return { ...r, item: { ...r.item, secretKept: p.id ? (await kept.ref(p.id, name)) !== null : false } }
    },
    'remote:dataforDelete': async (input) => {
      const p = profileOf(input)
      await using(await dataforClient(p), (c) => c.delete(input.name))
      if (p.id) await kept.drop(p.id, input.name).catch(() => undefined)
      return { name: input.name, deleted: true as const }
    },
    'remote:dataforDeleteMany': async (input) => {
      const p = profileOf(input)
      const r = await using(await dataforClient(p), (c) => c.deleteMany(input.names))
      if (p.id) for (const n of r.deleted) await kept.drop(p.id, n).catch(() => undefined)
      return r
    },
    'remote:dataforMint': async (input) => {
      const p = connections.profile(input.conn)
      const secret = await kept.get(p.id!, input.name)
      if (secret === null)
        fail(
          'SECRET_MISSING',
          `TokenDesk did not set the secret of "${input.name}" on this server (Datafor only ever shows it masked): set it with remote datafor put --secret-file, then mint`
        )
      // Offline first: the pulled copy has everything the template needs; the server only when there is none.
      const pulled = deps.db
        .prepare<[string, string], { token_name: string; expire: number; fieldmap: string; algorithm: string }>(
          'SELECT token_name, expire, fieldmap, algorithm FROM sso_apps WHERE origin_connection_id = ? AND remote_id = ?'
        )
        .get(p.id!, input.name)
      const cfg = pulled
        ? {
            tokenName: pulled.token_name,
            expire: pulled.expire,
            fieldmap: JSON.parse(pulled.fieldmap) as DataforConfig['fieldmap'],
            algorithm: pulled.algorithm
          }
        : await using(await dataforClient(p), (c) => c.get(input.name))
      const fieldmap = {
        username: cfg.fieldmap.username,
        ...(cfg.fieldmap.name ? { name: cfg.fieldmap.name } : {}),
        ...(cfg.fieldmap.email ? { email: cfg.fieldmap.email } : {})
      }
      const r = await jwt.dataforToken({
        algorithm: cfg.algorithm as 'HS256',
        expire: cfg.expire,
        fieldmap,
        tokenName: cfg.tokenName,
        // RS / ES configs keep the private key (PEM) TokenDesk made when it rotated them.
        key: secret.startsWith('-----BEGIN') ? { pem: secret } : { secret },
        username: input.username,
        ...(input.displayName ? { name: input.displayName } : {}),
        ...(input.email ? { email: input.email } : {}),
        baseUrl: p.baseUrl,
        allowWeakKey: input.allowWeakKey
      })
      return {
        token: r.token,
        loginUrl: r.loginUrl,
        payload: r.payload,
        warnings: r.warnings,
        source: pulled ? ('pulled' as const) : ('server' as const)
      }
    },
    'remote:dataforGenerate': async (input) =>
      using(await dataforClient(profileOf(input)), (c) => c.generate(input.name, input.username, input.claims)),
    'remote:dataforRotateSecret': rotateSecret
  }
}
