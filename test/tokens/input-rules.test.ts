import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import type { TokenImportResult, TokenRecord } from '../../src/shared/contract'
import { SEED_CLAIMS } from '../helpers/claims'

const ADD = SEED_CLAIMS
const cores: TestCore[] = []
const newCore = () => {
  const c = makeCore()
  cores.push(c)
  return c
}
afterEach(() => {
  while (cores.length) cores.pop()!.cleanup()
})

async function job<T>(core: TestCore, p: Promise<{ jobId: string }>): Promise<T> {
  const info = await core.deps.jobs.wait((await p).jobId)
  if (info.state !== 'done') throw new Error(`job ${info.state}: ${JSON.stringify(info.error)}`)
  return info.result as T
}

/** A token line as export writes it. */
const line = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: 'token',
    id: 'Ab345678',
    name: 'good_name',
    brief: '',
    avatar: '',
    ...ADD,
    state: 0,
    stato: 'enabled',
    published: false,
    deletedAt: null,
    expire: 0,
    alg: null,
    keyName: null,
    creator: 'alice',
    updater: 'alice',
    cstamp: 1_700_000_000_000,
    istamp: 1_700_000_000_000,
    version: 1,
    origin: null,
    ...over
  })

async function importText(core: TestCore, text: string | Buffer): Promise<TokenImportResult> {
  const file = join(core.dataDir, 'in.jsonl')
  writeFileSync(file, text)
  return job<TokenImportResult>(core, core.call('tokens:import', { file }))
}

describe('time fields have a range (up to the year 9999), checked at input and tolerated on read', () => {
  it('import refuses a stamp past the range, naming the line and the field', async () => {
    const a = newCore()
    const r = await importText(
      a,
      [line(), line({ id: 'Ab345679', name: 'second_one', cstamp: 9_000_000_000_000_000 })].join('\n')
    )
    expect(r.imported.tokens).toBe(1)
    expect(r.skipped).toEqual([
      { kind: 'line', id: '2', code: 'VALIDATION', reason: expect.stringMatching(/^cstamp: /) }
    ])
    expect((await a.call('tokens:list', {})).items.map((t) => t.name)).toEqual(['good_name'])
  })

  it('add and set refuse an expiry past the year 9999 with VALIDATION naming expire', async () => {
    const a = newCore()
    const e = await a.callError('tokens:add', { ...ADD, expire: 99_999_999_999_999 })
    expect(e).toMatchObject({ code: 'VALIDATION', details: { path: 'expire' } })
    expect((await a.callError('tokens:add', { ...ADD, expire: '9999-12-31T23:59:59-14:00' })).code).toBe('VALIDATION')
    expect((await a.callError('tokens:add', { ...ADD, expiresIn: 99_999_999_999_999 })).code).toBe('VALIDATION')
    // Both forms at once would leave one silently unused.
    expect(await a.callError('tokens:add', { ...ADD, expire: 0, expiresIn: 60 })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'expiresIn' }
    })
    const t = (await a.call('tokens:add', { ...ADD, expire: 253_402_300_799 })).record
    expect(t.expire).toBe(253_402_300_799)
    expect(await a.callError('tokens:set', { id: t.id, version: 1, expire: 253_402_300_800 })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'expire' }
    })
  })

  it('a row planted with out-of-range times reads clamped and flagged: list, get, sort by expiry and the bin all answer', async () => {
    const a = newCore()
    const bad = (await a.call('tokens:add', { ...ADD, name: 'bad_times' })).record
    const good = (await a.call('tokens:add', { ...ADD, name: 'good_times', expire: 2_000_000_000 })).record
    a.db
      .prepare('UPDATE tokens SET cstamp = ?, istamp = ?, expire = ? WHERE id = ?')
      .run(9_000_000_000_000_000, -1, 99_999_999_999_999, bad.id)
    const got = await a.call('tokens:get', { id: bad.id })
    expect(got.outOfRange).toEqual(['cstamp', 'istamp', 'expire'])
    expect(got).toMatchObject({ cstamp: '9999-12-31 23:59:59', istamp: '1970-01-01 00:00:00', expire: 253_402_300_799 })
    expect((await a.call('tokens:get', { id: good.id })).outOfRange).toBeUndefined()
    const byExpiry = await a.call('tokens:list', { sort: 'expiry', dir: 'desc' })
    expect(byExpiry.items.map((t: TokenRecord) => t.name)).toEqual(['bad_times', 'good_times'])
    for (const sort of ['name', 'created', 'updated', 'expiry'] as const)
      expect((await a.call('tokens:list', { sort, limit: 1 })).items).toHaveLength(1)
    a.db.prepare('UPDATE tokens SET deleted_at = ? WHERE id = ?').run(9_000_000_000_000_000, good.id)
    const bin = await a.call('tokens:list', { bin: true })
    expect(bin.items[0]).toMatchObject({
      name: 'good_times',
      deletedAt: '9999-12-31T23:59:59.999Z',
      outOfRange: ['deletedAt']
    })
  })
})

