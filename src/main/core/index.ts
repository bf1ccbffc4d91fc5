import { createJwtDomain } from '../jwt'
import { createTokensDomain } from '../tokens'
import { createRemoteDomain } from '../remote'
import { assembleCore, type Core, type CoreOptions } from './assemble'

export { defaultDataDir, resolveDataDir } from './data-dir'
export type { Core, CoreOptions } from './assemble'

/** Every service of a data folder behind one dispatch; each domain is built on its first use. */
export function createCore(opts: CoreOptions): Core {
  return assembleCore(opts, { jwt: () => createJwtDomain, tokens: () => createTokensDomain, remote: () => createRemoteDomain })
}

export type { CoreDeps, Handlers, HandlersFor, Handler, CallCtx, Mode } from './types'
