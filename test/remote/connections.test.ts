import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { MemorySecretStore } from '../../src/main/secrets'
import { XDUA_DEFAULT_ROUTES } from '../../src/shared/contract'

// Connection profiles: rows in `connections`, credentials in the keychain as conn/<id>/<random>, never in a result.
describe('connections', () => {
  let core: TestCore
  afterEach(() => core?.cleanup())

  it('add keeps the credential in the keychain only; get by name or id; list by kind', async () => {
    core = makeCore()
    const c = await core.call('connections:add', {
      name: 'prod',
      kind: 'fess',
      baseUrl: 'https://fess.example.com',
      authMethod: 'token',
      credential: 'S3cretT0ken'
    })
    expect(c).toMatchObject({
      name: 'prod',
      kind: 'fess',
      hasCredential: true,
      timeoutMs: 15000,
      routes: null,
      version: 1
    })
    expect(JSON.stringify(c)).not.toContain('S3cretT0ken')
    const row = core.db.prepare('SELECT * FROM connections WHERE id = ?').get(c.id) as Record<string, unknown>
    expect(row.credential_ref).toMatch(new RegExp(`^conn/${c.id}/`))
    expect(await core.secrets.get(row.credential_ref as string)).toBe('S3cretT0ken')
    expect(JSON.stringify(row)).not.toContain('S3cretT0ken')
    expect((await core.call('connections:get', { id: 'prod' })).id).toBe(c.id)
    expect((await core.call('connections:get', { id: c.id })).name).toBe('prod')
    await core.call('connections:add', {
      name: 'x1',
      kind: 'xdua',
      baseUrl: 'http://127.0.0.1:1',
      authMethod: 'jwt',
      routes: { DIS: { method: 'POST', path: '/token', query: { action: 'DIS' } } }
    })
    expect((await core.call('connections:list', { kind: 'xdua' })).map((x) => x.name)).toEqual(['x1'])
    const x1 = await core.call('connections:get', { id: 'x1' })
    expect(x1.routes!.DIS).toEqual({ method: 'POST', path: '/token', query: { action: 'DIS' } })
    expect(x1.routes!.ENB).toEqual(XDUA_DEFAULT_ROUTES.ENB)
  })

  it('refuses bad drafts: auth method of another kind, missing user, bad pin, duplicate name', async () => {
    core = makeCore()
    expect(
      (
        await core.callError('connections:add', {
          name: 'a',
          kind: 'fess',
          baseUrl: 'https://h',
          authMethod: 'basic',
          username: 'u'
        })
      ).code
    ).toBe('VALIDATION')
    expect(
      (
        await core.callError('connections:add', {
          name: 'a',
          kind: 'datafor',
          baseUrl: 'https://h/datafor',
          authMethod: 'basic'
        })
      ).code
    ).toBe('VALIDATION')
    expect(
      (
        await core.callError('connections:add', {
          name: 'a',
          kind: 'fess',
          baseUrl: 'https://h',
          authMethod: 'token',
          tls: { pinSha256: 'nope' }
        })
      ).code
    ).toBe('VALIDATION')
    expect(
      (
        await core.callError('connections:add', {
          name: 'a',
          kind: 'fess',
          baseUrl: 'https://h',
          authMethod: 'token',
          tls: { ca: 'not a pem' }
        })
      ).code
    ).toBe('VALIDATION')
    expect(
      (await core.callError('connections:add', { name: 'a', kind: 'fess', baseUrl: 'ftp://h', authMethod: 'token' }))
        .code
    ).toBe('VALIDATION')
    await core.call('connections:add', { name: 'a', kind: 'fess', baseUrl: 'https://h', authMethod: 'token' })
    expect(
      (await core.callError('connections:add', { name: 'a', kind: 'fess', baseUrl: 'https://h2', authMethod: 'token' }))
        .code
    ).toBe('CONFLICT')
    expect(core.db.prepare('SELECT count(*) AS n FROM connections').get()).toEqual({ n: 1 })
  })

  it('update replaces the credential, checks the version, clears; remove deletes the keychain items', async () => {
    core = makeCore()
    const c = await core.call('connections:add', {
      name: 'df',
      kind: 'datafor',
      baseUrl: 'https://h/datafor',
      authMethod: 'basic',
      username: 'admin',
      credential: 'old-pw'
    })
    const u = await core.call('connections:update', { id: 'df', version: 1, credential: 'new-pw', timeoutMs: 3000 })
    expect(u).toMatchObject({ version: 2, timeoutMs: 3000, hasCredential: true })
    const credRef = () =>
      (
        core.db.prepare('SELECT credential_ref FROM connections WHERE id = ?').get(c.id) as {
          credential_ref: string | null
        }
      ).credential_ref
    const newRef = credRef()!
    expect(await core.secrets.get(newRef)).toBe('new-pw')
    expect(await core.secrets.list()).toEqual([newRef])
    expect((await core.callError('connections:update', { id: 'df', version: 1, name: 'stale' })).code).toBe('CONFLICT')
    expect((await core.call('connections:get', { id: 'df' })).name).toBe('df')
    expect((await core.call('connections:update', { id: 'df', clearCredential: true })).hasCredential).toBe(false)
    expect(credRef()).toBeNull()
    expect(await core.secrets.get(newRef)).toBeNull()
    await core.call('connections:update', { id: 'df', credential: 'again' })
    await core.secrets.set(`datafor/${c.id}/ERP`, 'kept-secret')
    expect(await core.call('connections:remove', { id: 'df' })).toMatchObject({ id: c.id, removed: true })
    expect(await core.secrets.list()).toEqual([])
    expect((await core.callError('connections:get', { id: 'df' })).code).toBe('NOT_FOUND')
  })

  it('an unreachable keychain writes nothing', async () => {
    const secrets = new MemorySecretStore()
    secrets.unavailable = true
    core = makeCore({ secrets })
    const e = await core.callError('connections:add', {
      name: 'k',
      kind: 'fess',
      baseUrl: 'https://h',
      authMethod: 'token',
      credential: 'x'
    })
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(core.db.prepare('SELECT count(*) AS n FROM connections').get()).toEqual({ n: 0 })
  })

  it('every mutating call leaves one audit row with the credential redacted', async () => {
    core = makeCore()
    await core.call('connections:add', {
      name: 'aud',
      kind: 'fess',
      baseUrl: 'https://h',
      authMethod: 'token',
      credential: 'AuditMustNotSeeThis'
    })
    const rows = core.deps.audit.list({ action: 'connections:add', limit: 10 }).items
    expect(rows).toHaveLength(1)
    expect(rows[0].details).toMatchObject({ name: 'aud', credential: '[redacted]' })
    expect(JSON.stringify(rows)).not.toContain('AuditMustNotSeeThis')
  })
})
