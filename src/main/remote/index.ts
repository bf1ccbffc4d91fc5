import type { CoreDeps, HandlersFor } from '../core/types'
import type { JwtService } from '../jwt'
import type { TokensService } from '../tokens'
import { fail } from '../../shared/errors'
import { channels, type Channel } from '../../shared/contract'

// Remote servers (issue 5): channels 'connections:*' and 'remote:*'. (Handlers land in the next commits.)
export type RemoteService = Record<string, never>

export function createRemoteDomain(
  _deps: CoreDeps,
  _services: { jwt: JwtService; tokens: TokensService }
): { service: RemoteService; handlers: HandlersFor<'connections'> & HandlersFor<'remote'> } {
  const handlers: Record<string, () => never> = {}
  for (const c of channels.filter((n: Channel) => n.startsWith('connections:') || n.startsWith('remote:')))
    handlers[c] = () => fail('UNSUPPORTED', 'Not implemented yet')
  return { service: {}, handlers: handlers as unknown as HandlersFor<'connections'> & HandlersFor<'remote'> }
}
