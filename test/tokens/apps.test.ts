import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { decodePermission, encodePermission } from '../../src/main/tokens'
import type { MemorySecretStore } from '../../src/main/secrets'
import { SEED_CLAIMS } from '../helpers/claims'

let core: TestCore
beforeEach(() => {
  core = makeCore()
})
afterEach(() => core.cleanup())

describe('access tokens (Fess shape)', () => {
  it('encodes permissions like Fess and warns about plain values it would read back changed', () => {
    expect(encodePermission('{role}admin-api')).toMatchObject({
      encoded: 'Radmin-api',
      readBack: '{role}admin-api',
      kind: 'role'
    })
    expect(encodePermission('{user}bob').encoded).toBe('1bob')
    expect(encodePermission('{group}ops').encoded).toBe('2ops')
    expect(encodePermission('(deny){user}eve')).toMatchObject({
      encoded: 'D1eve',
      readBack: '(deny){user}eve',
      deny: true
    })
    expect(encodePermission('(allow){role}x').line).toBe('{role}x')
    expect(encodePermission('Robert').readBack).toBe('{role}obert')
    expect(decodePermission('Dave')).toBe('(deny)ave')
  })

  it('add: 60 letters/digits in the keychain, masked in results, permissions normalized, warnings for mangled values', async () => {
    const r = await core.call('accessTokens:add', {
      name: 'crawler',
      permissions: ['{role}admin-api', '  {user}bob  ', '', '{role}admin-api', 'Robert', 'guest'],
      parameterName: 'perm',
      expires: '2099-12-31T23:59:59'
    })
    expect(r.permissions).toEqual(['{role}admin-api', '{user}bob', 'Robert', 'guest'])
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]).toContain('{role}obert')
    const secrets = core.secrets as MemorySecretStore
    const tokenRef = (id: string) =>
      (core.db.prepare('SELECT token_ref FROM access_tokens WHERE id = ?').get(id) as { token_ref: string }).token_ref
    const value = secrets.items.get(tokenRef(r.id))!
    expect(value).toMatch(/^[A-Za-z0-9]{60}$/)
    expect(r.tokenMasked).toBe(`••••••••${value.slice(-4)}`)
    expect(JSON.stringify(r)).not.toContain(value)
    expect(JSON.stringify(await core.call('accessTokens:list', {}))).not.toContain(value)
    expect((await core.call('accessTokens:reveal', { id: r.id })).token).toBe(value)
    // two tokens never share a value
    const r2 = await core.call('accessTokens:add', { name: 'other' })
    expect(secrets.items.get(tokenRef(r2.id))).not.toBe(value)
  })

  it('refusals: validation, not found, conflict, keychain unavailable writes nothing', async () => {
    expect((await core.callError('accessTokens:add', { name: '  ' })).code).toBe('VALIDATION')
    expect((await core.callError('accessTokens:add', { name: 'x', expires: '2099-12-31 23:59' })).details?.path).toBe(
      'expires'
    )
    expect((await core.callError('accessTokens:get', { id: 'nosuchid0' })).code).toBe('NOT_FOUND')
    expect((await core.callError('accessTokens:reveal', { id: 'nosuchid0' })).code).toBe('NOT_FOUND')
    expect((await core.callError('accessTokens:update', { id: 'nosuchid0', version: 1 })).code).toBe('NOT_FOUND')
    expect((await core.callError('accessTokens:delete', { id: 'nosuchid0', version: 1 })).code).toBe('NOT_FOUND')
    const r = await core.call('accessTokens:add', { name: 'a' })
    const u = await core.call('accessTokens:update', {
      id: r.id,
      version: 1,
      name: 'b',
      permissions: '{group}ops\n{role}x'
    })
    expect(u).toMatchObject({ name: 'b', permissions: ['{group}ops', '{role}x'], version: 2 })
    expect((await core.callError('accessTokens:update', { id: r.id, version: 1, name: 'lost' })).code).toBe('CONFLICT')
    expect((await core.callError('accessTokens:delete', { id: r.id, version: 1 })).code).toBe('CONFLICT')
    expect((await core.call('accessTokens:get', { id: r.id })).name).toBe('b')
    const secrets = core.secrets as MemorySecretStore
    secrets.unavailable = true
    expect((await core.callError('accessTokens:add', { name: 'c' })).code).toBe('KEYCHAIN_UNAVAILABLE')
    expect((await core.callError('accessTokens:delete', { id: r.id, version: 2 })).code).toBe('KEYCHAIN_UNAVAILABLE')
    secrets.unavailable = false
    expect((await core.call('accessTokens:list', {})).items.map((x) => x.name)).toEqual(['b'])
  })

  it('update --regenerate makes a new value under a new keychain item and drops the old one; delete removes both', async () => {
    const r = await core.call('accessTokens:add', { name: 'a' })
    const before = (await core.call('accessTokens:reveal', { id: r.id })).token
    const u = await core.call('accessTokens:update', { id: r.id, version: 1, regenerate: true })
    const after = (await core.call('accessTokens:reveal', { id: r.id })).token
    expect(after).not.toBe(before)
    const secrets = core.secrets as MemorySecretStore
    expect([...secrets.items.values()]).not.toContain(before)
    await core.call('accessTokens:delete', { id: r.id, version: u.version })
    expect([...secrets.items.values()]).not.toContain(after)
    expect((await core.callError('accessTokens:get', { id: r.id })).code).toBe('NOT_FOUND')
  })

  it('pulled copies are read-only', async () => {
    const r = await core.call('accessTokens:add', { name: 'a' })
    core.db.prepare("UPDATE access_tokens SET origin_connection_id = 'c1' WHERE id = ?").run(r.id)
    expect((await core.callError('accessTokens:update', { id: r.id, version: 1, name: 'x' })).code).toBe('READ_ONLY')
    expect((await core.callError('accessTokens:delete', { id: r.id, version: 1 })).code).toBe('READ_ONLY')
  })
})