describe('import refuses what add refuses (one validator, the contract)', () => {
  const refusedNames = [
    'has/slash',
    'ab',
    'esc\u001b[31m',
    'nul\u0000name',
    'rlo\u202ename',
    'del\u007fname',
    'c1\u0085name'
  ]
  it.each(refusedNames)('name %j: add refuses it, and so does import', async (name) => {
    const a = newCore()
    expect((await a.callError('tokens:add', { ...ADD, name })).code).toBe('VALIDATION')
    const r = await importText(a, line({ name }))
    expect(r.imported.tokens).toBe(0)
    expect(r.skipped).toEqual([{ kind: 'line', id: '1', code: 'VALIDATION', reason: expect.stringMatching(/^name: /) }])
  })

  it('refuses a lone surrogate and bytes that are not UTF-8 instead of storing U+FFFD', async () => {
    const a = newCore()
    const lone = line({ id: 'Ab000001', name: 'lone_one' }).replace('"brief":""', '"brief":"x\\ud800y"')
    const valid = Buffer.from(`${line({ id: 'Ab000002', name: 'valid_line' })}\n`)
    const badUtf8 = Buffer.from(line({ id: 'Ab000003', name: 'bad_bytes', brief: 'XY' }))
    const at = badUtf8.indexOf('XY')
    badUtf8[at] = 0xff
    badUtf8[at + 1] = 0xfe
    const r = await importText(a, Buffer.concat([Buffer.from(`${lone}\n`), valid, badUtf8]))
    expect(r.imported.tokens).toBe(1)
    expect(r.skipped).toEqual([
      { kind: 'line', id: '1', code: 'VALIDATION', reason: expect.stringMatching(/^brief: /) },
      { kind: 'line', id: '3', code: 'VALIDATION', reason: 'not valid UTF-8' }
    ])
    expect((await a.call('tokens:list', {})).items.map((t) => t.name)).toEqual(['valid_line'])
  })

  it('refuses control characters in access token, SSO app and connection names, and in creator', async () => {
    const a = newCore()
    expect(await a.callError('accessTokens:add', { name: 'crawl\u001b]0;x\u0007' })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'name' }
    })
    expect(await a.callError('accessTokens:add', { name: 'evil\u202egnp.exe' })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'name' }
    })
    expect(await a.callError('ssoApps:add', { name: 'ERP\u0085', secret: 'x'.repeat(40) })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'name' }
    })
    expect(
      await a.callError('connections:add', {
        name: 'prod\u001b[2J',
        kind: 'fess',
        baseUrl: 'http://127.0.0.1:1',
        authMethod: 'token'
      })
    ).toMatchObject({ code: 'VALIDATION', details: { path: 'name' } })
    expect(await a.callError('keys:generate', { name: 'k\u202e1', alg: 'HS256' })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'name' }
    })
    expect(await a.callError('tokens:list', { creator: 'bob\u009b' })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'creator' }
    })
    const r = await importText(a, line({ creator: 'al\u001bice' }))
    expect(r.skipped).toEqual([
      { kind: 'line', id: '1', code: 'VALIDATION', reason: expect.stringMatching(/^creator: /) }
    ])
  })
})

describe('JSON objects that would not read back whole are refused', () => {
  const key = { secret: 'k'.repeat(32) }
  it('jwt:sign refuses a __proto__ key in claims or header (also nested), naming it', async () => {
    const a = newCore()
    const claims = JSON.parse('{"sub":"x","__proto__":{"admin":true}}')
    expect(await a.callError('jwt:sign', { alg: 'HS256', key, claims })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'claims.__proto__' }
    })
    const nested = JSON.parse('{"ctx":{"list":[{"__proto__":{"admin":true}}]}}')
    expect(await a.callError('jwt:sign', { alg: 'HS256', key, claims: nested })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'claims.ctx.list.0.__proto__' }
    })
    const header = JSON.parse('{"kid":"k1","__proto__":{"alg":"none"}}')
    const e = await a.callError('jwt:sign', { alg: 'HS256', key, header })
    expect(e).toMatchObject({ code: 'VALIDATION', details: { path: 'header.__proto__' } })
    expect(e.message).toContain('__proto__')
    const ok = await a.call('jwt:sign', { alg: 'HS256', key, claims: { constructor: 'fine', nested: { a: 1 } } })
    expect(ok.payload).toMatchObject({ constructor: 'fine', nested: { a: 1 } })
  })
})
