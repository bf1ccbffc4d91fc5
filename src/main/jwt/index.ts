import type { CoreDeps, HandlersFor } from '../core/types'

// The JWT engine domain (issue 3): channels 'jwt:*' and 'keys:*'.
export type JwtService = Record<string, never>

export function createJwtDomain(_deps: CoreDeps): { service: JwtService; handlers: HandlersFor<'jwt'> & HandlersFor<'keys'> } {
  return { service: {}, handlers: {} }
}
