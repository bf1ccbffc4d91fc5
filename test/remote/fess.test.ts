import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { makeCore, type TestCore } from '../helpers/core'
import { FessClient } from '../../src/main/remote/fess'
import { selfSignedCert } from './helpers'

// Fess client against the emulator (contracts/fess.md), over real loopback HTTP, through the core's dispatch.
describe('Fess client', () => {
  let fess: FessEmulator
  let core: TestCore
  beforeAll(async () => {
    // 58 seeded + the admin token + a non-admin token = 60 tokens on the server.
    fess = await startFessEmulator({ tokens: 58, userToken: 'u'.repeat(60) })
    core = makeCore()
    await core.call('connections:add', {
      name: 'fess1',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
  })
  afterAll(async () => {
    core.cleanup()
    await fess.close()
  })

  it('lists one page with snake_case mapped to camelCase and no token value', async () => {
    const r = await core.call('remote:fessList', { conn: 'fess1', page: 1, size: 10 })
    expect(r.items).toHaveLength(10)
    expect(r.total).toBe(60)
    expect(r.serverVersion).toBe('15.7')
    const t = r.items.find((x) => x.parameterName)!
    expect(t).toMatchObject({ parameterName: 'perm', versionNo: -1 })
    expect(Array.isArray(t.permissions)).toBe(true)
    expect(JSON.stringify(r)).not.toMatch(/"token"/)
    // Paging travelled in a JSON body on GET (contracts/fess.md).
    const last = fess.requests.at(-1)!
    expect(last.method).toBe('GET')
    expect(JSON.parse(last.body)).toEqual({ page: 1, size: 10 })
    expect(last.headers.authorization).toBe(`Bearer ${fess.adminToken}`)
  })

  it('list --all over 60 tokens returns 60 distinct tokens', async () => {
    const r = await core.call('remote:fessList', { conn: 'fess1', all: true })
    expect(r.items).toHaveLength(60)
    expect(new Set(r.items.map((x) => x.id)).size).toBe(60)
    expect(r.truncated).toBe(false)
    // Same through small pages: 60 tokens over pages of 7.
    const small = await core.call('remote:fessList', { conn: 'fess1', all: true, size: 7 })
    expect(new Set(small.items.map((x) => x.id)).size).toBe(60)
  })

  it('create returns the 60-character value, read back with get', async () => {
    const r = await core.call('remote:fessCreate', {
      conn: 'fess1',
      name: 'ci-bot',
      permissions: ['{role}admin-api', '{user}alice'],
      parameterName: 'tok',
      expires: '2099-01-01T00:00:00'
    })
    expect(r.token).toMatch(/^[A-Za-z0-9]{60}$/)
    expect(fess.state.items.get(r.item.id)!.token).toBe(r.token)
    expect(r.item).toMatchObject({
      name: 'ci-bot',
      permissions: ['{role}admin-api', '{user}alice'],
      parameterName: 'tok',
      expires: '2099-01-01T00:00:00'
    })
    expect(r.item.tokenHint).toBe(r.token.slice(-4))
    // The create body was snake_case, permissions a string of lines.
    const post = fess.requests.find((q) => q.method === 'POST')!
    expect(JSON.parse(post.body)).toEqual({
      name: 'ci-bot',
      permissions: '{role}admin-api\n{user}alice',
      parameter_name: 'tok',
      expires: '2099-01-01T00:00:00'
    })
    // The created value is not in the audit log.
    const audit = await core.call('audit:list', { limit: 50 })
    expect(JSON.stringify(audit)).not.toContain(r.token)
  })

  it('update --name keeps permissions, parameter_name and expires', async () => {
    const c = await core.call('remote:fessCreate', {
      conn: 'fess1',
      name: 'keep-me',
      permissions: ['{group}ops', '(deny){role}x'],
      parameterName: 'p',
      expires: '2098-05-05T10:00:00'
    })
    const before = fess.state.items.get(c.item.id)!
    const u = await core.call('remote:fessUpdate', { conn: 'fess1', id: c.item.id, name: 'renamed' })
    expect(u.changed).toEqual(['name'])
    const after = fess.state.items.get(c.item.id)!
    expect(after).toMatchObject({
      name: 'renamed',
      permissions: before.permissions,
      parameter_name: 'p',
      expires: '2098-05-05T10:00:00',
      token: before.token
    })
    const put = fess.requests.filter((q) => q.method === 'PUT').at(-1)!
    expect(JSON.parse(put.body)).toMatchObject({
      id: c.item.id,
      version_no: -1,
      name: 'renamed',
      parameter_name: 'p',
      expires: '2098-05-05T10:00:00'
    })
    // Clearing one field is explicit; the rest stays.
    const cleared = await core.call('remote:fessUpdate', { conn: 'fess1', id: c.item.id, expires: null })
    expect(cleared.item.expires).toBeNull()
    expect(cleared.item.parameterName).toBe('p')
  })

  it('refuses with CONFLICT when updated_time moved since the user read it', async () => {
    const c = await core.call('remote:fessCreate', { conn: 'fess1', name: 'racy' })
    const seen = c.item.updatedTime!
    await core.call('remote:fessUpdate', { conn: 'fess1', id: c.item.id, name: 'racy2' }) // someone else
    const e = await core.callError('remote:fessUpdate', {
      conn: 'fess1',
      id: c.item.id,
      name: 'mine',
      expectedUpdatedTime: seen
    })
    expect(e.code).toBe('CONFLICT')
    expect(fess.state.items.get(c.item.id)!.name).toBe('racy2')
    expect(
      (await core.callError('remote:fessDelete', { conn: 'fess1', id: c.item.id, expectedUpdatedTime: seen })).code
    ).toBe('CONFLICT')
  })

  it('get, delete, then NOT_FOUND with the server message', async () => {
    const c = await core.call('remote:fessCreate', { conn: 'fess1', name: 'short-lived' })
    expect((await core.call('remote:fessGet', { conn: 'fess1', id: c.item.id })).name).toBe('short-lived')
    await core.call('remote:fessDelete', { conn: 'fess1', id: c.item.id })
    const e = await core.callError('remote:fessGet', { conn: 'fess1', id: c.item.id })
    expect(e.code).toBe('NOT_FOUND')
    expect(e.message).toContain(`The data ${c.item.id} is not found.`)
  })

  it('reveal gives the value; the audit row does not', async () => {
    const id = [...fess.state.items.values()].find((x) => x.name === 'token-00001')!.id
    const r = await core.call('remote:fessReveal', { conn: 'fess1', id })
    expect(r.token).toBe(fess.state.items.get(id)!.token)
    const audit = await core.call('audit:list', { action: 'remote:fessReveal', limit: 5 })
    expect(audit.items[0].target).toBe(id)
    expect(JSON.stringify(audit)).not.toContain(r.token)
  })

  it('a wrong token is AUTH although the server said HTTP 200', async () => {
    const raw = await request(`${fess.url}/api/admin/accesstoken/settings`, {
      headers: { authorization: 'Bearer wrong' }
    })
    expect(raw.statusCode).toBe(200)
    expect(((await raw.body.json()) as { response: { status: number } }).response.status).toBe(3)
    const adhoc = {
      name: 'x',
      kind: 'fess' as const,
      baseUrl: fess.url,
      authMethod: 'token' as const,
      credential: 'wrong-token-value'
    }
    const e = await core.callError('remote:fessList', { adhoc })
    expect(e.code).toBe('AUTH')
    expect(e.message).toContain('Unauthorized request.')
    expect(JSON.stringify(e)).not.toContain('wrong-token-value')
    // A valid token without admin permission is AUTH too (status 3).
    expect((await core.callError('remote:fessList', { adhoc: { ...adhoc, credential: 'u'.repeat(60) } })).code).toBe(
      'AUTH'
    )
  })

  it('server validation is VALIDATION with the server message', async () => {
    const client = new FessClient({ baseUrl: fess.url }, { token: fess.adminToken })
    try {
      await expect(client.create({ name: '   ' })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('Name is required.')
      })
      await expect(client.create({ name: 'x', expires: '2020-01-01' })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('Expires does not match')
      })
    } finally {
      await client.close()
    }
  })

  it('SERVER for HTTP 500 status 2, NETWORK for a closed port, TIMEOUT for a slow answer, CANCELLED by signal', async () => {
    fess.setFault({ kind: 'status', status: 503 })
    const e1 = await core.callError('remote:fessList', { conn: 'fess1' })
    fess.setFault(null)
    expect(e1.code).toBe('SERVER')
    // A raw HTTP 500 status 2 (past the 10,000 window) maps to SERVER too.
    const client = new FessClient({ baseUrl: fess.url, retries: 0 }, { token: fess.adminToken })
    await expect(
      (client as unknown as { call: (...a: unknown[]) => Promise<unknown> }).call(
        'GET',
        '/settings',
        { page: 401, size: 25 },
        true
      )
    ).rejects.toMatchObject({ code: 'SERVER' })
    const ac = new AbortController()
    fess.setFault({ kind: 'slow', delayMs: 5000 })
    const p = client.listPage(1, 5, ac.signal)
    setTimeout(() => ac.abort(), 50)
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' })
    const slow = new FessClient({ baseUrl: fess.url, timeoutMs: 200, retries: 0 }, { token: fess.adminToken })
    await expect(slow.listPage(1, 5)).rejects.toMatchObject({ code: 'TIMEOUT' })
    fess.setFault(null)
    await client.close()
    await slow.close()
    const closed = new FessClient({ baseUrl: 'http://127.0.0.1:9', retries: 0 }, { token: 'x' })
    await expect(closed.listPage(1, 1)).rejects.toMatchObject({ code: 'NETWORK' })
    await closed.close()
  })

  it('reads are retried with backoff, writes never', async () => {
    fess.clearRequests()
    fess.setFault({ kind: 'reset', times: 1 })
    const r = await core.call('remote:fessList', { conn: 'fess1', size: 3 })
    expect(r.items).toHaveLength(3)
    expect(fess.requests).toHaveLength(2) // one reset, one retry
    const client = new FessClient({ baseUrl: fess.url }, { token: fess.adminToken })
    await client.detectVersion() // the client now knows POST creates
    fess.clearRequests()
    fess.setFault({ kind: 'reset', times: 1 })
    await expect(client.create({ name: 'once' })).rejects.toMatchObject({ code: 'NETWORK' })
    fess.setFault(null)
    expect(fess.requests).toHaveLength(1) // the write was sent once, not retried
    await client.close()
  })

  it.each(['html', 'truncated', 'wrongTypes', 'huge'] as const)(
    'garbage (%s) is PROTOCOL, never a crash',
    async (kind) => {
      fess.setFault({ kind })
      const e = await core.callError('remote:fessList', { conn: 'fess1', size: 2 })
      fess.setFault(null)
      expect(e.code).toBe('PROTOCOL')
      expect(e.message).not.toContain(fess.adminToken)
    }
  )

  it('stops at the 10,000-result window and says so plainly', async () => {
    const big = await startFessEmulator({ tokens: 10_049 })
    try {
      const adhoc = {
        name: 'big',
        kind: 'fess' as const,
        baseUrl: big.url,
        authMethod: 'token' as const,
        credential: big.adminToken
      }
      const r = await core.call('remote:fessList', { adhoc, all: true })
      expect(r.total).toBe(10_000) // Fess caps its count
      expect(r.totalCapped).toBe(true)
      expect(r.truncated).toBe(true)
      expect(new Set(r.items.map((i) => i.id)).size).toBe(10_000)
      expect(r.notes.join(' ')).toMatch(/10,000/)
      // No request asked past the window (the server would fail with HTTP 500 status 2).
      for (const q of big.requests) {
        const b = JSON.parse(q.body || '{}') as { page?: number; size?: number }
        expect((b.page ?? 1) * (b.size ?? 25)).toBeLessThanOrEqual(10_000)
      }
      expect((await core.callError('remote:fessList', { adhoc, page: 11, size: 1000 })).code).toBe('VALIDATION')
    } finally {
      await big.close()
    }
  })

  it('a 14.x server: PUT creates, POST updates', async () => {
    const old = await startFessEmulator({ version: '14.x', tokens: 3 })
    try {
      const adhoc = {
        name: 'old',
        kind: 'fess' as const,
        baseUrl: old.url,
        authMethod: 'token' as const,
        credential: old.adminToken
      }
      const c = await core.call('remote:fessCreate', {
        adhoc,
        name: 'legacy',
        permissions: ['{role}guest'],
        parameterName: 'q'
      })
      expect(c.token).toMatch(/^[A-Za-z0-9]{60}$/)
      expect(old.requests.some((q) => q.method === 'PUT' && q.path.endsWith('/setting'))).toBe(true)
      const u = await core.call('remote:fessUpdate', { adhoc, id: c.item.id, name: 'legacy2' })
      expect(u.item).toMatchObject({ name: 'legacy2', permissions: ['{role}guest'], parameterName: 'q' })
      expect(old.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/setting'))).toHaveLength(1)
      expect((await core.call('remote:fessList', { adhoc, all: true })).items).toHaveLength(5)
    } finally {
      await old.close()
    }
  })

  it('warns about permissions Fess would mangle', async () => {
    const r = await core.call('remote:fessCreate', { conn: 'fess1', name: 'mangled', permissions: ['Robert'] })
    expect(r.warnings[0]).toContain('Robert')
    expect(r.item.permissions).toEqual(['{role}obert'])
  })

  it('TLS: a self-signed server is TLS; trusted with an extra CA or a pinned fingerprint for that connection only', async () => {
    const tls = selfSignedCert()
    const secure = await startFessEmulator({ tls: { key: tls.key, cert: tls.cert } })
    try {
      const base = {
        kind: 'fess' as const,
        baseUrl: secure.url,
        authMethod: 'token' as const,
        credential: secure.adminToken
      }
      const e = await core.callError('remote:fessList', { adhoc: { ...base, name: 'plain' } })
      expect(e.code).toBe('TLS')
      expect(
        (await core.call('remote:fessList', { adhoc: { ...base, name: 'ca', tls: { ca: tls.cert } } })).total
      ).toBe(1)
      expect(
        (await core.call('remote:fessList', { adhoc: { ...base, name: 'pin', tls: { pinSha256: tls.fingerprint } } }))
          .total
      ).toBe(1)
      const wrong = await core.callError('remote:fessList', {
        adhoc: { ...base, name: 'pin2', tls: { pinSha256: 'ab'.repeat(32) } }
      })
      expect(wrong.code).toBe('TLS')
      // Still refused without the per-connection option: nothing was switched globally.
      expect((await core.callError('remote:fessList', { adhoc: { ...base, name: 'plain' } })).code).toBe('TLS')
    } finally {
      await secure.close()
    }
  })

  it('plain http beyond loopback is INSECURE_URL unless confirmed', async () => {
    const e = await core.callError('connections:add', {
      name: 'far',
      kind: 'fess',
      baseUrl: 'http://fess.example.com',
      authMethod: 'token',
      credential: 'x'
    })
    expect(e.code).toBe('INSECURE_URL')
    const ok = await core.call('connections:add', {
      name: 'far',
      kind: 'fess',
      baseUrl: 'http://fess.example.com',
      authMethod: 'token',
      allowInsecure: true
    })
    expect(ok.allowInsecure).toBe(true)
  })
})
