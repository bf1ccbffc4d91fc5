import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { makeCore, type TestCore } from '../helpers/core'
import { QUIET_CLAIMS } from '../helpers/claims'
import type { InventoryRow } from '../../src/shared/contract'
import { rebuildFindings } from '../../src/main/hygiene/triggers'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86400
const claims = QUIET_CLAIMS

describe('inventory filters and paging', () => {
  let core: TestCore
  let connId: string
  beforeAll(async () => {
    core = makeCore({ now: () => NOW })
    await core.call('tokens:add', { name: 'soon', ...claims, expiresIn: 3 * DAY })
    await core.call('tokens:add', { name: 'month', ...claims, expiresIn: 25 * DAY })
    await core.call('tokens:add', { name: 'forever', ...claims })
    await core.call('tokens:add', { name: 'gone', ...claims, expire: NOW / 1000 - DAY })
    await core.call('accessTokens:add', { name: 'fess-soon', expires: '2026-06-05T00:00:00' })
    await core.call('ssoApps:add', { name: 'App', secret: 'x'.repeat(32), inituser: false })
    // A pulled copy as sync.ts stores it: a row marked with its connection.
    connId = (
      await core.call('connections:add', {
        name: 'prod',
        kind: 'fess',
        baseUrl: 'http://127.0.0.1:9',
        authMethod: 'token',
        credential: 't'
      })
    ).id
    core.db
      .prepare(
        `INSERT INTO access_tokens (id, name, permissions, expires, created, updated, origin_connection_id, remote_id, pulled_at) VALUES ('p1', 'pulled-admin', '{role}admin-api', '2026-06-10T00:00:00', 0, 0, ?, 'r1', ?)`
      )
      .run(connId, NOW - 1000)
  })
  afterAll(() => core.cleanup())

  const names = async (f: Record<string, unknown>) =>
    (await core.call('inventory:list', { limit: 100, ...f })).items.map((r) => r.name)

  it('lists everything soonest expiry first, never-expiring rows last', async () => {
    expect(await names({})).toEqual(['gone', 'soon', 'fess-soon', 'pulled-admin', 'month', 'forever', 'App'])
  })

  it('filters by server, kind, expiry and findings', async () => {
    expect(await names({ server: 'prod' })).toEqual(['pulled-admin'])
    expect(await names({ server: 'local', kind: 'access-token' })).toEqual(['fess-soon'])
    expect(await names({ expiringWithin: '30d' })).toEqual(['soon', 'fess-soon', 'pulled-admin', 'month'])
    expect(await names({ expiringWithin: '7d' })).toEqual(['soon', 'fess-soon'])
    expect(await names({ expired: true })).toEqual(['gone'])
    expect(await names({ neverExpires: true })).toEqual(['forever'])
    expect(await names({ findings: true })).toEqual(['gone', 'soon', 'fess-soon', 'pulled-admin', 'forever'])
    expect(await names({ rule: 'fess-admin' })).toEqual(['pulled-admin'])
    const err = await core.callError('inventory:list', { server: 'nope' })
    expect(err.code).toBe('NOT_FOUND')
  })

  it('shows server, state, expiry and last pull on each row', async () => {
    const rows = (await core.call('inventory:list', { server: 'prod' })).items
    expect(rows[0]).toMatchObject<Partial<InventoryRow>>({
      kind: 'access-token',
      server: 'prod',
      connectionId: connId,
      remoteId: 'r1',
      state: 'active',
      expiresAt: '2026-06-10T00:00:00.000Z',
      pulledAt: new Date(NOW - 1000).toISOString()
    })
    expect(rows[0].findings.map((f) => f.rule)).toEqual(['expires-soon', 'fess-admin'])
  })

  it('pages by keyset without gaps or repeats', async () => {
    const all = await names({})
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const p = await core.call('inventory:list', { limit: 2, cursor })
      seen.push(...p.items.map((r) => r.name))
      cursor = p.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(all)
  })

  it('exports CSV and JSON with findings', async () => {
    const csv = await core.call('inventory:export', { format: 'csv', server: 'prod' })
    expect(csv.text.split('\r\n')[0]).toBe('kind,server,name,id,remote_id,state,expires_at,pulled_at,findings')
    expect(csv.text).toContain('pulled-admin,p1,r1,active,2026-06-10T00:00:00.000Z')
    expect(csv.text).toContain('expires-soon;fess-admin')
    const json = await core.call('inventory:export', { format: 'json' })
    expect(JSON.parse(json.text)).toHaveLength(7)
  })
})

