import type { CoreDeps, HandlersFor } from '../core/types'
import type { JwtService } from '../jwt'
import type { TokensService } from '../tokens'
import { fail } from '../../shared/errors'
import type { ConnectionDraft } from '../../shared/contract'
import { createConnections, type ConnectionsStore, type Profile } from './connections'
import { dataforClient, fessClient, using, xduaClient } from './clients'
import { publicFessToken } from './fess'
import { createSync } from './sync'
import { dataforHandlers } from './datafor-handlers'
import { createDataforSecrets } from './datafor-secrets'
import { createDataforRotate } from './datafor-rotate'
import { createRemoteRotate } from './rotate'
import { createRotations } from '../hygiene/rotation'
import type { RenewResult, RotateResult } from '../../shared/contract'

/**
 * Remote servers: channels 'connections:*' and 'remote:*'. Clients: fess.ts, datafor.ts, xdua.ts over
 * http.ts; profiles: connections.ts; pull/push/diff: sync.ts.
 */
export interface RemoteService {
  connections: ConnectionsStore
  /**
   * The Datafor secret TokenDesk set on a server (kept in the keychain as `datafor/<connId>/<configName>`), so test
   * tokens can be minted offline; null when TokenDesk never set it.
   */
  keptDataforSecret(conn: string, configName: string): Promise<string | null>
  /** Renew and rotate on a saved connection's server (the inventory's pulled rows go through these). */
  renew(conn: string, id: string, expiresAt: string | null): Promise<RenewResult>
  rotate(conn: string, id: string, flags: { retireOld?: boolean; resume?: boolean }): Promise<RotateResult>
  rotateDataforSecret(conn: string, name: string, resume: boolean): Promise<RotateResult>
}

type Target = { conn?: string; adhoc?: import('zod').output<typeof ConnectionDraft> }

/** Reaches a server with the profile's settings and credential, and says who and what answered. */
async function testConnection(p: Profile) {
  const t0 = performance.now()
  const r =
    p.kind === 'fess'
      ? await using(await fessClient(p), (c) => c.test())
      : p.kind === 'datafor'
        ? await using(await dataforClient(p), (c) => c.test())
        : await using(await xduaClient(p), (c) => c.test())
  return {
    ok: true as const,
    kind: p.kind,
    serverVersion: r.serverVersion,
    user: r.user,
    latencyMs: Math.round(performance.now() - t0),
    message: r.message
  }
}

type FessChannel =
  | 'remote:fessList'
  | 'remote:fessGet'
  | 'remote:fessReveal'
  | 'remote:fessCreate'
  | 'remote:fessUpdate'
  | 'remote:fessDelete'

/** The Fess token channels: each call goes to the server, nothing is kept locally. */
function fessHandlers(profileOf: (t: Target) => Profile): Pick<HandlersFor<'remote'>, FessChannel> {
  return {
    'remote:fessList': async (input) => {
      const r = await using(await fessClient(profileOf(input)), (c) =>
        c.list({ page: input.page, size: input.size, all: input.all })
      )
      return { ...r, items: r.items.map(publicFessToken) }
    },
    'remote:fessGet': async (input) =>
      publicFessToken(await using(await fessClient(profileOf(input)), (c) => c.get(input.id))),
    'remote:fessReveal': async (input, ctx) => {
      const t = await using(await fessClient(profileOf(input)), (c) => c.get(input.id))
      ctx.auditTarget = t.id
      return { id: t.id, token: t.token }
    },
    'remote:fessCreate': async (input, ctx) => {
      const { item, warnings } = await using(await fessClient(profileOf(input)), (c) =>
        c.create({
          name: input.name,
          permissions: input.permissions,
          parameterName: input.parameterName,
          expires: input.expires
        })
      )
      ctx.auditTarget = item.id
      // Fess shows a new token's value once: the result carries it; the audit row has the input only, never the value.
      return { item: publicFessToken(item), token: item.token, warnings }
    },
    'remote:fessUpdate': async (input) => {
      const r = await using(await fessClient(profileOf(input)), (c) =>
        c.update(
          input.id,
          {
            name: input.name,
            permissions: input.permissions,
            parameterName: input.parameterName,
            expires: input.expires
          },
          input.expectedUpdatedTime
        )
      )
      return { item: publicFessToken(r.item), changed: r.changed, warnings: r.warnings }
    },
    'remote:fessDelete': async (input) => {
      await using(await fessClient(profileOf(input)), (c) => c.delete(input.id, input.expectedUpdatedTime))
      return { id: input.id, deleted: true as const }
    }
  }
}

