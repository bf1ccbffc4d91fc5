import type { CoreDeps, HandlersFor } from '../core/types'
import type { JwtService } from '../jwt'

// The local token store (issue 4): channels 'tokens:*', 'accessTokens:*', 'ssoApps:*'.
export type TokensService = Record<string, never>

export function createTokensDomain(
  _deps: CoreDeps,
  _services: { jwt: JwtService }
): { service: TokensService; handlers: HandlersFor<'tokens'> & HandlersFor<'accessTokens'> & HandlersFor<'ssoApps'> } {
  return { service: {}, handlers: {} }
}
