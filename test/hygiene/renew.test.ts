import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FessEmulator } from '../emulators/fess'
import type { XduaEmulator } from '../emulators/xdua'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'
import type { RenewManyResult } from '../../src/shared/contract'
import { CLAIMS } from '../helpers/claims'

// Renew: a new expiry on the token's server (Fess update, xdua SET, read-merge-write) or locally; bulk renew as a job.
describe('renew', () => {
  let fess: FessEmulator
  let x: XduaEmulator
  let core: TestCore
  let stop: () => Promise<void>
  beforeAll(async () => {
    ;({ core, fess, x, stop } = await coreWithServers({ fess: {}, xdua: {} }))
  })
  afterAll(() => stop())
  const pull = async (conn: string) => {
    const info = await core.deps.jobs.wait((await core.call('remote:pull', { conn })).jobId)
    expect(info.state).toBe('done')
  }

  it('Fess: the server expiry changes, other fields are kept, and the pulled copy follows', async () => {
    const created = await core.call('remote:fessCreate', {
      conn: 'f',
      name: 'renew me',
      permissions: ['{user}bob'],
      parameterName: 'p',
      expires: '2026-12-20T00:00:00'
    })
    await pull('f')
    const local = core.db.prepare('SELECT id FROM access_tokens WHERE remote_id = ?').get(created.item.id) as {
      id: string
    }
    const r = await core.call('inventory:renew', {
      kind: 'access-token',
      id: local.id,
      expiresAt: '2027-06-30T12:00:00Z'
    })
    expect(r).toMatchObject({ target: 'fess', before: '2026-12-20T00:00:00.000Z', after: '2027-06-30T12:00:00.000Z' })
    const server = fess.state.items.get(created.item.id)!
    expect(server.expires).toBe('2027-06-30T12:00:00')
    expect(server.parameter_name).toBe('p')
    expect(server.token).toBe(created.token)
    expect(core.db.prepare('SELECT expires FROM access_tokens WHERE id = ?').get(local.id)).toEqual({
      expires: '2027-06-30T12:00:00'
    })
    // null: never expires.
    await core.call('remote:renew', { conn: 'f', id: created.item.id, expiresAt: null })
    expect(fess.state.items.get(created.item.id)!.expires ?? null).toBeNull()
  })

  it('xdua: SET expire on the server', async () => {
    const claims = CLAIMS
    const id = (await core.call('remote:xdua', { conn: 'x', verb: 'ADD', fields: claims })).id!
    const r = await core.call('remote:renew', { conn: 'x', id, expiresAt: '2027-01-31T00:00:00Z' })
    expect(r).toMatchObject({ target: 'xdua', id, before: null, after: '2027-01-31T00:00:00.000Z' })
    expect(x.state.tokens.get(id)!.expire).toBe(Date.parse('2027-01-31T00:00:00Z') / 1000)
    await pull('x')
    const local = core.db.prepare('SELECT id FROM tokens WHERE remote_id = ?').get(id) as { id: string }
    await core.call('inventory:renew', { kind: 'token', id: local.id, expiresAt: '2028-01-01T00:00:00Z' })
    expect(x.state.tokens.get(id)!.expire).toBe(Date.parse('2028-01-01T00:00:00Z') / 1000)
    expect(core.db.prepare('SELECT expire FROM tokens WHERE id = ?').get(local.id)).toEqual({
      expire: Date.parse('2028-01-01T00:00:00Z') / 1000
    })
  })

  it('bulk renews 100 local tokens as a job with progress; a bad row is listed and the rest go on', async () => {
    const claims = CLAIMS
    const ids: string[] = []
    for (let i = 0; i < 100; i++)
      ids.push((await core.call('tokens:add', { ...claims, name: `bulk_${i}`, expiresIn: 86400 })).id)
    const items = [...ids.map((id) => ({ kind: 'token' as const, id })), { kind: 'token' as const, id: 'Zz999999' }]
    const { jobId } = await core.call('inventory:renewMany', { items, expiresAt: '2030-01-01T00:00:00Z' })
    const seen: number[] = []
    let info = await core.call('jobs:get', { id: jobId })
    while (info.state === 'running') {
      seen.push(info.done)
      await new Promise((r) => setImmediate(r))
      info = await core.call('jobs:get', { id: jobId })
    }
    expect(info).toMatchObject({ state: 'done', total: 101, done: 101 })
    // Progress is reported as rows go, not only at the end.
    expect(new Set(seen).size).toBeGreaterThan(2)
    const result = info.result as RenewManyResult
    expect(result.renewed).toBe(100)
    expect(result.failed).toEqual([expect.objectContaining({ id: 'Zz999999', code: 'NOT_FOUND' })])
    const n = core.db
      .prepare(`SELECT count(*) AS n FROM tokens WHERE expire = ? AND id IN (${ids.map(() => '?').join(',')})`)
      .get(Date.parse('2030-01-01T00:00:00Z') / 1000, ...ids) as { n: number }
    expect(n.n).toBe(100)
  })

  it('a local access token is renewed in the store, in Fess form', async () => {
    const at = await core.call('accessTokens:add', { name: 'local access', expires: '2026-12-24T00:00:00' })
    const r = await core.call('inventory:renew', {
      kind: 'access-token',
      id: at.id,
      expiresAt: '2027-03-01T08:30:00+01:00'
    })
    expect(r).toMatchObject({ target: 'local', before: '2026-12-24T00:00:00.000Z', after: '2027-03-01T07:30:00.000Z' })
    expect((await core.call('accessTokens:get', { id: at.id })).expires).toBe('2027-03-01T07:30:00')
  })

  it('refuses what has no expiry, and a bad instant', async () => {
    const sso = await core.call('ssoApps:add', { name: 'NoExpiry', secret: 's'.repeat(40) })
    expect((await core.callError('inventory:renew', { kind: 'sso-app', id: sso.id, expiresAt: null })).code).toBe(
      'UNSUPPORTED'
    )
    expect(
      (await core.callError('inventory:renew', { kind: 'token', id: 'Aa000000', expiresAt: '2027-01-01' })).code
    ).toBe('VALIDATION')
  })
})
