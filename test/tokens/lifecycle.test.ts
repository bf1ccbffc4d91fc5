import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { xduaStamp } from '../../src/main/tokens/util'
import { packClaims, tokenRow, tokenSelect, TOKEN_COLUMNS } from '../../src/main/tokens/row'
import {
  CLAIM_FIELDS,
  LIFE_STATES,
  RECORD_VERBS,
  TOKEN_STATE_TABLE,
  renderStateTable,
  type LifeState,
  type TokenRecord
} from '../../src/shared/contract'
import { SEED_CLAIMS } from '../helpers/claims'

const ADD = SEED_CLAIMS

let core: TestCore
beforeEach(() => {
  core = makeCore()
})
afterEach(() => core.cleanup())

const add = async (extra: Record<string, unknown> = {}) =>
  (await core.call('tokens:add', { ...ADD, ...extra } as any)).record

/** Brings a fresh token into a lifecycle state through the verbs themselves. */
async function inState(state: LifeState): Promise<TokenRecord> {
  let r = await add()
  const step = async (ch: 'tokens:dis' | 'tokens:pub' | 'tokens:dol') =>
    (r = (await core.call(ch, { id: r.id, version: r.version })).record)
  if (state.startsWith('disabled')) await step('tokens:dis')
  if (state.endsWith('online')) await step('tokens:pub')
  if (state === 'bin') await step('tokens:dol')
  expect(r.lifeState).toBe(state)
  return r
}

describe('lifecycle tokens: ADD and its validation (seed 002)', () => {
  it('adds with an 8-character id, enabled and offline, with the verbs allowed from there', async () => {
    const r = await core.call('tokens:add', { ...ADD, name: '登录令牌_01', brief: '慢护通', avatar: 'a.png' })
    expect(r.id).toMatch(/^[A-Za-z0-9]{8}$/)
    expect(r.record).toMatchObject({
      name: '登录令牌_01',
      state: 0,
      stato: 'enabled',
      published: false,
      deleted: false,
      version: 1
    })
    expect(r.record.cstamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(r.record.verbs).toEqual(['SET', 'DOL', 'DIS', 'PUB', 'GET', 'GIT', 'DEL'])
    expect((await core.call('tokens:add', ADD)).record.name).toMatch(/^token_[A-Za-z0-9]{8}$/)
  })

  it.each([
    [{ name: 'abc' }, 'name'],
    [{ name: '1abc' }, 'name'],
    [{ name: '_abcd' }, 'name'],
    [{ name: 'ab-cd' }, 'name'],
    [{ name: 'a'.repeat(33) }, 'name'],
    [{ avatar: 'x'.repeat(41) }, 'avatar'],
    [{ brief: 'x'.repeat(65) }, 'brief'],
    [{ jti: '123456789' }, 'jti'],
    [{ jti: '12-4' }, 'jti'],
    [{ ipm: 'everyone' }, 'ipm'],
    [{ ipm: '10.0.0.1,300.1.1.1' }, 'ipm'],
    [{ ipm: '10.0.0.0/33' }, 'ipm'],
    [{ dvm: 'bad device!' }, 'dvm'],
    [{ typ: '' }, 'typ'],
    [{ shop: undefined }, 'shop']
  ])('refuses %j with VALIDATION naming %s', async (extra, field) => {
    const e = await core.callError('tokens:add', { ...ADD, ...extra })
    expect(e.code).toBe('VALIDATION')
    expect(e.details?.path).toBe(field)
    expect(e.message).toContain(field)
  })

  it('accepts IPs, CIDRs (v4 and v6) and device lists', async () => {
    const r = await add({ ipm: '10.0.0.0/8, 192.168.1.7,2001:db8::/32', dvm: 'kiosk-01,ipad.front' })
    expect(r.ipm).toBe('10.0.0.0/8, 192.168.1.7,2001:db8::/32')
  })

  it('refuses a taken name with VALIDATION (rule unique), on ADD and on SET', async () => {
    await add({ name: 'gateway_one' })
    const e = await core.callError('tokens:add', { ...ADD, name: 'gateway_one' })
    expect(e).toMatchObject({ code: 'VALIDATION', details: { path: 'name', rule: 'unique' } })
    const other = await add({ name: 'gateway_two' })
    const e2 = await core.callError('tokens:set', { id: other.id, version: other.version, name: 'gateway_one' })
    expect(e2).toMatchObject({ code: 'VALIDATION', details: { path: 'name', rule: 'unique' } })
    expect((await core.call('tokens:get', { id: other.id })).version).toBe(1)
  })

  it('refuses an algorithm its signing key cannot make, on ADD and on SET', async () => {
    await core.call('keys:generate', { name: 'hs-key', alg: 'HS256' })
    await core.call('keys:generate', { name: 'es-key', alg: 'ES256' })
    expect(await core.callError('tokens:add', { ...ADD, keyName: 'hs-key', alg: 'ES256' } as any)).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'alg' }
    })
    expect(await core.callError('tokens:add', { ...ADD, keyName: 'es-key', alg: 'ES384' } as any)).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'alg' }
    })
    const r = await add({ keyName: 'hs-key', alg: 'HS512' })
    expect(r.alg).toBe('HS512')
    expect(
      await core.callError('tokens:set', { id: r.id, version: r.version, keyName: 'es-key' } as any)
    ).toMatchObject({ code: 'VALIDATION', details: { path: 'alg' } })
    expect((await add({ keyName: 'es-key' })).alg).toBe('ES256')
  })

  it('refuses an unknown signing key', async () => {
    const e = await core.callError('tokens:add', { ...ADD, keyName: 'nope' })
    expect(e).toMatchObject({ code: 'VALIDATION', details: { path: 'keyName' } })
  })
})

