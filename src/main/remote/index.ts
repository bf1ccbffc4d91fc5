import type { CoreDeps, HandlersFor } from '../core/types'
import type { JwtService } from '../jwt'
import type { TokensService } from '../tokens'

// Remote servers (issue 5): channels 'connections:*' and 'remote:*'.
export type RemoteService = Record<string, never>

export function createRemoteDomain(
  _deps: CoreDeps,
  _services: { jwt: JwtService; tokens: TokensService }
): { service: RemoteService; handlers: HandlersFor<'connections'> & HandlersFor<'remote'> } {
  return { service: {}, handlers: {} }
}
