import { assembleCore, type Core, type CoreOptions } from './assemble'

/**
 * The CLI's core: the same services and dispatch as createCore, each domain's code (and the contract modules it
 * imports) loaded by the first call into it, so a command loads and builds only its own domain.
 */
export function createLazyCore(opts: CoreOptions): Core {
  return assembleCore(opts, {
    jwt: async () => (await import('../jwt')).createJwtDomain,
    tokens: async () => (await import('../tokens')).createTokensDomain,
    remote: async () => (await import('../remote')).createRemoteDomain
  })
}
