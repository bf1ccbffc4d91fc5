import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FessEmulator } from '../emulators/fess'
import type { DataforEmulator } from '../emulators/datafor'
import type { XduaEmulator } from '../emulators/xdua'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'
import { CLAIMS } from '../helpers/claims'

// The server applied the create (or the secret write) but its answer was lost: a retry or resume finds what the
// server made instead of making a second replacement, and the old token stays as it was.
describe('rotate: a create applied but its answer lost', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let core: TestCore
  let stop: () => Promise<void>
  beforeAll(async () => {
    ;({ core, fess, df, x, stop } = await coreWithServers({ fess: {}, datafor: { configs: 1 }, xdua: {} }))
  })
  // A test that stops early must not leave the network down for the next one.
  afterEach(() => {
    fess.setFault(null)
    x.setFault(null)
    df.setFault(null)
  })
  afterAll(() => stop())

  const fessWorks = async (token: string) =>
    (
      await core.dispatch('remote:fessList', {
        adhoc: { name: 'probe', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: token },
        page: 1,
        size: 1
      })
    ).ok
  const auditSteps = async (rotationId: string) =>
    (await core.call('audit:list', { limit: 200 })).items
      .filter(
        (e) =>
          e.action.startsWith('rotate:') && (e.details as { rotationId?: string } | null)?.rotationId === rotationId
      )
      .map((e) => `${e.action}=${e.outcome}`)
      .reverse()
  const stored = () =>
    JSON.stringify([core.db.prepare('SELECT * FROM audit').all(), core.db.prepare('SELECT * FROM rotations').all()])
  const FESS_CREATE = { method: 'POST', path: '/api/admin/accesstoken/setting' }

  const fessOld = async (name: string) => {
    const created = await core.call('remote:fessCreate', {
      conn: 'f',
      name,
      permissions: ['{role}admin-api', '{user}ci'],
      parameterName: 'robot'
    })
    const replacements = () =>
      [...fess.state.items.values()].filter((i) => i.id !== created.item.id && i.name.startsWith(name))
    return { oldId: created.item.id, token: created.token, replacements }
  }

  it('Fess: the same call finds the replacement by its name and shows its value once', async () => {
    const { oldId, token, replacements } = await fessOld('lost create a')
    const before = fess.state.items.size
    const probe = fess.failOn({ ...FESS_CREATE, drop: true })
    const r = await core.call('remote:rotate', { conn: 'f', id: oldId })
    expect(probe.fired()).toBe(true)
    expect(r.failed).toBeUndefined()
    expect(fess.state.items.size).toBe(before + 1)
    const [fresh] = replacements()
    expect(fresh.name).toMatch(/^lost create a \(rotation [0-9a-f]{8}\)$/)
    expect(r).toMatchObject({ newId: fresh.id, token: fresh.token, retired: false, resumeFrom: null })
    expect(fresh.permissions).toBe(fess.state.items.get(oldId)!.permissions)
    expect(await fessWorks(token)).toBe(true)
    expect(stored()).not.toContain(fresh.token)
  })

  it('Fess: with the network down after the lost answer, a retry is refused and resume adopts the replacement', async () => {
    const { oldId, token, replacements } = await fessOld('lost create b')
    fess.failOn({ ...FESS_CREATE, drop: true, onFire: () => fess.setFault({ kind: 'reset' }) })
    const r1 = await core.call('remote:rotate', { conn: 'f', id: oldId })
    fess.setFault(null)
    expect(r1.failed).toMatchObject({ step: 'create-new', code: 'NETWORK' })
    expect(r1).toMatchObject({ newId: null, resumeFrom: 'create-new', retired: false })
    expect(replacements()).toHaveLength(1)

    const again = await core.callError('remote:rotate', { conn: 'f', id: oldId })
    expect(again).toMatchObject({ code: 'CONFLICT', details: { resumeFrom: 'create-new' } })
    const r2 = await core.call('remote:rotate', { conn: 'f', id: oldId, resume: true })
    expect(replacements()).toHaveLength(1)
    const [fresh] = replacements()
    expect(r2).toMatchObject({ rotationId: r1.rotationId, newId: fresh.id, token: fresh.token, resumeFrom: null })
    expect(fess.state.items.get(oldId)).toBeTruthy()
    expect(await fessWorks(token)).toBe(true)
    expect(await fessWorks(fresh.token)).toBe(true)
    expect(await auditSteps(r1.rotationId)).toEqual([
      'rotate:read-old=ok',
      'rotate:create-new=NETWORK',
      'rotate:create-new=ok'
    ])
    expect(stored()).not.toContain(fresh.token)
    // A second resume has nothing left to make.
    await core.call('remote:rotate', { conn: 'f', id: oldId, resume: true, retireOld: true })
    expect(replacements()).toHaveLength(1)
    expect(fess.state.items.has(oldId)).toBe(false)
  })

  it('Fess: a create applied and answered with a server error is found, not made again', async () => {
    const { oldId, replacements } = await fessOld('applied then 500')
    fess.failOn({ ...FESS_CREATE, apply: true })
    const r = await core.call('remote:rotate', { conn: 'f', id: oldId })
    expect(replacements()).toHaveLength(1)
    expect(r).toMatchObject({ newId: replacements()[0].id, resumeFrom: null })
    expect(r.notes.join(' ')).toMatch(/no second one was made/)
  })

  it('Fess: a create the server refused (answered, nothing made) is still a plain error', async () => {
    const { oldId, replacements } = await fessOld('refused create')
    fess.failOn({ ...FESS_CREATE, status: 500 })
    const e = await core.callError('remote:rotate', { conn: 'f', id: oldId })
    expect(e).toMatchObject({ code: 'SERVER', details: { step: 'create-new' } })
    expect(replacements()).toHaveLength(0)
    await core.call('remote:rotate', { conn: 'f', id: oldId })
    expect(replacements()).toHaveLength(1)
  })

  const claims = { ...CLAIMS, aud: 'LostApp', jti: 'old123', ipm: '10.0.0.0/8' }
  const xduaOld = async (aud: string) => {
    const oldId = (await core.call('remote:xdua', { conn: 'x', verb: 'ADD', fields: { ...claims, aud } })).id!
    await core.call('remote:xdua', { conn: 'x', verb: 'SET', id: oldId, fields: { name: `app_${aud}` } })
    await core.call('remote:xdua', { conn: 'x', verb: 'PUB', id: oldId })
    const replacements = () => [...x.state.tokens.values()].filter((t) => t.id !== oldId && t.claims.aud === aud)
    return { oldId, replacements }
  }

  it('xdua: the same call finds the ADDed copy by its jti; the copy is named, published, the old one works', async () => {
    const { oldId, replacements } = await xduaOld('LostA')
    const probe = x.failOn({ method: 'POST', path: '/token', drop: true })
    const r = await core.call('remote:rotate', { conn: 'x', id: oldId })
    expect(probe.fired()).toBe(true)
    expect(r.failed).toBeUndefined()
    expect(replacements()).toHaveLength(1)
    const [fresh] = replacements()
    expect(r.newId).toBe(fresh.id)
    expect(fresh.name).toBe(`app_LostA_r${fresh.id}`)
    expect(fresh.claims).toEqual({ ...claims, aud: 'LostA', jti: r.rotationId.replace(/-/g, '').slice(0, 8) })
    expect(x.works(fresh.id)).toBe(true)
    expect(x.works(oldId)).toBe(true)
  })

  it('xdua: with the network down after the lost ADD, resume adopts the copy instead of adding another', async () => {
    const { oldId, replacements } = await xduaOld('LostB')
    x.failOn({ method: 'POST', path: '/token', drop: true, onFire: () => x.setFault({ kind: 'reset' }) })
    const r1 = await core.call('remote:rotate', { conn: 'x', id: oldId })
    x.setFault(null)
    expect(r1.failed).toMatchObject({ step: 'create-new', code: 'NETWORK' })
    expect(r1).toMatchObject({ newId: null, resumeFrom: 'create-new' })
    expect(replacements()).toHaveLength(1)
    expect((await core.callError('remote:rotate', { conn: 'x', id: oldId })).code).toBe('CONFLICT')

    const r2 = await core.call('remote:rotate', { conn: 'x', id: oldId, resume: true })
    expect(replacements()).toHaveLength(1)
    const [fresh] = replacements()
    expect(r2).toMatchObject({ newId: fresh.id, resumeFrom: null, retired: false })
    expect(x.works(fresh.id)).toBe(true)
    expect(x.works(oldId)).toBe(true)
    expect(await auditSteps(r1.rotationId)).toEqual([
      'rotate:read-old=ok',
      'rotate:create-new=NETWORK',
      'rotate:create-new=ok',
      'rotate:copy-fields=ok',
      'rotate:publish-new=ok'
    ])
  })

  it('Datafor: a secret write applied but unanswered is said so, and resume makes keychain and server agree', async () => {
    const before = df.state.configs.get('ERP1')!.secret
    df.failOn({ method: 'POST', path: /\/token\/update$/, drop: true })
    const r1 = await core.call('remote:dataforRotateSecret', { conn: 'd', name: 'ERP1' })
    expect(r1.failed).toMatchObject({ step: 'write-config', code: 'NETWORK' })
    // The server holds the new secret already; the note must not claim the old one still works.
    expect(df.state.configs.get('ERP1')!.secret).not.toBe(before)
    expect(r1.notes.join(' ')).not.toMatch(/old secret still works/)
    expect(r1.notes.join(' ')).toMatch(/may already/)

    const r2 = await core.call('remote:dataforRotateSecret', { conn: 'd', name: 'ERP1', resume: true })
    expect(r2).toMatchObject({ retired: true, resumeFrom: null })
    const after = df.state.configs.get('ERP1')!.secret
    expect(await core.services.remote.keptDataforSecret('d', 'ERP1')).toBe(after)
    const connId = (await core.call('connections:get', { id: 'd' })).id
    expect((await core.secrets.list()).filter((a) => a.startsWith(`datafor/${connId}/ERP1`))).toHaveLength(1)
    expect(stored()).not.toContain(after)
  })

  it('local: a crash between the add and its journal entry is resumed by the drawn name, not added again', async () => {
    const old = await core.call('tokens:add', { ...claims, name: 'local_lost', expiresIn: 30 * 86400 })
    await core.call('tokens:pub', { id: old.id, version: old.record.version })
    // The add commits, then the journal write after it fails (what a crash at that moment leaves behind).
    core.db.exec(
      "CREATE TEMP TRIGGER lose_save BEFORE UPDATE OF done ON rotations WHEN NEW.done LIKE '%create-new%' BEGIN SELECT RAISE(ABORT, 'injected'); END"
    )
    await core.callError('inventory:rotate', { kind: 'token', id: old.id })
    core.db.exec('DROP TRIGGER lose_save')
    const copies = () =>
      core.db.prepare("SELECT id FROM tokens WHERE name LIKE 'local_lost_r%'").all() as Array<{ id: string }>
    expect(copies()).toHaveLength(1)

    const r = await core.call('inventory:rotate', { kind: 'token', id: old.id, resume: true })
    expect(copies()).toHaveLength(1)
    expect(r).toMatchObject({ newId: copies()[0].id, resumeFrom: null, retired: false })
    expect((await core.call('tokens:get', { id: r.newId! })).lifeState).toBe('enabled-online')
    expect((await core.call('tokens:get', { id: old.id })).lifeState).toBe('enabled-online')
  })
})
