import { assembleCore, type Core, type CoreOptions } from './assemble'

/**
 * The CLI's core: the same services and dispatch as createCore, each domain's code (and the contract modules it
 * imports) loaded by the first call into it, and the store opened by the first call that reads it: a command loads
 * and builds only its own domain.
 */
export function createLazyCore(opts: CoreOptions): Core {
  const code = {
    jwt: async () => (await import('../jwt')).createJwtDomain,
    tokens: async () => (await import('../tokens')).createTokensDomain,
    remote: async () => (await import('../remote')).createRemoteDomain,
    hygiene: async () => (await import('../hygiene')).createHygieneDomain
  }
  return assembleCore(opts, code, { build: 'on first use' })
}
