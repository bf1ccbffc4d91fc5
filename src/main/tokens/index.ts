import { TOKEN_STATE_TABLE, renderStateTable } from '../../shared/contract'
import type { CoreDeps, HandlersFor } from '../core/types'
import type { JwtService } from '../jwt'
import { createAccessTokens } from './access-tokens'
import { createMintCheck } from './check'
import { createDerived } from './bulk/derived'
import { createIo } from './io'
import { exportTokensCsv } from './export-csv'
import { creatorsWithPrefix } from './creators'
import { createLifecycle } from './lifecycle'
import { createQuery } from './query'
import { createSsoApps } from './sso-apps'

/**
 * The local token store: xdua-shaped lifecycle tokens ('tokens:*'), Fess-shaped access tokens
 * ('accessTokens:*') and Datafor-shaped SSO apps ('ssoApps:*'). `service` is what other domains use (the remote domain
 * reads records and writes pulled copies through the same tables).
 */
/** `jwt` gives the JWT engine, loaded by the first call that signs or verifies (a count or a page never loads it). */
export function createTokensService(deps: CoreDeps, jwt: () => Promise<JwtService>) {
  const derived = createDerived(deps.db, { nativeBinding: deps.nativeBinding })
  // Repairs a bulk load a crash interrupted; otherwise a few no-op IF NOT EXISTS statements.
  derived.ensure()
  const lifecycle = createLifecycle(deps, derived)
  const query = createQuery(deps)
  const check = createMintCheck(deps, jwt, lifecycle)
  const accessTokens = createAccessTokens(deps)
  const ssoApps = createSsoApps(deps, jwt)
  const io = createIo(deps, derived)
  return { lifecycle, query, check, accessTokens, ssoApps, io, derived, close: () => query.close() }
}

export type TokensService = ReturnType<typeof createTokensService>

export function createTokensDomain(
  deps: CoreDeps,
  services: { jwt: () => Promise<JwtService> }
): { service: TokensService; handlers: HandlersFor<'tokens'> & HandlersFor<'accessTokens'> & HandlersFor<'ssoApps'> } {
  const service = createTokensService(deps, services.jwt)
  const { lifecycle: life, query, check, accessTokens, ssoApps, io } = service
  return {
    service,
    handlers: {
      'tokens:add': (i) => life.add(i),
      'tokens:set': (i) => life.set(i),
      'tokens:dol': (i) => life.dol(i.id, i.version),
      'tokens:rcc': (i) => life.rcc(i.id, i.version),
      'tokens:dis': (i) => life.dis(i.id, i.version, i.reason),
      'tokens:enb': (i) => life.enb(i.id, i.version),
      'tokens:off': (i) => life.off(i.id, i.version),
      'tokens:pub': (i) => life.pub(i.id, i.version),
      'tokens:get': (i) => life.get(i.id),
      'tokens:git': (i) => life.git(i.id),
      // QRY: the caller's own tokens; QRI: all visible tokens. Both hide the recycle bin (contracts/xdua.md).
      'tokens:qry': (i) => query.list({ ...i, bin: false, creator: deps.actor() }),
      'tokens:qri': (i) => query.list({ ...i, bin: false }),
      'tokens:del': (i) => life.del(i.id, i.version),
      'tokens:list': (i) => query.list(i),
      'tokens:seek': (i) => query.seek(i),
      'tokens:count': (i) => query.count(i),
      'tokens:creators': (i) => creatorsWithPrefix(deps, i.prefix, i.limit),
      'tokens:counts': () => query.counts(),
      'tokens:expiry': (i) => query.expiry(i.days),
      'tokens:stateTable': () => ({ table: TOKEN_STATE_TABLE, markdown: renderStateTable() }),
      'tokens:mint': (i) => check.mint(i.id, i.expiresIn, i.allowWeakKey),
      'tokens:check': (i) => check.check(i.token, i.ip, i.device),
      'tokens:seed': (i) => ({
        jobId: deps.jobs.start('tokens:seed', (ctx) => io.seed(i.count, i.seed, ctx), i.count)
      }),
      'tokens:export': (i) => ({
        jobId: deps.jobs.start('tokens:export', (ctx) =>
          i.format === 'csv'
            ? exportTokensCsv(deps, i.file, i.overwrite, ctx)
            : io.export(i.file, i.kinds, i.overwrite, ctx)
        )
      }),
      'tokens:import': (i) => ({
        jobId: deps.jobs.start('tokens:import', (ctx) => io.import(i.file, i.batchSize, ctx))
      }),

      'accessTokens:add': (i) => accessTokens.add(i),
      'accessTokens:get': (i) => accessTokens.get(i.id),
      'accessTokens:list': (i) => accessTokens.list(i),
      'accessTokens:update': (i) => accessTokens.update(i),
      'accessTokens:delete': (i) => accessTokens.delete(i.id, i.version),
      'accessTokens:reveal': (i) => accessTokens.reveal(i.id),

      'ssoApps:add': (i) => ssoApps.add(i),
      'ssoApps:get': (i) => ssoApps.get(i),
      'ssoApps:list': (i) => ssoApps.list(i),
      'ssoApps:update': (i) => ssoApps.update(i),
      'ssoApps:delete': (i) => ssoApps.delete(i.id, i.version),
      'ssoApps:mint': (i, ctx) => {
        ctx.auditDetails = { username: i.username }
        return ssoApps.mint(i)
      },
      'ssoApps:verify': (i) => ssoApps.verify(i),
      'ssoApps:reveal': (i) => ssoApps.reveal(i)
    }
  }
}

export { encodePermission, decodePermission } from './access-tokens'
