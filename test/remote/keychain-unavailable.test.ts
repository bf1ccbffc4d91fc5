import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FessEmulator } from '../emulators/fess'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'
import { MemorySecretStore } from '../../src/main/secrets'

// Every channel that reads, writes or deletes a secret refuses with KEYCHAIN_UNAVAILABLE when the keychain is
// unreachable, and leaves the store and the keychain as they were (no half-written row, no orphan, no lost item).
describe('every secret channel without a keychain', () => {
  let fess: FessEmulator
  let core: TestCore
  let stop: () => Promise<void>
  const store = new MemorySecretStore()
  const SECRET = 'an-hmac-secret-long-enough-for-hs256-0123456789'
  const ids: Record<string, string> = {}
  const versions: Record<string, number> = {}

  beforeAll(async () => {
    ;({ core, fess, stop } = await coreWithServers({
      fess: { tokens: 3 },
      datafor: { configs: 2 },
      xdua: { tokens: 2 },
      core: { secrets: store }
    }))
    await core.call('remote:dataforPut', { conn: 'd', name: 'KEPT', secret: SECRET })
    const { jobId } = await core.call('remote:pull', { conn: 'f', keepSecrets: true })
    expect((await core.deps.jobs.wait(jobId)).state).toBe('done')
    const at = await core.call('accessTokens:add', { name: 'local access' })
    const sso = await core.call('ssoApps:add', { name: 'APP', secret: SECRET })
    await core.call('keys:generate', { name: 'k', alg: 'HS256' })
    const conn = await core.call('connections:get', { id: 'f' })
    Object.assign(ids, { at: at.id, sso: sso.id, conn: conn.id })
    Object.assign(versions, { at: at.version, sso: sso.version, conn: conn.version })
  })
  afterAll(() => stop())

  const snapshot = () => {
    const tables = core.db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'audit%' AND name NOT LIKE 'sqlite%'"
      )
      .all()
    const rows = Object.fromEntries(tables.map((t) => [t.name, core.db.prepare(`SELECT * FROM "${t.name}"`).all()]))
    return JSON.stringify({ rows, keychain: [...store.items].sort() })
  }

  const calls: Array<[string, () => Record<string, unknown>]> = [
    ['accessTokens:add', () => ({ name: 'another' })],
    ['accessTokens:reveal', () => ({ id: ids.at })],
    ['accessTokens:update', () => ({ id: ids.at, version: versions.at, regenerate: true })],
    ['accessTokens:delete', () => ({ id: ids.at, version: versions.at })],
    ['ssoApps:add', () => ({ name: 'APP2', secret: SECRET })],
    ['ssoApps:reveal', () => ({ name: 'APP' })],
    ['ssoApps:update', () => ({ id: ids.sso, version: versions.sso, secret: `${SECRET}-2` })],
    ['ssoApps:delete', () => ({ id: ids.sso, version: versions.sso })],
    ['ssoApps:mint', () => ({ name: 'APP', username: 'admin' })],
    ['keys:generate', () => ({ name: 'k2', alg: 'HS256' })],
    ['keys:import', () => ({ name: 'k3', source: { secret: SECRET } })],
    ['keys:delete', () => ({ name: 'k' })],
    ['jwt:sign', () => ({ alg: 'HS256', key: { keyName: 'k' } })],
    [
      'jwt:verify',
      () => ({
        token: 'eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo',
        algorithms: ['HS256'],
        key: { keyName: 'k' }
      })
    ],
    [
      'connections:add',
      () => ({ name: 'g', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: fess.adminToken })
    ],
    ['connections:update', () => ({ id: 'f', version: versions.conn, credential: `${fess.adminToken}x` })],
    ['connections:remove', () => ({ id: 'f' })],
    ['connections:test', () => ({ id: 'f' })],
    ['remote:fessList', () => ({ conn: 'f' })],
    ['remote:fessReveal', () => ({ conn: 'f', id: [...fess.state.items.keys()][0] })],
    ['remote:dataforList', () => ({ conn: 'd' })],
    ['remote:dataforGet', () => ({ conn: 'd', name: 'KEPT' })],
    ['remote:dataforPut', () => ({ conn: 'd', name: 'KEPT', secret: `${SECRET}-3` })],
    ['remote:dataforDelete', () => ({ conn: 'd', name: 'KEPT' })],
    ['remote:dataforDeleteMany', () => ({ conn: 'd', names: ['KEPT'] })],
    ['remote:dataforMint', () => ({ conn: 'd', name: 'KEPT', username: 'admin' })],
    ['remote:dataforRotateSecret', () => ({ conn: 'd', name: 'KEPT' })],
    ['remote:xdua', () => ({ conn: 'x', verb: 'QRI' })],
    ['remote:diff', () => ({ conn: 'f' })],
    ['remote:push', () => ({ conn: 'd', localId: ids.sso })]
  ]

  it.each(calls)('%s refuses with KEYCHAIN_UNAVAILABLE and changes nothing', async (channel, input) => {
    const before = snapshot()
    store.unavailable = true
    try {
      const r = await core.dispatch(channel, input())
      expect(r.ok ? 'ok' : r.error.code).toBe('KEYCHAIN_UNAVAILABLE')
    } finally {
      store.unavailable = false
    }
    expect(snapshot()).toBe(before)
  })

  it.each([
    ['fess, keeping values', { conn: 'f', keepSecrets: true }],
    ['datafor', { conn: 'd' }]
  ])('remote:pull (%s) fails its job with KEYCHAIN_UNAVAILABLE and changes nothing', async (_what, input) => {
    const before = snapshot()
    store.unavailable = true
    try {
      const { jobId } = await core.call('remote:pull', input)
      const info = await core.deps.jobs.wait(jobId)
      expect(info.error?.code).toBe('KEYCHAIN_UNAVAILABLE')
    } finally {
      store.unavailable = false
    }
    expect(snapshot()).toBe(before)
  })

  it('a pull that would drop a row holding a value refuses rather than orphan it', async () => {
    const before = snapshot()
    const gone = [...fess.state.items.values()].find((i) => i.name.startsWith('token-'))!
    fess.state.items.delete(gone.id)
    fess.state.changed()
    store.unavailable = true
    try {
      const { jobId } = await core.call('remote:pull', { conn: 'f' })
      expect((await core.deps.jobs.wait(jobId)).error?.code).toBe('KEYCHAIN_UNAVAILABLE')
    } finally {
      store.unavailable = false
      fess.state.items.set(gone.id, gone)
      fess.state.changed()
    }
    expect(snapshot()).toBe(before)
  })
})