describe('the claims column (schema v3)', () => {
  it('packClaims writes every claim field in CLAIM_FIELDS order, and tokenRow reads each back under its name', () => {
    const claims = Object.fromEntries(CLAIM_FIELDS.map((f, i) => [f, `${f}-${i} "q" \\ 令牌`]))
    expect(JSON.parse(packClaims(claims))).toEqual(CLAIM_FIELDS.map((f) => claims[f]))
    const values = TOKEN_COLUMNS.map((c) => (c === 'claims' ? packClaims(claims) : `v:${c}`))
    expect(tokenRow(values)).toMatchObject(claims)
    expect(JSON.parse(packClaims({ typ: 'L' }))).toEqual(['L', ...Array(11).fill('')])
  })

  it('tokenRow reads each column of tokenSelect() under its own name, as the store returns them', async () => {
    const c = core
    const r = await add({ name: 'columns_all' })
    // Every column set to a value of its own (the generated `bin` follows deleted_at).
    c.db
      .prepare(
        `UPDATE tokens SET brief = 'b', avatar = 'a', state = 1, stato = 's', published = 1, deleted_at = 5, expire = 7,
      alg = 'HS256', key_ref = 'k', creator = 'cr', updater = 'up', cstamp = 11, istamp = 12, version = 13,
      origin_connection_id = 'oc', remote_id = 'ri', pulled_at = 14 WHERE id = ?`
      )
      .run(r.id)
    const stored = c.db.prepare('SELECT * FROM tokens WHERE id = ?').get(r.id) as Record<string, unknown>
    const row = tokenRow(c.db.prepare(`SELECT ${tokenSelect()} FROM tokens WHERE id = ?`).raw().get(r.id) as unknown[])
    // The page-order sort keys (schema v4) are for the indexes, not read into records.
    const { claims, k_updated: _u, k_created: _c, k_name: kName, k_expire: _e, ...columns } = stored
    expect(kName).toBe('1columns_all')
    expect(Object.keys(stored).sort()).toEqual(
      [...TOKEN_COLUMNS, 'k_updated', 'k_created', 'k_name', 'k_expire'].sort()
    )
    expect(row).toEqual({
      ...columns,
      ...Object.fromEntries(CLAIM_FIELDS.map((f, i) => [f, (JSON.parse(String(claims)) as string[])[i]]))
    })
    expect(row).toMatchObject({ bin: 1, deleted_at: 5, pulled_at: 14, typ: ADD.typ, rule: ADD.rule })
  })
})

describe('xduaStamp', () => {
  it('writes what toISOString writes, as `YYYY-MM-DD hh:mm:ss`, for any instant (its day cache refilled on the way)', () => {
    const slow = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
    const day = 86_400_000
    const instants = [
      0,
      -1,
      1,
      day - 1,
      day,
      -day,
      -day - 1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(1969, 11, 31, 0, 0, 0, 1)
    ]
    // 6,000 instants over 1900–2100: more distinct days than the cache keeps, so it is cleared and refilled.
    for (let i = 0; i < 6000; i++) instants.push(Math.round(-2.2e12 + ((i * 7919) % 6000) * 1.1e9 + i * 997))
    expect(instants.map(xduaStamp)).toEqual(instants.map(slow))
    expect(() => xduaStamp(Number.NaN)).toThrow(RangeError)
  })
})

