import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { QUIET_CLAIMS } from '../helpers/claims'
import { fessConnection } from '../helpers/servers'
import { rowProbeSql } from '../../src/main/hygiene/inventory'
import { INVENTORY_KINDS } from '../../src/shared/contract'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86400
const claims = QUIET_CLAIMS

describe('inventory:row', () => {
  let core: TestCore
  let connId: string
  beforeAll(async () => {
    core = makeCore({ now: () => NOW })
    connId = (await core.call('connections:add', fessConnection('prod', 'http://127.0.0.1:9', 't'))).id
    // A pulled copy as sync.ts stores it: a row marked with its connection.
    core.db
      .prepare(
        `INSERT INTO access_tokens (id, name, permissions, expires, created, updated, origin_connection_id, remote_id, pulled_at) VALUES ('p1', 'pulled-admin', '{role}admin-api', NULL, 0, 0, ?, 'r1', ?)`
      )
      .run(connId, NOW - 1000)
  })
  afterAll(() => core.cleanup())

  const rules = (r: { findings: Array<{ rule: string }> } | null) => r?.findings.map((f) => f.rule)

  it('gives a never-expiring token its finding, and a dated one none', async () => {
    const forever = await core.call('tokens:add', { name: 'forever', ...claims })
    const dated = await core.call('tokens:add', { name: 'dated', ...claims, expiresIn: 90 * DAY })
    const f = await core.call('inventory:row', { kind: 'token', id: forever.id })
    expect(f).toMatchObject({ kind: 'token', name: 'forever', id: forever.id, server: 'local', expiresAt: null })
    expect(rules(f)).toEqual(['never-expires'])
    const d = await core.call('inventory:row', { kind: 'token', id: dated.id })
    expect(d?.expiresAt).toBe(new Date(NOW + 90 * DAY * 1000).toISOString())
    expect(rules(d)).toEqual([])
  })

  it('answers the same row the inventory lists', async () => {
    const at = await core.call('accessTokens:add', { name: 'fess-soon', expires: '2026-06-05T00:00:00' })
    const listed = (await core.call('inventory:list', { limit: 100 })).items.find((r) => r.id === at.id)
    expect(listed).toBeDefined()
    expect(await core.call('inventory:row', { kind: 'access-token', id: at.id })).toEqual(listed)
    expect(rules(listed!)).toEqual(['expires-soon'])
  })

  it('finds a pulled copy with its server and findings', async () => {
    const r = await core.call('inventory:row', { kind: 'access-token', id: 'p1' })
    expect(r).toMatchObject({ server: 'prod', connectionId: connId, remoteId: 'r1', name: 'pulled-admin' })
    expect(rules(r)).toEqual(['never-expires', 'fess-admin'])
  })

  it('follows the token: renewing it drops never-expires', async () => {
    const t = await core.call('tokens:add', { name: 'renew_me', ...claims })
    expect(rules(await core.call('inventory:row', { kind: 'token', id: t.id }))).toContain('never-expires')
    await core.call('inventory:renew', { kind: 'token', id: t.id, expiresAt: '2026-12-01T00:00:00Z' })
    const r = await core.call('inventory:row', { kind: 'token', id: t.id })
    expect(r?.expiresAt).toBe('2026-12-01T00:00:00.000Z')
    expect(rules(r)).toEqual([])
  })

  it('answers null for an unknown id or the wrong kind', async () => {
    const t = await core.call('tokens:add', { name: 'kind_check', ...claims })
    expect(await core.call('inventory:row', { kind: 'token', id: 'nope' })).toBeNull()
    expect(await core.call('inventory:row', { kind: 'access-token', id: t.id })).toBeNull()
    expect(await core.call('inventory:row', { kind: 'sso-app', id: 'p1' })).toBeNull()
  })

  it('probes an id index for every kind, never a scan or the expiry index', () => {
    for (const kind of INVENTORY_KINDS) {
      for (const sql of rowProbeSql(kind)) {
        const plan = core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ id: 'x', limit: 1 }) as Array<{
          detail: string
        }>
        // The outer table's step (the findings subquery has its own, on token_findings).
        const outer = plan.map((p) => p.detail).filter((d) => /^(SEARCH|SCAN) r\b/.test(d))
        expect(outer, `${kind}: ${sql}`).toHaveLength(1)
        expect(outer[0], kind).toMatch(/^SEARCH r USING (INTEGER PRIMARY KEY|(COVERING )?INDEX \w+) \((id|kid)=\?\)/)
        expect(outer[0]).not.toMatch(/tokens_by_expire/)
      }
    }
  })
})
