import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import type { FessEmulator } from '../emulators/fess'
import type { DataforEmulator } from '../emulators/datafor'
import type { XduaEmulator } from '../emulators/xdua'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'
import { tokenRow, tokenSelect } from '../../src/main/tokens/row'

// Pull, push and diff between the emulators and the local tables (src/main/tokens/schema.ts).
describe('pull, push, diff', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let core: TestCore
  let stop: () => Promise<void>
  beforeAll(async () => {
    ;({ core, fess, df, x, stop } = await coreWithServers({
      fess: { tokens: 40 },
      datafor: { configs: 3 },
      xdua: { tokens: 10 }
    }))
  })
  afterAll(() => stop())

  const pull = async (conn: string, keepSecrets?: boolean) => {
    const { jobId } = await core.call('remote:pull', { conn, keepSecrets })
    const info = await core.deps.jobs.wait(jobId)
    expect(info.state, JSON.stringify(info.error)).toBe('done')
    return info.result as { pulled: number; inserted: number; updated: number; removed: number }
  }

  it('pulls Fess tokens as read-only copies, upserted by (connection, remote id)', async () => {
    const connId = (await core.call('connections:get', { id: 'f' })).id
    expect(await pull('f')).toMatchObject({ pulled: 41, inserted: 41, updated: 0, removed: 0 })
    const rows = core.db.prepare('SELECT * FROM access_tokens WHERE origin_connection_id = ?').all(connId) as Array<
      Record<string, unknown>
    >
    expect(rows).toHaveLength(41)
    const one = rows.find((r) => r.name === 'token-00004')!
    const server = [...fess.state.items.values()].find((i) => i.name === 'token-00004')!
    expect(one).toMatchObject({ remote_id: server.id, parameter_name: 'perm', token_ref: null })
    expect(typeof one.pulled_at).toBe('number')
    // Pull again after a server-side delete and rename: no duplicates, the gone one removed.
    const victim = [...fess.state.items.values()].find((i) => i.name === 'token-00001')!
    fess.state.items.delete(victim.id)
    server.name = 'renamed-on-server'
    fess.state.changed()
    expect(await pull('f')).toMatchObject({ pulled: 40, inserted: 0, updated: 40, removed: 1 })
    expect(core.db.prepare('SELECT name FROM access_tokens WHERE remote_id = ?').get(server.id)).toEqual({
      name: 'renamed-on-server'
    })
  })

  it('keeps Fess values in the keychain only when asked', async () => {
    await pull('f', true)
    const row = core.db.prepare("SELECT id, token_ref FROM access_tokens WHERE name = 'token-00002'").get() as {
      id: string
      token_ref: string
    }
    expect(row.token_ref.startsWith(`access-token/${row.id}/`)).toBe(true)
    const server = [...fess.state.items.values()].find((i) => i.name === 'token-00002')!
    expect(await core.secrets.get(row.token_ref)).toBe(server.token)
  })

  it('pulls Datafor configs and xdua tokens', async () => {
    expect(await pull('d')).toMatchObject({ pulled: 3, inserted: 3 })
    const app = core.db.prepare("SELECT * FROM sso_apps WHERE name = 'ERP1'").get() as Record<string, unknown>
    expect(app).toMatchObject({
      token_name: 'token',
      algorithm: 'HS256',
      enable: 1,
      secret_ref: null,
      remote_id: 'ERP1'
    })
    expect(JSON.parse(String(app.fieldmap))).toMatchObject({ username: 'loginname' })
    expect(await pull('x')).toMatchObject({ pulled: 10, inserted: 10 })
    const t = tokenRow(
      core.db.prepare(`SELECT ${tokenSelect()} FROM tokens WHERE name = 'token_0010'`).raw().get() as unknown[]
    )
    expect(t).toMatchObject({ state: 1, aud: 'AdmManHu', creator: 'other' })
    expect(t.id).toMatch(/^[A-Za-z0-9]{8}$/)
  })

  it('an xdua pull waits for a bulk load of the local store (BUSY), then goes through', async () => {
    const derived = core.services.tokens.derived
    derived.beginBulk()
    try {
      const { jobId } = await core.call('remote:pull', { conn: 'x' })
      const info = await core.deps.jobs.wait(jobId)
      expect(info.state).toBe('failed')
      expect(info.error).toMatchObject({ code: 'BUSY' })
    } finally {
      await derived.endBulk()
    }
    expect(await pull('x')).toMatchObject({ pulled: 10 })
  })

  it('pushes a local Fess record (create, then update) and diffs it', async () => {
    const id = randomUUID()
    const now = Date.now()
    core.db
      .prepare(
        'INSERT INTO access_tokens (id, name, permissions, parameter_name, expires, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(id, 'local-one', '{role}guest\n{user}bob', null, '2099-12-31T23:59:59', now, now)
    const created = await core.call('remote:push', { conn: 'f', localId: id })
    expect(created).toMatchObject({ action: 'created', kind: 'fess' })
    expect(created.token).toMatch(/^[A-Za-z0-9]{60}$/)
    const server = fess.state.items.get(created.remoteId)!
    expect(server).toMatchObject({ name: 'local-one', permissions: 'Rguest\n1bob', expires: '2099-12-31T23:59:59' })
    // Change locally, diff shows it, push updates the same server record.
    core.db.prepare("UPDATE access_tokens SET name = 'local-two' WHERE id = ?").run(id)
    const d = await core.call('remote:diff', { conn: 'f' })
    const item = d.items.find((i) => i.localId === id)!
    expect(item).toMatchObject({
      status: 'changed',
      fields: [{ field: 'name', local: 'local-two', remote: 'local-one' }]
    })
    const updated = await core.call('remote:push', { conn: 'f', localId: id })
    expect(updated).toMatchObject({ action: 'updated', remoteId: created.remoteId })
    expect(fess.state.items.get(created.remoteId)!.name).toBe('local-two')
    expect((await core.call('remote:diff', { conn: 'f' })).items.find((i) => i.localId === id)!.status).toBe('same')
    // A pulled copy is not pushed.
    const pulledId = (
      core.db.prepare('SELECT id FROM access_tokens WHERE origin_connection_id IS NOT NULL LIMIT 1').get() as {
        id: string
      }
    ).id
    expect((await core.callError('remote:push', { conn: 'f', localId: pulledId })).code).toBe('READ_ONLY')
  })

  it('diff reports server-side changes to pulled copies', async () => {
    await pull('f')
    const it0 = [...fess.state.items.values()].find((i) => i.name === 'token-00003')!
    it0.permissions = 'Rchanged'
    fess.state.changed()
    const d = await core.call('remote:diff', { conn: 'f' })
    const item = d.items.find((i) => i.remoteId === it0.id)!
    expect(item.status).toBe('changed')
    expect(item.fields[0]).toMatchObject({ field: 'permissions', remote: ['{role}changed'] })
  })

  it('pushes a local Datafor SSO app with its keychain secret, and a local xdua token', async () => {
    const id = randomUUID()
    await core.secrets.set(`sso-app/${id}`, 'local-sso-secret-0123456789abcdefghij')
    core.db
      .prepare(
        'INSERT INTO sso_apps (id, name, token_name, secret_ref, expire, fieldmap, algorithm, enable, inituser, initroles, self_service, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)'
      )
      .run(
        id,
        'LOCALAPP',
        'tk',
        `sso-app/${id}`,
        600,
        JSON.stringify({ username: 'uid', name: 'n', email: 'e' }),
        'HS384',
        1,
        0,
        '["SYS_Reader"]',
        1,
        Date.now(),
        Date.now()
      )
    const r = await core.call('remote:push', { conn: 'd', localId: id })
    expect(r).toMatchObject({ action: 'created', remoteId: 'LOCALAPP' })
    expect(df.state.configs.get('LOCALAPP')).toMatchObject({
      token_name: 'tk',
      secret: 'local-sso-secret-0123456789abcdefghij',
      algorithm: 'HS384',
      self_service: '1',
      inituser: '0'
    })
    expect(await core.services.remote.keptDataforSecret('d', 'LOCALAPP')).toBe('local-sso-secret-0123456789abcdefghij')

    const tid = 'Loc4l001'
    core.db
      .prepare(
        `INSERT INTO tokens (id, name, brief, avatar, claims, state, creator, updater, cstamp, istamp)
                VALUES (?, 'local_token', 'from the store', '', json_array('L', 'AppX', 'SvKerneL', '1234', '*', '*', 'Primary', '*', '*', 'Shop1', '*', '*'), 1, 'me', 'me', 0, 0)`
      )
      .run(tid)
    const xr = await core.call('remote:push', { conn: 'x', localId: tid })
    expect(xr.action).toBe('created')
    expect(x.state.tokens.get(xr.remoteId)).toMatchObject({
      name: 'local_token',
      brief: 'from the store',
      state: 1,
      claims: { aud: 'AppX', shop: 'Shop1' }
    })
  })
})