const SECRET = 'datafor-sso-shared-secret-0123456789abcdef'

describe('SSO apps (Datafor shape)', () => {
  it('add keeps secret and initpwd in the keychain only; get/list show neither; reveal does', async () => {
    const r = await core.call('ssoApps:add', {
      name: 'ERP',
      secret: SECRET,
      initpwd: 'Init-Pwd-9',
      fieldmap: { username: 'loginname', email: 'mail' }
    })
    expect(r).toMatchObject({
      name: 'ERP',
      tokenName: 'token',
      expire: 86400,
      algorithm: 'HS256',
      enable: false,
      inituser: true,
      initroles: ['SYS_Reader'],
      selfService: false,
      hasSecret: true,
      hasInitpwd: true
    })
    const text = JSON.stringify([
      r,
      await core.call('ssoApps:get', { name: 'ERP' }),
      await core.call('ssoApps:list', {})
    ])
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain('Init-Pwd-9')
    expect(await core.call('ssoApps:reveal', { name: 'ERP' })).toEqual({
      id: r.id,
      secret: SECRET,
      initpwd: 'Init-Pwd-9'
    })
  })

  it('mint: the Datafor template, login name under the fieldmap claim, verifiable with the secret, login URL', async () => {
    await core.call('ssoApps:add', {
      name: 'ERP',
      secret: SECRET,
      fieldmap: { username: 'loginname', name: 'name' },
      expire: 600
    })
    const m = await core.call('ssoApps:mint', {
      name: 'ERP',
      username: 'admin',
      displayName: 'Ada',
      baseUrl: 'http://127.0.0.1:28080/datafor'
    })
    expect(m.payload).toMatchObject({ loginname: 'admin', name: 'Ada' })
    expect(m.loginUrl).toBe(`http://127.0.0.1:28080/datafor?token=${m.token}`)
    const v = await core.call('jwt:verify', { token: m.token, algorithms: ['HS256'], key: { secret: SECRET } })
    expect(v.payload.loginname).toBe('admin')
    expect(Number(v.payload.exp) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600)
  })

  it('refusals: validation, unique name, not found, conflict, secret missing, read-only', async () => {
    expect((await core.callError('ssoApps:add', { name: 'ERP-1', secret: SECRET })).details?.path).toBe('name')
    expect((await core.callError('ssoApps:add', { name: 'ERP', secret: '' })).details?.path).toBe('secret')
    expect(
      (await core.callError('ssoApps:add', { name: 'ERP', secret: SECRET, algorithm: 'none' })).details?.path
    ).toBe('algorithm')
    const r = await core.call('ssoApps:add', { name: 'ERP', secret: SECRET })
    expect((await core.callError('ssoApps:add', { name: 'ERP', secret: SECRET })).details).toMatchObject({
      path: 'name',
      rule: 'unique'
    })
    expect((await core.callError('ssoApps:get', { name: 'OA' })).code).toBe('NOT_FOUND')
    expect((await core.callError('ssoApps:mint', { name: 'OA', username: 'x' })).code).toBe('NOT_FOUND')
    expect((await core.callError('ssoApps:mint', { name: 'ERP', username: '' })).code).toBe('VALIDATION')
    const u = await core.call('ssoApps:update', {
      id: r.id,
      version: 1,
      enable: true,
      selfService: true,
      secret: `${SECRET}-2`
    })
    expect(u).toMatchObject({ enable: true, selfService: true, version: 2 })
    expect((await core.call('ssoApps:reveal', { id: r.id })).secret).toBe(`${SECRET}-2`)
    expect((await core.callError('ssoApps:update', { id: r.id, version: 1, expire: 5 })).code).toBe('CONFLICT')
    expect((await core.callError('ssoApps:delete', { id: r.id, version: 1 })).code).toBe('CONFLICT')
    const ref = (core.db.prepare('SELECT secret_ref FROM sso_apps WHERE id = ?').get(r.id) as { secret_ref: string })
      .secret_ref
    core.db.prepare('UPDATE sso_apps SET secret_ref = NULL WHERE id = ?').run(r.id)
    expect((await core.callError('ssoApps:mint', { id: r.id, username: 'x' })).code).toBe('SECRET_MISSING')
    core.db.prepare('UPDATE sso_apps SET secret_ref = ? WHERE id = ?').run(ref, r.id)
    core.db.prepare("UPDATE sso_apps SET origin_connection_id = 'c1' WHERE id = ?").run(r.id)
    expect((await core.callError('ssoApps:update', { id: r.id, version: 2, expire: 5 })).code).toBe('READ_ONLY')
    expect((await core.callError('ssoApps:delete', { id: r.id, version: 2 })).code).toBe('READ_ONLY')
    core.db.prepare('UPDATE sso_apps SET origin_connection_id = NULL WHERE id = ?').run(r.id)
    await core.call('ssoApps:delete', { id: r.id, version: 2 })
    expect((await core.callError('ssoApps:get', { id: r.id })).code).toBe('NOT_FOUND')
    expect([...(core.secrets as MemorySecretStore).items.keys()].filter((k) => k.startsWith('ssoApp/'))).toEqual([])
  })

  it('RS/ES apps mint with their signing key', async () => {
    await core.call('keys:generate', { name: 'erp-es', alg: 'ES256' })
    const pub = await core.call('keys:export', { name: 'erp-es', format: 'pem' } as any).catch(() => null)
    await core.call('ssoApps:add', {
      name: 'ERPES',
      secret: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
      algorithm: 'ES256',
      signKey: 'erp-es'
    })
    const m = await core.call('ssoApps:mint', { name: 'ERPES', username: 'u1' })
    const v = await core.call('jwt:verify', { token: m.token, algorithms: ['ES256'], key: { keyName: 'erp-es' } })
    expect(v.payload.username).toBe('u1')
    expect(pub === null || typeof pub === 'object').toBe(true)
    expect(
      (await core.callError('ssoApps:add', { name: 'ERPHS', secret: SECRET, signKey: 'erp-es' })).details?.path
    ).toBe('signKey')
  })
})