describe('lifecycle tokens: every verb succeeds and refuses', () => {
  it('SET changes name/brief/avatar/expiry, answers {id, updates}, bumps version; validates; CONFLICT when stale', async () => {
    const r = await add()
    const s = await core.call('tokens:set', {
      id: r.id,
      version: 1,
      name: 'renamed_token',
      brief: 'new brief',
      expire: '2030-01-01T00:00:00Z'
    })
    expect(s.updates).toEqual({ name: 'renamed_token', brief: 'new brief', expire: 1893456000 })
    expect(s.record).toMatchObject({ name: 'renamed_token', brief: 'new brief', version: 2, expire: 1893456000 })
    expect((await core.callError('tokens:set', { id: r.id, version: 2, avatar: 'x'.repeat(41) })).details?.path).toBe(
      'avatar'
    )
    const stale = await core.callError('tokens:set', { id: r.id, version: 1, brief: 'lost update' })
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { expected: 1, current: 2 } })
    expect((await core.call('tokens:get', { id: r.id })).brief).toBe('new brief')
  })

  const verbs = [
    ['tokens:dis', 'enabled-offline', 'disabled-offline'],
    ['tokens:enb', 'disabled-offline', 'enabled-offline'],
    ['tokens:pub', 'enabled-offline', 'enabled-online'],
    ['tokens:off', 'enabled-online', 'enabled-offline'],
    ['tokens:dol', 'enabled-online', 'bin']
  ] as const
  it.each(verbs)('%s: success, INVALID_STATE, NOT_FOUND, CONFLICT, VALIDATION', async (ch, from, to) => {
    const r = await inState(from)
    const ok = await core.call(ch, { id: r.id, version: r.version })
    expect(ok.record.lifeState).toBe(to)
    expect(ok.record.version).toBe(r.version + 1)
    const again = await core.callError(ch, { id: r.id, version: ok.record.version })
    expect(again.code).toBe('INVALID_STATE')
    expect(again.details?.state).toBe(to)
    expect((await core.callError(ch, { id: 'Zz9Zz9Zz', version: 1 })).code).toBe('NOT_FOUND')
    expect((await core.callError(ch, { id: r.id, version: r.version })).code).toBe('CONFLICT')
    expect((await core.callError(ch, { id: 'short', version: 1 })).code).toBe('VALIDATION')
  })

  it('DIS keeps a reason in stato; ENB resets it', async () => {
    const r = await add()
    const d = await core.call('tokens:dis', { id: r.id, version: 1, reason: '冻服更新' })
    expect(d.record).toMatchObject({ state: 1, stato: '冻服更新' })
    expect((await core.call('tokens:enb', { id: r.id, version: 2 })).record).toMatchObject({
      state: 0,
      stato: 'enabled'
    })
  })

  it('RCC restores the state a token had when binned; refuses a token not in the bin', async () => {
    const r = await inState('disabled-online')
    const e = await core.callError('tokens:rcc', { id: r.id, version: r.version })
    expect(e).toMatchObject({ code: 'INVALID_STATE', details: { state: 'disabled-online' } })
    const d = await core.call('tokens:dol', { id: r.id, version: r.version })
    expect(d.record.deleted).toBe(true)
    const back = await core.call('tokens:rcc', { id: r.id, version: d.record.version })
    expect(back.record.lifeState).toBe('disabled-online')
    expect((await core.callError('tokens:rcc', { id: 'Zz9Zz9Zz', version: 1 })).code).toBe('NOT_FOUND')
    expect((await core.callError('tokens:rcc', { id: r.id, version: 1 })).code).toBe('CONFLICT')
  })

  it('GET works in the bin; GIT is refused there and for tokens of another creator', async () => {
    const r = await inState('bin')
    expect((await core.call('tokens:get', { id: r.id })).lifeState).toBe('bin')
    expect((await core.callError('tokens:git', { id: r.id })).code).toBe('INVALID_STATE')
    const mine = await add()
    expect((await core.call('tokens:git', { id: mine.id })).id).toBe(mine.id)
    await core.call('system:updateSettings', { operator: 'someone_else' })
    expect((await core.callError('tokens:git', { id: mine.id })).code).toBe('FORBIDDEN')
    expect((await core.callError('tokens:get', { id: 'Zz9Zz9Zz' })).code).toBe('NOT_FOUND')
    expect((await core.callError('tokens:git', { id: 'Zz9Zz9Zz' })).code).toBe('NOT_FOUND')
  })

  it('DEL removes for good from any state; NOT_FOUND after; CONFLICT when stale', async () => {
    const r = await add()
    expect((await core.callError('tokens:del', { id: r.id, version: 7 })).code).toBe('CONFLICT')
    expect(await core.call('tokens:del', { id: r.id, version: 1 })).toEqual({ id: r.id, verb: 'DEL' })
    expect((await core.callError('tokens:get', { id: r.id })).code).toBe('NOT_FOUND')
    expect((await core.callError('tokens:del', { id: r.id, version: 1 })).code).toBe('NOT_FOUND')
  })

  it('QRY lists own tokens, QRI all; both hide the bin; list({bin:true}) shows it', async () => {
    const a = await add()
    await core.call('system:updateSettings', { operator: 'bob' })
    const b = await add()
    const binned = (await core.call('tokens:dol', { id: b.id, version: 1 })).record
    const c = await add()
    const ids = (p: { items: TokenRecord[] }) => p.items.map((x) => x.id).sort()
    expect(ids(await core.call('tokens:qry', {}))).toEqual([c.id])
    expect(ids(await core.call('tokens:qri', {}))).toEqual([a.id, c.id].sort())
    expect(ids(await core.call('tokens:list', { bin: true }))).toEqual([binned.id])
    expect((await core.callError('tokens:qri', { limit: 0 })).code).toBe('VALIDATION')
  })

  it('every transition writes one audit row naming the token', async () => {
    const r = await add()
    await core.call('tokens:pub', { id: r.id, version: 1 })
    await core.callError('tokens:pub', { id: r.id, version: 2 })
    const log = await core.call('audit:list', { target: r.id })
    expect(log.items.map((e) => [e.action, e.outcome])).toEqual([
      ['tokens:pub', 'INVALID_STATE'],
      ['tokens:pub', 'ok'],
      ['tokens:add', 'ok']
    ])
  })

  it('pulled copies are read-only: every change is READ_ONLY, reads work', async () => {
    const r = await add()
    core.db
      .prepare("UPDATE tokens SET origin_connection_id = 'conn1', remote_id = 'rYub4wrT', pulled_at = 1 WHERE id = ?")
      .run(r.id)
    for (const ch of ['tokens:set', 'tokens:dol', 'tokens:dis', 'tokens:pub', 'tokens:del'] as const)
      expect((await core.callError(ch, { id: r.id, version: 1 })).code).toBe('READ_ONLY')
    const g = await core.call('tokens:get', { id: r.id })
    expect(g.origin).toMatchObject({ connectionId: 'conn1', remoteId: 'rYub4wrT' })
    expect(g.verbs).toEqual(['GET', 'GIT'])
  })
})

