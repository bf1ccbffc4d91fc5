import { startFessEmulator, type FessEmulator, type FessEmulatorOptions } from '../emulators/fess'
import { startDataforEmulator, type DataforEmulator, type DataforEmulatorOptions } from '../emulators/datafor'
import { startXduaEmulator, type XduaEmulator, type XduaEmulatorOptions } from '../emulators/xdua'
import { makeCore, type TestCore } from './core'
import type { CoreOptions } from '../../src/main/core'
import type { Input } from '../../src/shared/contract'

type ConnectionInput = Input<'connections:add'>

/** A Fess connection that signs in with an admin access token. */
export function fessConnection(name: string, baseUrl: string, credential: string): ConnectionInput {
  return { name, kind: 'fess', baseUrl, authMethod: 'token', credential }
}

/** A Datafor connection that signs in with HTTP Basic as the emulator's admin. */
export function dataforConnection(name: string, df: DataforEmulator): ConnectionInput {
  return {
    name,
    kind: 'datafor',
    baseUrl: df.url,
    authMethod: 'basic',
    username: df.admin.username,
    credential: df.admin.password
  }
}

/** An xdua connection that signs in with the emulator's JWT. */
export function xduaConnection(name: string, x: XduaEmulator): ConnectionInput {
  return { name, kind: 'xdua', baseUrl: x.url, authMethod: 'jwt', credential: x.token }
}

/** Which emulators to start, each with its options; each gets a connection named 'f', 'd' or 'x'. */
export interface ServerOptions {
  fess?: FessEmulatorOptions
  datafor?: DataforEmulatorOptions
  xdua?: XduaEmulatorOptions
  core?: Partial<CoreOptions> & { keychain?: boolean }
}

export type CoreWithServers<W extends ServerOptions> = {
  core: TestCore
  /** Closes the emulators; with `cleanup` (the default) also closes the core and removes its data folder. */
  stop: (opts?: { cleanup?: boolean }) => Promise<void>
} & ('fess' extends keyof W ? { fess: FessEmulator } : unknown) &
  ('datafor' extends keyof W ? { df: DataforEmulator } : unknown) &
  ('xdua' extends keyof W ? { x: XduaEmulator } : unknown)

/**
 * A core over a fresh data folder with a connection to each emulator asked for: 'f' (Fess, admin token), 'd' (Datafor,
 * basic auth as its admin), 'x' (xdua, its JWT), added in that order.
 */
export async function coreWithServers<W extends ServerOptions>(opts: W): Promise<CoreWithServers<W>> {
  const fess = opts.fess ? await startFessEmulator(opts.fess) : undefined
  const df = opts.datafor ? await startDataforEmulator(opts.datafor) : undefined
  const x = opts.xdua ? await startXduaEmulator(opts.xdua) : undefined
  const core = makeCore(opts.core)
  if (fess) await core.call('connections:add', fessConnection('f', fess.url, fess.adminToken))
  if (df) await core.call('connections:add', dataforConnection('d', df))
  if (x) await core.call('connections:add', xduaConnection('x', x))
  const stop = async ({ cleanup = true } = {}) => {
    if (cleanup) core.cleanup()
    await Promise.all([fess?.close(), df?.close(), x?.close()])
  }
  return { core, fess, df, x, stop } as unknown as CoreWithServers<W>
}