describe('tokens mint + check', () => {
  const ADD = { ...SEED_CLAIMS, ipm: '10.0.0.0/8,2001:db8::/32', dvm: 'kiosk-01,kiosk-02' }

  it('a minted token passes every check once published; each failure is named', async () => {
    await core.call('keys:generate', { name: 'store-hs', alg: 'HS256' })
    let r = (await core.call('tokens:add', { ...ADD, keyName: 'store-hs' })).record
    expect(r.alg).toBe('HS256')
    const { token, payload } = await core.call('tokens:mint', { id: r.id })
    expect(payload).toMatchObject({ tid: r.id, typ: 'L', aud: 'AdmManHu', jti: '12345678', shop: 'EldrCaRE' })
    const check = (extra: Record<string, string> = {}) =>
      core.call('tokens:check', { token, ip: '10.1.2.3', device: 'kiosk-01', ...extra })
    expect((await check()).failed).toBe('published')
    r = (await core.call('tokens:pub', { id: r.id, version: r.version })).record
    const ok = await check()
    expect(ok).toMatchObject({ valid: true, failed: null, id: r.id })
    expect((await check({ ip: '192.168.0.1' })).failed).toBe('ip')
    expect((await check({ ip: '2001:db8::7' })).valid).toBe(true)
    expect((await check({ device: 'phone' })).failed).toBe('device')
    expect((await core.call('tokens:check', { token })).checks.find((c) => c.name === 'ip')?.ok).toBeNull()
    r = (await core.call('tokens:dis', { id: r.id, version: r.version })).record
    expect((await check()).failed).toBe('enabled')
    r = (await core.call('tokens:enb', { id: r.id, version: r.version })).record
    r = (await core.call('tokens:set', { id: r.id, version: r.version, expire: 1000 })).record
    expect((await check()).failed).toBe('expired')
    r = (await core.call('tokens:set', { id: r.id, version: r.version, expire: 0 })).record
    r = (await core.call('tokens:dol', { id: r.id, version: r.version })).record
    expect((await check()).failed).toBe('deleted')
    // signature: same claims, another key
    await core.call('keys:generate', { name: 'other-hs', alg: 'HS256' })
    const forged = await core.call('jwt:sign', { alg: 'HS256', key: { keyName: 'other-hs' }, claims: payload } as any)
    expect((await core.call('tokens:check', { token: forged.token })).failed).toBe('signature')
    expect((await core.call('tokens:check', { token: 'not.a.jwt' })).failed).toBe('format')
    await core.call('tokens:del', { id: r.id, version: r.version })
    expect((await core.call('tokens:check', { token })).failed).toBe('record')
  })

  it('mint refuses a record without a key, or a missing record', async () => {
    const r = (await core.call('tokens:add', ADD)).record
    expect((await core.callError('tokens:mint', { id: r.id })).details?.path).toBe('keyName')
    expect((await core.callError('tokens:mint', { id: 'Zz9Zz9Zz' })).code).toBe('NOT_FOUND')
  })
})