export function createRemoteDomain(
  deps: CoreDeps,
  services: { jwt: JwtService; tokens: TokensService }
): { service: RemoteService; handlers: HandlersFor<'connections'> & HandlersFor<'remote'> } {
  const connections = createConnections(deps)
  const kept = createDataforSecrets(deps.db, deps.secrets, deps.now)
  const sync = createSync(deps, connections, services.tokens.derived, kept)

  const rotations = createRotations(deps)
  const remoteRotate = createRemoteRotate(deps, rotations, (p, kind, id) => sync.pullOne(p, kind, id))
  const rotateSecret = createDataforRotate(deps, rotations, kept, services.jwt)
  const profileOf = (t: Target): Profile => (t.conn ? connections.profile(t.conn) : connections.adhocProfile(t.adhoc!))

  const service: RemoteService = {
    connections,
    async keptDataforSecret(conn, name) {
      return kept.get(connections.row(conn).id, name)
    },
    renew: (conn, id, expiresAt) => remoteRotate.renew(connections.profile(conn), id, expiresAt),
    rotate: (conn, id, flags) => remoteRotate.rotate(connections.profile(conn), id, flags),
    rotateDataforSecret: (conn, name, resume) => {
      const p = connections.profile(conn)
      if (p.kind !== 'datafor') fail('VALIDATION', `Connection "${conn}" is ${p.kind}, not datafor`, { path: 'conn' })
      return rotateSecret(p, name, resume)
    }
  }

  const handlers: HandlersFor<'connections'> & HandlersFor<'remote'> = {
    // ------------------------------------------------------------------------------------------------ connections
    'connections:add': (input) => connections.add(input),
    'connections:list': (input) => connections.list(input.kind),
    'connections:get': (input) => connections.get(input.id),
    'connections:update': (input) => connections.update(input),
    'connections:remove': (input) => connections.remove(input.id),
    'connections:test': (input) =>
      testConnection(input.id ? connections.profile(input.id) : connections.adhocProfile(input.draft!)),

    // ------------------------------------------------------------------------------------------------------- Fess
    ...fessHandlers(profileOf),

    // ---------------------------------------------------------------------------------------------------- Datafor
    ...dataforHandlers(deps, connections, kept, services.jwt, profileOf, async (input, ctx) => {
      ctx.auditTarget = input.name
      const r = await service.rotateDataforSecret(input.conn, input.name, Boolean(input.resume))
      ctx.auditDetails = { rotationId: r.rotationId, resumeFrom: r.resumeFrom }
      return r
    }),

    // ------------------------------------------------------------------------------------------------------- xdua
    'remote:xdua': async (input, ctx) => {
      const { conn: _c, adhoc: _a, ...call } = input
      const r = await using(await xduaClient(profileOf(input)), (c) => c.call(call))
      if (r.id) ctx.auditTarget = r.id
      ctx.auditDetails = { verb: input.verb }
      return r
    },

    // ---------------------------------------------------------------------------------------- pull, push, diff
    'remote:pull': (input) => {
      const c = connections.get(input.conn)
      const jobId = deps.jobs.start(`pull:${c.kind}`, (job) => sync.pull(c.id, job, { keepSecrets: input.keepSecrets }))
      return { jobId }
    },
    'remote:push': (input) => sync.push(input.conn, input.localId),
    'remote:diff': (input) => sync.diff(input.conn),

    // ------------------------------------------------------------------------------------------- renew, rotate
    'remote:renew': (input, ctx) => {
      ctx.auditTarget = input.id
      return remoteRotate.renew(profileOf(input), input.id, input.expiresAt)
    },
    'remote:rotate': async (input, ctx) => {
      ctx.auditTarget = input.id
      const r = await service.rotate(input.conn, input.id, input)
      ctx.auditDetails = { rotationId: r.rotationId, newId: r.newId, resumeFrom: r.resumeFrom }
      return r
    }
  }

  return { service, handlers }
}
