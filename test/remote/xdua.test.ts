import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { makeCore, type TestCore } from '../helpers/core'
import { XDUA_DEFAULT_ROUTES, XDUA_VERBS, xduaActionRoutes, type XduaVerb } from '../../src/shared/contract'
import { SEED_CLAIMS } from '../helpers/claims'

const CLAIMS = SEED_CLAIMS

// xdua client against the emulator (contracts/xdua.md): every verb through the route table, read off the request log.
describe('xdua client', () => {
  let x: XduaEmulator
  let core: TestCore
  beforeAll(async () => {
    x = await startXduaEmulator({ tokens: 6 })
    core = makeCore()
    await core.call('connections:add', {
      name: 'xd',
      kind: 'xdua',
      baseUrl: x.url,
      authMethod: 'jwt',
      credential: x.token
    })
  })
  afterAll(async () => {
    core.cleanup()
    await x.close()
  })

  /** Runs the whole lifecycle and checks each request against the route table. */
  async function walk(conn: string, emu: XduaEmulator, routes: typeof XDUA_DEFAULT_ROUTES) {
    const seen: Partial<
      Record<XduaVerb, { method: string; path: string; query: Record<string, string>; auth: unknown; body: string }>
    > = {}
    const call = async (verb: XduaVerb, extra: Record<string, unknown> = {}) => {
      emu.clearRequests()
      const r = await core.call('remote:xdua', { conn, verb, ...extra })
      expect(emu.requests).toHaveLength(1)
      const q = emu.requests[0]
      seen[verb] = { method: q.method, path: q.path, query: q.query, auth: q.headers.authorization, body: q.body }
      return r
    }
    const add = await call('ADD', { fields: CLAIMS })
    const id = add.id!
    expect(id).toMatch(/^[A-Za-z0-9]{8}$/)
    const set = await call('SET', { id, fields: { name: `ops_${id}`, brief: 'on call' } })
    expect(set.updates).toEqual({ name: `ops_${id}`, brief: 'on call' })
    await call('PUB', { id })
    await call('DIS', { id })
    expect(emu.state.tokens.get(id)!.state).toBe(1)
    await call('ENB', { id })
    await call('OFF', { id })
    const get = await call('GET', { id })
    expect(get.record).toMatchObject({
      id,
      name: `ops_${id}`,
      brief: 'on call',
      state: 0,
      creatorName: 'admin',
      claims: { aud: 'AdmManHu' }
    })
    expect((await call('GIT', { id })).record!.id).toBe(id)
    const qry = await call('QRY', { where: { state: 0 }, limit: 2, page: 1, order: 'name:DESC' })
    expect(qry.list!.items.length).toBeLessThanOrEqual(2)
    expect((await call('QRI', { limit: 50 })).list!.items.some((t) => t.id === id)).toBe(true)
    await call('DOL', { id })
    expect(emu.state.tokens.get(id)!.deleted).toBe(true)
    await call('RCC', { id })
    await call('DEL', { id })
    expect(emu.state.tokens.has(id)).toBe(false)
    for (const verb of XDUA_VERBS) {
      const s = seen[verb]!
      const route = routes[verb]
      expect(s.method, verb).toBe(route.method)
      expect(s.path, verb).toBe(route.path.replace('{id}', id))
      for (const [k, v] of Object.entries(route.query ?? {}))
        expect(s.query[k], `${verb} ?${k}`).toBe(v === '{id}' ? id : String(v))
      for (const [k, v] of Object.entries(route.body ?? {})) expect(JSON.parse(s.body)[k], `${verb} body ${k}`).toBe(v)
      // The raw JWT, never "Bearer ...".
      expect(s.auth, verb).toBe(emu.token)
    }
    return seen
  }

  it('each of the 13 verbs sends the default route table method, path and raw Authorization', async () => {
    const seen = await walk('xd', x, XDUA_DEFAULT_ROUTES)
    expect(seen.QRY!.query).toMatchObject({ where: '{"state":0}', limit: '2', page: '1', order: 'name:DESC' })
    expect(JSON.parse(seen.DIS!.body)).toEqual({ state: 1 })
  })

  it('the older action= form works through the route table', async () => {
    const routes = xduaActionRoutes()
    const old = await startXduaEmulator({ routes })
    try {
      await core.call('connections:add', {
        name: 'xd-old',
        kind: 'xdua',
        baseUrl: old.url,
        authMethod: 'jwt',
        credential: old.token,
        routes
      })
      const seen = await walk('xd-old', old, routes)
      expect(seen.DIS!.query.action).toBe('DIS')
      expect(seen.DIS!.path).toBe('/token')
    } finally {
      await old.close()
    }
  })

  it('error != 0 surfaces reason and message', async () => {
    const add = await core.call('remote:xdua', { conn: 'xd', verb: 'ADD', fields: CLAIMS })
    const taken = [...x.state.tokens.values()].find((t) => t.id !== add.id)!.name
    // A duplicate name is taken from another token of the same creator.
    const e = await core.callError('remote:xdua', { conn: 'xd', verb: 'SET', id: add.id, fields: { name: taken } })
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toContain('CareAlreadyExists (200001)')
    expect(e.message).toContain('name already exists')
    expect(e.details).toMatchObject({ error: 200001, reason: 'CareAlreadyExists' })
    const nf = await core.callError('remote:xdua', { conn: 'xd', verb: 'GET', id: 'NOPE1234' })
    expect(nf).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'ResourceNotFound' } })
    const bad = await core.callError('remote:xdua', {
      conn: 'xd',
      verb: 'ADD',
      fields: { ...CLAIMS, jti: 'too-long-jti' }
    })
    expect(bad).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('InvalidParameter') })
    const st = await core.callError('remote:xdua', { conn: 'xd', verb: 'RCC', id: add.id })
    expect(st).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'InvalidState' } })
    // A caller without the Admin role: DIS is PermissionDenied.
    const zoon = {
      name: 'z',
      kind: 'xdua' as const,
      baseUrl: x.url,
      authMethod: 'jwt' as const,
      credential: x.mint({ uid: 'U0000001', role: 'Zoon' })
    }
    expect((await core.callError('remote:xdua', { adhoc: zoon, verb: 'DIS', id: add.id })).code).toBe('FORBIDDEN')
    expect((await core.callError('remote:xdua', { conn: 'xd', verb: 'GET' })).code).toBe('VALIDATION')
  })

  it('a bad JWT is AUTH from the gateway headers; a Bearer prefix is not what xdua wants', async () => {
    const adhoc = {
      name: 'b',
      kind: 'xdua' as const,
      baseUrl: x.url,
      authMethod: 'jwt' as const,
      credential: `Bearer ${x.token}`
    }
    const e = await core.callError('remote:xdua', { adhoc, verb: 'QRY' })
    expect(e).toMatchObject({ code: 'AUTH', message: expect.stringContaining('Invalid Token') })
    expect(e.message).not.toContain(x.token)
    expect((await core.callError('connections:test', { draft: { ...adhoc, credential: 'not-a-jwt' } })).code).toBe(
      'AUTH'
    )
    expect((await core.call('connections:test', { id: 'xd' })).ok).toBe(true)
  })

  it.each(['html', 'truncated', 'wrongTypes', 'huge'] as const)('garbage (%s) is PROTOCOL', async (kind) => {
    x.setFault({ kind })
    const e = await core.callError('remote:xdua', { conn: 'xd', verb: 'QRI' })
    x.setFault(null)
    expect(e.code).toBe('PROTOCOL')
  })

  it('gateway 5xx is SERVER, a closed port NETWORK, a slow answer TIMEOUT', async () => {
    x.setFault({ kind: 'status', status: 502 })
    expect((await core.callError('remote:xdua', { conn: 'xd', verb: 'QRI' })).code).toBe('SERVER')
    x.setFault({ kind: 'slow', delayMs: 3000 })
    const slow = {
      name: 's',
      kind: 'xdua' as const,
      baseUrl: x.url,
      authMethod: 'jwt' as const,
      credential: x.token,
      timeoutMs: 150
    }
    expect((await core.callError('remote:xdua', { adhoc: slow, verb: 'ADD', fields: CLAIMS })).code).toBe('TIMEOUT')
    x.setFault(null)
    expect(
      (await core.callError('remote:xdua', { adhoc: { ...slow, baseUrl: 'http://127.0.0.1:9' }, verb: 'QRI' })).code
    ).toBe('NETWORK')
  })
})

describe('xdua gateway errors (HTTP status + X-Ca-Error-* headers)', () => {
  it.each([
    [401, 'AUTH'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [400, 'VALIDATION'],
    [503, 'SERVER']
  ])('HTTP %s is %s with the gateway message', async (status, mapped) => {
    const x = await startXduaEmulator()
    const core = makeCore()
    try {
      x.setFault({
        kind: 'answer',
        answer: {
          status,
          body: '',
          headers: { 'x-ca-error-code': `E${status}`, 'x-ca-error-message': `gateway says ${status}` }
        }
      })
      const adhoc = {
        name: 'g',
        kind: 'xdua' as const,
        baseUrl: x.url,
        authMethod: 'jwt' as const,
        credential: x.token
      }
      const e = await core.callError('remote:xdua', { adhoc, verb: 'ADD', fields: CLAIMS })
      expect(e).toMatchObject({ code: mapped, message: expect.stringContaining(`gateway says ${status}`) })
    } finally {
      core.cleanup()
      await x.close()
    }
  })
})