describe('findings after a bulk load', () => {
  it(
    'a seed and an import large enough to drop the derived state leave counts equal to a recompute',
    { timeout: 120_000 },
    async () => {
      // Loads of 2,000 rows or more drop and rebuild the derived state, as the default threshold does for bigger ones.
      const core = makeCore({ now: () => NOW, bulkMinRows: 2_000 })
      try {
        const { jobId } = await core.call('tokens:seed', { count: 3_000, seed: 7 })
        const stages: Array<string | undefined> = []
        core.deps.jobs.watch(jobId, (info) => stages.push(info.stage))
        const info = await core.deps.jobs.wait(jobId)
        expect(info.state, JSON.stringify(info.error)).toBe('done')
        expect(stages).toContain('building indexes')
        const before = await core.call('inventory:counts', {})
        const never = core.db
          .prepare('SELECT count(*) AS n FROM tokens WHERE expire = 0 AND deleted_at IS NULL')
          .get() as { n: number }
        expect(never.n).toBeGreaterThan(0)
        expect(before.byRule['never-expires']).toBe(never.n)
        const expiredActive = core.db
          .prepare(
            'SELECT count(*) AS n FROM tokens WHERE expire > 0 AND expire < ? AND deleted_at IS NULL AND (state = 0 OR published = 1)'
          )
          .get(NOW / 1000) as { n: number }
        expect(before.byRule['expired-active']).toBe(expiredActive.n)
        const soon = core.db
          .prepare('SELECT count(*) AS n FROM tokens WHERE expire >= ? AND expire < ? AND deleted_at IS NULL')
          .get(NOW / 1000, NOW / 1000 + 14 * DAY) as { n: number }
        expect(before.byRule['expires-soon']).toBe(soon.n)
        core.db.transaction(() => rebuildFindings(core.db))()
        expect(await core.call('inventory:counts', {})).toEqual(before)

        // The same rows through a bulk import into a fresh store (the loader's other bulk path).
        const file = join(core.dataDir, 'export.jsonl')
        const exp = await core.deps.jobs.wait((await core.call('tokens:export', { file })).jobId)
        expect(exp.state, JSON.stringify(exp.error)).toBe('done')
        const other = makeCore({ now: () => NOW, bulkMinRows: 2_000 })
        try {
          const derived = other.services.tokens.derived
          const beginBulk = derived.beginBulk.bind(derived)
          let bulkLoads = 0
          derived.beginBulk = (...args) => (bulkLoads++, beginBulk(...args))
          const imp = await other.deps.jobs.wait((await other.call('tokens:import', { file })).jobId)
          expect(imp.state, JSON.stringify(imp.error)).toBe('done')
          expect(bulkLoads).toBe(1)
          const imported = await other.call('inventory:counts', {})
          expect(imported.byRule['never-expires']).toBe(before.byRule['never-expires'])
          expect(imported.byRule['xdua-open']).toBe(before.byRule['xdua-open'])
          expect(imported.byRule['expired-active']).toBe(before.byRule['expired-active'])
          other.db.transaction(() => rebuildFindings(other.db))()
          expect(await other.call('inventory:counts', {})).toEqual(imported)
        } finally {
          other.cleanup()
        }
      } finally {
        core.cleanup()
      }
    }
  )
})

describe('findings counts kept by the table triggers', () => {
  it('equal a recompute after rows of each table are added, changed and deleted', async () => {
    const core = makeCore({ now: () => NOW })
    try {
      const counts = () =>
        core.db.prepare('SELECT rule, server, n FROM finding_counts WHERE n <> 0 ORDER BY rule, server').all()
      const add = core.db.prepare(
        `INSERT INTO access_tokens (id, name, permissions, expires, created, updated, origin_connection_id, remote_id, pulled_at) VALUES (?, ?, ?, ?, 0, 0, ?, ?, 0)`
      )
      add.run('a1', 'admin-forever', '{role}admin', null, null, null)
      add.run('a2', 'pulled-admin', '{role}admin-api\nR1', null, 'c1', 'r1')
      add.run('a3', 'dated', '{user}bob', '2026-07-01T00:00:00', 'c1', 'r2')
      await core.call('tokens:add', { name: 'open', ...claims, ipm: '*', dvm: '*', role: '*' })
      await core.call('tokens:add', { name: 'narrow', ...claims, expiresIn: 3 * DAY })
      await core.call('ssoApps:add', { name: 'App', secret: 'x'.repeat(8), inituser: false })
      core.db
        .prepare("UPDATE access_tokens SET permissions = '{user}bob', expires = '2026-08-01T00:00:00' WHERE id = 'a1'")
        .run()
      core.db.prepare("UPDATE access_tokens SET permissions = '{role}admin' WHERE id = 'a3'").run()
      core.db.prepare("DELETE FROM access_tokens WHERE id = 'a2'").run()
      core.db.prepare("UPDATE tokens SET expire = 0 WHERE name = 'narrow'").run()
      core.db.prepare("DELETE FROM tokens WHERE name = 'open'").run()
      const kept = counts()
      expect(kept.length).toBeGreaterThan(0)
      core.db.transaction(() => rebuildFindings(core.db))()
      expect(counts()).toEqual(kept)
    } finally {
      core.cleanup()
    }
  })

  it('a Fess token that never expires lists after every dated row', async () => {
    const core = makeCore({ now: () => NOW })
    try {
      await core.call('accessTokens:add', { name: 'fess-forever' })
      await core.call('accessTokens:add', { name: 'fess-dated', expires: '2026-06-05T00:00:00' })
      await core.call('tokens:add', { name: 'later', ...claims, expiresIn: 30 * DAY })
      const list = await core.call('inventory:list', { limit: 100 })
      expect(list.items.map((r) => r.name)).toEqual(['fess-dated', 'later', 'fess-forever'])
      const never = await core.call('inventory:list', { limit: 100, neverExpires: true })
      expect(never.items.map((r) => r.name)).toEqual(['fess-forever'])
    } finally {
      core.cleanup()
    }
  })
})
