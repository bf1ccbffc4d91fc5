import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
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
  return assembleCore({ ...opts, nativeBinding: opts.nativeBinding ?? nodeSqliteBinding() }, code, {
    build: 'on first use'
  })
}

/**
 * Node's build of better-sqlite3 named by its path: the addon's default lookup (the `bindings` package) stats a dozen
 * candidate folders on every start. Undefined (that lookup) when the build is not where npm puts it.
 */
function nodeSqliteBinding(): string | undefined {
  try {
    const file = join(
      dirname(createRequire(__filename).resolve('better-sqlite3')),
      '..',
      'build',
      'Release',
      'better_sqlite3.node'
    )
    return existsSync(file) ? file : undefined
  } catch {
    return undefined
  }
}
