import { createJwtDomain } from '../jwt'
import { createTokensDomain } from '../tokens'
import { createRemoteDomain } from '../remote'
import { createHygieneDomain } from '../hygiene'
import { assembleCore, type Core, type CoreOptions } from './assemble'

export type { Core, CoreOptions } from './assemble'

/**
 * Every service of a data folder behind one dispatch, built at once: the store opens (or fails) and a crash is
 * repaired here, as the shell expects. The CLI's createLazyCore builds each domain on its first call instead.
 */
export function createCore(opts: CoreOptions): Core {
  const code = {
    jwt: () => createJwtDomain,
    tokens: () => createTokensDomain,
    remote: () => createRemoteDomain,
    hygiene: () => createHygieneDomain
  }
  return assembleCore(opts, code, { build: 'now' })
}

export type { CoreDeps, Handlers, HandlersFor, Handler, CallCtx, Mode } from './types'
