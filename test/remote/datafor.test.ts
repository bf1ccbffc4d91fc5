import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { makeCore, type TestCore } from '../helpers/core'
import { DataforClient } from '../../src/main/remote/datafor'

// Datafor client against the emulator (contracts/datafor.md), over real loopback HTTP.
describe('Datafor client', () => {
  let df: DataforEmulator
  let core: TestCore
  const SECRET = 'a-fresh-secret-0123456789abcdef-xyz'
  beforeAll(async () => {
    df = await startDataforEmulator({ configs: 2 })
    core = makeCore()
    await core.call('connections:add', {
      name: 'df',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'basic',
      username: df.admin.username,
      credential: df.admin.password
    })
    await core.call('connections:add', {
      name: 'dfs',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'session',
      username: df.admin.username,
      credential: df.admin.password
    })
  })
  afterAll(async () => {
    core.cleanup()
    await df.close()
  })

  it('lists with HTTP Basic; secrets masked; camelCase fields', async () => {
    const r = await core.call('remote:dataforList', { conn: 'df' })
    expect(r.items.map((c) => c.name).sort()).toEqual(['ERP1', 'ERP2'])
    expect(r.items[0]).toMatchObject({
      tokenName: 'token',
      hasSecret: true,
      secretKept: false,
      algorithm: 'HS256',
      enable: true,
      fieldmap: { username: 'loginname' }
    })
    expect(JSON.stringify(r)).not.toContain('secret-1-')
    expect(df.requests.at(-1)!.headers.authorization).toMatch(/^Basic /)
  })

  it('session login sends JSESSIONID', async () => {
    const r = await core.call('remote:dataforGet', { conn: 'dfs', name: 'ERP1' })
    expect(r.name).toBe('ERP1')
    const login = df.requests.find((q) => q.path.endsWith('/auth/login'))!
    expect(login.method).toBe('POST')
    const get = df.requests.find((q) => q.path.endsWith('/token/content'))!
    expect(get.headers.cookie).toMatch(/^JSESSIONID=/)
    expect(get.headers.authorization).toBeUndefined()
  })

  it('an expired session logs in again once', async () => {
    const c = new DataforClient({ baseUrl: df.url }, { method: 'session', username: 'admin', secret: 'admin-pass' })
    try {
      expect((await c.list()).length).toBeGreaterThan(0)
      df.state.sessions.clear() // the server forgot the session
      df.clearRequests()
      expect((await c.get('ERP1')).name).toBe('ERP1')
      expect(df.requests.map((q) => q.path.split('/').pop())).toEqual(['content', 'login', 'content'])
    } finally {
      await c.close()
    }
  })

  it('updating one field keeps the other fields and the secret', async () => {
    const before = { ...df.state.configs.get('ERP1')! }
    expect(before.self_service).toBe('1')
    const r = await core.call('remote:dataforPut', { conn: 'df', name: 'ERP1', expire: 3600 })
    expect(r.created).toBe(false)
    expect(r.changed).toEqual(['expire'])
    const after = df.state.configs.get('ERP1')!
    expect(after).toMatchObject({ ...before, expire: 3600, lastModifiedDate: after.lastModifiedDate })
    expect(after.secret).toBe(before.secret)
    // The full object went over the wire, without any secret.
    const sent = JSON.parse(df.requests.filter((q) => q.path.endsWith('/token/update')).at(-1)!.body)
    expect(sent).toMatchObject({
      name: 'ERP1',
      self_service: '1',
      enable: '1',
      token_name: 'token',
      fieldmap: before.fieldmap
    })
    expect(sent.secret).toBeUndefined()
  })

  it('creates with a secret, keeps it in the keychain for offline minting, and generate signs with it', async () => {
    const r = await core.call('remote:dataforPut', {
      conn: 'df',
      name: 'OA',
      secret: SECRET,
      fieldmap: { username: 'loginname' },
      enable: true
    })
    expect(r.created).toBe(true)
    expect(r.item.secretKept).toBe(true)
    expect(df.state.configs.get('OA')!.secret).toBe(SECRET)
    expect(await core.services.remote.keptDataforSecret('df', 'OA')).toBe(SECRET)
    const g = await core.call('remote:dataforGenerate', { conn: 'df', name: 'OA', username: 'admin' })
    const [h, p, sig] = g.token.split('.')
    expect(createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url')).toBe(sig)
    expect(JSON.parse(Buffer.from(p, 'base64url').toString()).loginname).toBe('admin')
    // Creating without a secret is refused before anything is sent.
    expect((await core.callError('remote:dataforPut', { conn: 'df', name: 'NOSECRET' })).code).toBe('VALIDATION')
  })

  it('mints a test token offline with the kept secret (JWT engine), refusing configs whose secret it never set', async () => {
    const r = await core.call('remote:dataforMint', { conn: 'df', name: 'OA', username: 'alice' })
    const [h, p, sig] = r.token.split('.')
    expect(createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url')).toBe(sig)
    expect(r.payload).toMatchObject({ loginname: 'alice' })
    expect(r.loginUrl).toContain(`token=${r.token}`)
    expect((await core.callError('remote:dataforMint', { conn: 'df', name: 'ERP2', username: 'alice' })).code).toBe(
      'SECRET_MISSING'
    )
  })

  /** An unsaved Datafor connection that sends `credential` as its Bearer JWT. */
  const bearer = (credential: string) => ({
    name: 'jwt',
    kind: 'datafor' as const,
    baseUrl: df.url,
    authMethod: 'bearer' as const,
    credential
  })

  it('a Bearer JWT authenticates; an invalid one is an anonymous answer, recognised as AUTH', async () => {
    const good = await core.call('remote:dataforGenerate', { conn: 'df', name: 'OA', username: 'admin' })
    const adhoc = bearer(good.token)
    expect((await core.call('remote:dataforList', { adhoc })).items.length).toBeGreaterThan(0)
    const anon = { ...adhoc, credential: `${good.token.slice(0, -3)}AAA` }
    const e = await core.callError('remote:dataforList', { adhoc: anon })
    expect(e.code).toBe('AUTH')
    expect(e.message).toMatch(/anonymous/)
    expect((await core.callError('connections:test', { draft: anon })).code).toBe('AUTH')
    expect((await core.call('connections:test', { id: 'df' })).user).toBe('admin')
  })

  it('a credential no HTTP header can carry (a lone surrogate) is refused with a code, for every Datafor call', async () => {
    const adhoc = bearer('\ud800')
    for (const [channel, input] of [
      ['remote:dataforList', { adhoc }],
      ['remote:dataforDelete', { adhoc, name: 'a' }],
      ['remote:dataforDeleteMany', { adhoc, names: ['a'] }]
    ] as const) {
      const e = await core.callError(channel, input)
      expect(e.code, `${channel}: ${e.message}`).toBe('VALIDATION')
      expect(e.message).toMatch(/header cannot carry/)
    }
  })

  it('an envelope code named like an Object property (valueOf) is SERVER, with the code as text', async () => {
    const body = JSON.stringify({ success: false, code: 'valueOf' })
    df.setFault({ kind: 'answer', answer: { status: 200, body, headers: { 'content-type': 'application/json' } } })
    try {
      const e = await core.callError('remote:dataforList', { conn: 'df' })
      expect(e.code).toBe('SERVER')
      expect(e.message).toBe('Datafor: request failed (code valueOf)')
    } finally {
      df.setFault(null)
    }
  })

  it('a bad password is AUTH (Basic: HTTP 401; session: success:false)', async () => {
    const basic = {
      name: 'b',
      kind: 'datafor' as const,
      baseUrl: df.url,
      authMethod: 'basic' as const,
      username: 'admin',
      credential: 'bad-password-value'
    }
    const e1 = await core.callError('remote:dataforList', { adhoc: basic })
    expect(e1.code).toBe('AUTH')
    const e2 = await core.callError('remote:dataforList', { adhoc: { ...basic, authMethod: 'session' } })
    expect(e2.code).toBe('AUTH')
    expect(e2.message).toContain('wrong password')
    expect(JSON.stringify([e1, e2])).not.toContain('bad-password-value')
  })

  it('a non-admin is FORBIDDEN with the server message; unknown names are NOT_FOUND', async () => {
    const viewer = {
      name: 'v',
      kind: 'datafor' as const,
      baseUrl: df.url,
      authMethod: 'basic' as const,
      username: df.viewer.username,
      credential: df.viewer.password
    }
    const e = await core.callError('remote:dataforGet', { adhoc: viewer, name: 'ERP1' })
    expect(e).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('no permission') })
    expect((await core.callError('remote:dataforGet', { conn: 'df', name: 'NOPE' })).code).toBe('NOT_FOUND')
    expect((await core.callError('remote:dataforDelete', { conn: 'df', name: 'NOPE' })).code).toBe('NOT_FOUND')
  })

  it('server-side validation is VALIDATION (HTTP 200, code "400")', async () => {
    const c = new DataforClient({ baseUrl: df.url }, { method: 'basic', username: 'admin', secret: 'admin-pass' })
    try {
      await expect(c.put('bad-name', { secret: 'x' })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('special characters')
      })
      await expect(c.generate('ERP2', '')).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('username can not be empty')
      })
    } finally {
      await c.close()
    }
  })

  it('delete and delete-many (unknown names reported, not failed)', async () => {
    await core.call('remote:dataforPut', { conn: 'df', name: 'T1', secret: SECRET })
    await core.call('remote:dataforPut', { conn: 'df', name: 'T2', secret: SECRET })
    await core.call('remote:dataforPut', { conn: 'df', name: 'T3', secret: SECRET })
    await core.call('remote:dataforDelete', { conn: 'df', name: 'T1' })
    expect(df.state.configs.has('T1')).toBe(false)
    expect(await core.services.remote.keptDataforSecret('df', 'T1')).toBeNull()
    const r = await core.call('remote:dataforDeleteMany', { conn: 'df', names: ['T2', 'T3', 'GHOST'] })
    expect(r).toEqual({ deleted: ['T2', 'T3'], missing: ['GHOST'] })
  })

  it.each(['html', 'truncated', 'wrongTypes', 'huge'] as const)('garbage (%s) is PROTOCOL', async (kind) => {
    df.setFault({ kind })
    const e = await core.callError('remote:dataforList', { conn: 'df' })
    df.setFault(null)
    expect(e.code).toBe('PROTOCOL')
  })

  it('timeouts and network failures', async () => {
    const c = new DataforClient(
      { baseUrl: df.url, timeoutMs: 200, retries: 0 },
      { method: 'basic', username: 'admin', secret: 'admin-pass' }
    )
    df.setFault({ kind: 'slow', delayMs: 3000 })
    await expect(c.list()).rejects.toMatchObject({ code: 'TIMEOUT' })
    df.setFault({ kind: 'reset' })
    await expect(c.list()).rejects.toMatchObject({ code: 'NETWORK' })
    df.setFault({ kind: 'status', status: 500 })
    await expect(c.list()).rejects.toMatchObject({ code: 'SERVER' })
    df.setFault(null)
    await c.close()
  })
})

describe('Datafor error codes (HTTP 200, success:false, string code)', () => {
  it.each([
    ['400', 'VALIDATION'],
    ['401', 'AUTH'],
    ['403', 'FORBIDDEN'],
    ['404', 'NOT_FOUND'],
    ['409', 'CONFLICT'],
    ['500', 'SERVER'],
    ['503', 'SERVER']
  ])('code "%s" is %s with the server message', async (code, mapped) => {
    const df = await startDataforEmulator({ configs: 1 })
    const c = new DataforClient(
      { baseUrl: df.url, retries: 0 },
      { method: 'basic', username: 'admin', secret: 'admin-pass' }
    )
    try {
      df.setFault({
        kind: 'answer',
        answer: { status: 200, body: JSON.stringify({ success: false, code, msg: `server says ${code}`, type: '1' }) }
      })
      await expect(c.get('ERP1')).rejects.toMatchObject({
        code: mapped,
        message: expect.stringContaining(`server says ${code}`)
      })
    } finally {
      await c.close()
      await df.close()
    }
  })
})
