import { fail } from '../../shared/errors'
import type { Profile } from './connections'
import { FessClient } from './fess'
import { DataforClient } from './datafor'
import { XduaClient } from './xdua'

/** Builds the client of a profile's kind, loading its credential from the keychain (or the one-off profile). */
export async function fessClient(p: Profile): Promise<FessClient> {
  if (p.kind !== 'fess')
    fail('VALIDATION', `The connection "${p.name}" is a ${p.kind} server, not Fess`, { path: 'conn' })
  return new FessClient(httpOpts(p), { token: await p.credential() })
}

export async function dataforClient(p: Profile): Promise<DataforClient> {
  if (p.kind !== 'datafor')
    fail('VALIDATION', `The connection "${p.name}" is a ${p.kind} server, not Datafor`, { path: 'conn' })
  return new DataforClient(httpOpts(p), {
    method: p.authMethod as 'basic' | 'session' | 'bearer',
    username: p.username,
    secret: await p.credential()
  })
}

export async function xduaClient(p: Profile): Promise<XduaClient> {
  if (p.kind !== 'xdua')
    fail('VALIDATION', `The connection "${p.name}" is a ${p.kind} server, not xdua`, { path: 'conn' })
  return new XduaClient(httpOpts(p), await p.credential(), p.routes)
}

function httpOpts(p: Profile) {
  return { baseUrl: p.baseUrl, timeoutMs: p.timeoutMs, tls: p.tls, allowInsecure: p.allowInsecure }
}

/** Runs `fn` with a client and always closes it (sockets, a Datafor session). */
export async function using<C extends { close(): Promise<void> }, T>(client: C, fn: (c: C) => Promise<T>): Promise<T> {
  try {
    return await fn(client)
  } finally {
    await client.close().catch(() => undefined)
  }
}
