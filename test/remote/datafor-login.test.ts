import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { makeCore, type TestCore } from '../helpers/core'

// The SSO login URL a minted token comes with opens Datafor's integrate page and logs in (contracts/datafor.md).
describe('Datafor SSO login URL', () => {
  let df: DataforEmulator
  let core: TestCore
  const open = (url: string) => fetch(url, { redirect: 'manual' })
  beforeAll(async () => {
    df = await startDataforEmulator({ configs: 1 })
    core = makeCore()
    const erp = df.state.configs.get('ERP1')!
    await core.call('ssoApps:add', { name: 'ERP1', secret: erp.secret, fieldmap: { username: 'loginname' } })
    await core.call('ssoApps:add', {
      name: 'ERPWRONG',
      secret: 'not-the-secret-0123456789abcdef0123',
      fieldmap: { username: 'loginname' }
    })
  })
  afterAll(async () => {
    core.cleanup()
    await df.close()
  })

  it('builds the documented integrate URL for a report and logs in with a session cookie', async () => {
    const m = await core.call('ssoApps:mint', {
      name: 'ERP1',
      username: 'admin',
      baseUrl: df.url,
      reportId: 'sales 2026'
    })
    expect(m.loginUrl).toBe(`${df.url}/plugin/datafor/api/integrate/sales%202026?__compact=true&token=${m.token}`)
    const res = await open(m.loginUrl!)
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/^JSESSIONID=[0-9A-F]{32};/)
    expect(await res.text()).toContain('Signed in as admin')
    expect(df.state.logins.at(-1)).toMatchObject({ report: 'sales 2026', config: 'ERP1', ok: true, user: 'admin' })
  })

  it('creates a missing user when the config says inituser, refuses it when not', async () => {
    const m = await core.call('ssoApps:mint', { name: 'ERP1', username: 'newcomer', baseUrl: df.url, reportId: 'r1' })
    expect((await open(m.loginUrl!)).status).toBe(200)
    expect(df.state.users.some((u) => u.username === 'newcomer')).toBe(true)
    df.state.configs.get('ERP1')!.inituser = '0'
    try {
      const n = await core.call('ssoApps:mint', { name: 'ERP1', username: 'stranger', baseUrl: df.url, reportId: 'r1' })
      const res = await open(n.loginUrl!)
      expect(res.status).toBe(401)
      expect(await res.text()).toContain('user stranger does not exist')
    } finally {
      df.state.configs.get('ERP1')!.inituser = '1'
    }
  })

  it('refuses a token signed with the wrong secret', async () => {
    const m = await core.call('ssoApps:mint', { name: 'ERPWRONG', username: 'admin', baseUrl: df.url, reportId: 'r1' })
    const res = await open(m.loginUrl!)
    expect(res.status).toBe(401)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.text()).toContain('signature is invalid')
  })

  it('refuses an expired token and one without the login-name claim', async () => {
    const m = await core.call('ssoApps:mint', { name: 'ERP1', username: 'admin', baseUrl: df.url, reportId: 'r1' })
    const later = await startDataforEmulator({ configs: 1, now: () => Date.now() + 2 * 86400_000 })
    try {
      const res = await open(m.loginUrl!.replace(df.url, later.url))
      expect(res.status).toBe(401)
      expect(await res.text()).toContain('token is expired')
    } finally {
      await later.close()
    }
    await core.call('ssoApps:add', {
      name: 'ERPUSER',
      secret: df.state.configs.get('ERP1')!.secret,
      fieldmap: { username: 'user' }
    })
    const u = await core.call('ssoApps:mint', { name: 'ERPUSER', username: 'admin', baseUrl: df.url, reportId: 'r1' })
    const res = await open(u.loginUrl!)
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('token has no loginname claim')
  })

  it('an ES256 config checks the token with its Base64 public key', async () => {
    await core.call('keys:generate', { name: 'erp-es', alg: 'ES256' })
    const pem = (await core.call('keys:export', { name: 'erp-es', format: 'pem' })) as { pem: string }
    const pub = pem.pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
    df.state.configs.set('ERPES', {
      ...df.state.configs.get('ERP1')!,
      name: 'ERPES',
      token_name: 'jwt',
      algorithm: 'ES256',
      secret: pub
    })
    await core.call('ssoApps:add', {
      name: 'ERPES',
      secret: pub,
      algorithm: 'ES256',
      signKey: 'erp-es',
      tokenName: 'jwt',
      fieldmap: { username: 'loginname' }
    })
    const m = await core.call('ssoApps:mint', { name: 'ERPES', username: 'admin', baseUrl: df.url, reportId: 'r2' })
    expect(m.loginUrl).toContain('?__compact=true&jwt=')
    expect((await open(m.loginUrl!)).status).toBe(200)
    expect(df.state.logins.at(-1)).toMatchObject({ config: 'ERPES', ok: true })
  })

  it('saving a short HMAC secret warns; verifying with the app checks its own key', async () => {
    const weak = await core.call('ssoApps:add', {
      name: 'ERPSHORT',
      secret: 'short-secret',
      fieldmap: { username: 'loginname' }
    })
    expect(weak.warnings).toEqual([
      { code: 'JWT_WEAK_KEY', message: expect.stringContaining('12 bytes, but HS256 needs at least 32') }
    ])
    const ok = await core.call('ssoApps:update', { id: weak.id, version: weak.version, secret: 'x'.repeat(32) })
    expect(ok.warnings).toEqual([])
    const m = await core.call('ssoApps:mint', { name: 'ERP1', username: 'admin' })
    const app = await core.call('ssoApps:get', { name: 'ERP1' })
    expect((await core.call('ssoApps:verify', { id: app.id, token: m.token })).payload.loginname).toBe('admin')
    const other = await core.call('ssoApps:get', { name: 'ERPWRONG' })
    expect((await core.callError('ssoApps:verify', { id: other.id, token: m.token })).code).toBe('JWT_SIGNATURE')
  })
})