describe('the state machine table', () => {
  it('walks every record verb from every state and matches TOKEN_STATE_TABLE', async () => {
    for (const state of LIFE_STATES) {
      for (const verb of RECORD_VERBS) {
        const r = await inState(state)
        const t = TOKEN_STATE_TABLE[state][verb]
        const ch = `tokens:${verb.toLowerCase()}` as const
        const input = verb === 'GET' || verb === 'GIT' ? { id: r.id } : { id: r.id, version: r.version }
        const res = await core.dispatch(ch, input)
        if (t.kind === 'refused') {
          expect(res.ok, `${verb} from ${state}`).toBe(false)
          if (!res.ok) expect(res.error).toMatchObject({ code: 'INVALID_STATE', details: { state } })
          continue
        }
        expect(res.ok, `${verb} from ${state}: ${JSON.stringify(res)}`).toBe(true)
        if (t.kind === 'removed') {
          expect((await core.callError('tokens:get', { id: r.id })).code).toBe('NOT_FOUND')
          continue
        }
        const now = await core.call('tokens:get', { id: r.id })
        const expected =
          t.kind === 'to' ? t.state : t.kind === 'restored' ? r.lifeState === 'bin' && 'enabled-offline' : state
        expect(now.lifeState, `${verb} from ${state}`).toBe(expected)
        expect(r.verbs.includes(verb)).toBe(true)
      }
      // The query verbs: listed from live states, hidden from the bin.
      const r = await inState(state)
      const listed = (await core.call('tokens:qri', { limit: 500 })).items.some((x) => x.id === r.id)
      const listedOwn = (await core.call('tokens:qry', { limit: 500 })).items.some((x) => x.id === r.id)
      expect(listed).toBe(TOKEN_STATE_TABLE[state].QRI.kind === 'listed')
      expect(listedOwn).toBe(TOKEN_STATE_TABLE[state].QRY.kind === 'listed')
    }
  })

  it('renders to markdown with one row per state and the channel serves it', async () => {
    const md = renderStateTable()
    for (const s of LIFE_STATES) expect(md).toContain(`| ${s} |`)
    expect((await core.call('tokens:stateTable', {})).markdown).toBe(md)
  })
})
