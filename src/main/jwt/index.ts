import type { CoreDeps, HandlersFor } from '../core/types'
import { createJwtService, type JwtService } from './service'

/**
 * The JWT engine domain: channels 'jwt:*' and 'keys:*'. `service` is the cross-domain API the tokens and
 * remote domains use (sign, verify, decode, dataforToken, ...); handlers bind the contract to it.
 */
export function createJwtDomain(deps: CoreDeps): {
  service: JwtService
  handlers: HandlersFor<'jwt'> & HandlersFor<'keys'>
} {
  const service = createJwtService(deps)
  const { keys } = service
  return {
    service,
    handlers: {
      'jwt:algorithms': () => ({ algorithms: [...service.algorithms] }),
      'jwt:sign': (input) => service.sign(input),
      'jwt:verify': ({ token, ...opts }) => service.verify(token, opts),
      'jwt:decode': ({ token }) => service.decode(token),
      'jwt:explain': ({ token, dataforFieldmap }) => service.explain(token, { dataforFieldmap }),
      'jwt:datafor': (input) => service.dataforToken(input),
      'jwt:xdua': (input) => service.xduaToken(input),
      'jwt:mintStart': async (input, ctx) => {
        const r = await service.mintStart(input)
        ctx.auditTarget = r.jobId
        return r
      },
      'keys:list': () => keys.list(),
      'keys:get': ({ name }) => keys.get(name),
      'keys:generate': (input) => keys.generate(input),
      'keys:import': async (input, ctx) => {
        // The audit row names the kind of material, never any of it (a PEM's first characters are still the key).
        const kind = 'pem' in input.source ? 'pem' : 'jwk' in input.source ? 'jwk' : 'secret'
        ctx.auditDetails = { source: kind }
        const info = await keys.import(input)
        ctx.auditTarget = info.kid
        return info
      },
      'keys:export': (input) => keys.export(input),
      'keys:delete': async ({ name }, ctx) => {
        const r = await keys.delete(name)
        ctx.auditTarget = r.kid
        return r
      }
    }
  }
}

export type {
  JwtService,
  SignOptions,
  VerifyOptions,
  DataforOptions,
  XduaOptions,
  MintOptions,
  KeySource
} from './service'
export type { ResolvedKey } from './keymaterial'
export type { KeyStore } from './keystore'
