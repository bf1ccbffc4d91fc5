import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FessEmulator } from '../emulators/fess'
import type { DataforEmulator } from '../emulators/datafor'
import type { XduaEmulator } from '../emulators/xdua'
import { signHs } from '../emulators/common'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'
import type { RotateResult } from '../../src/shared/contract'
import { CLAIMS } from '../helpers/claims'

// Rotate on each server and locally, with a failure injected between two steps and `resume` finishing it; the old token
// keeps working until it is retired.
describe('rotate', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let core: TestCore
  let stop: () => Promise<void>
  beforeAll(async () => {
    ;({ core, fess, df, x, stop } = await coreWithServers({ fess: {}, datafor: { configs: 2 }, xdua: {} }))
  })
  afterAll(() => stop())

  /** Whether a Fess token value authenticates as an admin (lists tokens). */
  const fessWorks = async (token: string) => {
    const r = await core.dispatch('remote:fessList', {
      adhoc: { name: 'probe', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: token },
      page: 1,
      size: 1
    })
    if (!r.ok) expect(r.error.code).toBe('AUTH')
    return r.ok
  }
  const stepsDone = (r: RotateResult) => r.steps.filter((s) => s.state === 'done').map((s) => s.step)
  const auditSteps = async (rotationId: string) =>
    (await core.call('audit:list', { limit: 100 })).items
      .filter(
        (e) =>
          e.action.startsWith('rotate:') && (e.details as { rotationId?: string } | null)?.rotationId === rotationId
      )
      .map((e) => `${e.action}=${e.outcome}`)
      .reverse()

  it('Fess: a copy with the same permissions and parameter name, the value once; a failed delete resumes', async () => {
    const created = await core.call('remote:fessCreate', {
      conn: 'f',
      name: 'ci robot',
      permissions: ['{role}admin-api', '{user}ci'],
      parameterName: 'robot',
      expires: '2099-01-01T00:00:00'
    })
    const oldId = created.item.id
    const probe = fess.failOn({ method: 'DELETE', path: `/api/admin/accesstoken/setting/${oldId}` })
    const r1 = await core.call('remote:rotate', { conn: 'f', id: oldId, retireOld: true })
    expect(probe.fired()).toBe(true)
    expect(r1.failed).toMatchObject({ step: 'delete-old', code: 'SERVER' })
    expect(r1).toMatchObject({ resumeFrom: 'delete-old', retired: false })
    expect(r1.token).toMatch(/^[A-Za-z0-9]{60}$/)
    const fresh = fess.state.items.get(r1.newId!)!
    expect(fresh.token).toBe(r1.token)
    expect(fresh.permissions).toBe(fess.state.items.get(oldId)!.permissions)
    expect(fresh.parameter_name).toBe('robot')
    expect(fresh.expires).toBeTruthy()
    // Both work while the rotation is open; a second rotate of the same token is refused with the step to resume.
    expect(await fessWorks(created.token)).toBe(true)
    expect(await fessWorks(r1.token!)).toBe(true)
    expect((await core.callError('remote:rotate', { conn: 'f', id: oldId })).code).toBe('CONFLICT')

    const r2 = await core.call('remote:rotate', { conn: 'f', id: oldId, resume: true })
    expect(r2).toMatchObject({ retired: true, resumeFrom: null, newId: r1.newId })
    expect(r2.token).toBeUndefined()
    expect(fess.state.items.has(oldId)).toBe(false)
    expect(await fessWorks(created.token)).toBe(false)
    expect(await fessWorks(r1.token!)).toBe(true)
    expect(await auditSteps(r1.rotationId)).toEqual([
      'rotate:read-old=ok',
      'rotate:create-new=ok',
      'rotate:delete-old=SERVER',
      'rotate:delete-old=ok'
    ])
    // The value was shown once: it is in no audit row and no rotation record.
    const stored = JSON.stringify([
      core.db.prepare('SELECT * FROM audit').all(),
      core.db.prepare('SELECT * FROM rotations').all()
    ])
    expect(stored).not.toContain(r1.token)
  })

  it('Fess / xdua: a retire step whose answer was lost (the server did it) is found done on resume', async () => {
    const created = await core.call('remote:fessCreate', {
      conn: 'f',
      name: 'lost answer',
      permissions: ['{role}admin-api']
    })
    fess.failOn({ method: 'DELETE', path: `/api/admin/accesstoken/setting/${created.item.id}`, apply: true })
    const r1 = await core.call('remote:rotate', { conn: 'f', id: created.item.id, retireOld: true })
    expect(r1.failed?.step).toBe('delete-old')
    expect(fess.state.items.has(created.item.id)).toBe(false)
    expect(await core.call('remote:rotate', { conn: 'f', id: created.item.id, resume: true })).toMatchObject({
      retired: true
    })

    const claims = { ...CLAIMS, aud: 'AppTwo', jti: 'x1', tag: 'T', shop: 'S', role: 'r' }
    const oldId = (await core.call('remote:xdua', { conn: 'x', verb: 'ADD', fields: claims })).id!
    x.failOn({ method: 'PUT', path: `/token.deleto/${oldId}`, apply: true })
    const r2 = await core.call('remote:rotate', { conn: 'x', id: oldId, retireOld: true })
    expect(r2.failed?.step).toBe('delete-old')
    expect(x.state.tokens.get(oldId)!.deleted).toBe(true)
    expect(await core.call('remote:rotate', { conn: 'x', id: oldId, resume: true })).toMatchObject({
      retired: true,
      resumeFrom: null
    })
  })

  it('Fess: without retireOld the old token is kept until a resume with retireOld', async () => {
    const created = await core.call('remote:fessCreate', { conn: 'f', name: 'kept', permissions: ['{role}admin-api'] })
    const r1 = await core.call('remote:rotate', { conn: 'f', id: created.item.id })
    expect(r1).toMatchObject({ retired: false, resumeFrom: null })
    expect(stepsDone(r1)).toEqual(['read-old', 'create-new'])
    expect(await fessWorks(created.token)).toBe(true)
    const r2 = await core.call('remote:rotate', { conn: 'f', id: created.item.id, resume: true, retireOld: true })
    expect(r2.retired).toBe(true)
    expect(await fessWorks(created.token)).toBe(false)
  })

  it('Fess: a failed create is a plain error and leaves the old token alone', async () => {
    const created = await core.call('remote:fessCreate', {
      conn: 'f',
      name: 'create fails',
      permissions: ['{role}admin-api']
    })
    fess.failOn({ method: 'POST', path: '/api/admin/accesstoken/setting' })
    const e = await core.callError('remote:rotate', { conn: 'f', id: created.item.id, retireOld: true })
    expect(e).toMatchObject({ code: 'SERVER', details: { step: 'create-new' } })
    expect(await fessWorks(created.token)).toBe(true)
    // Nothing to resume: a new rotation starts over.
    expect((await core.call('remote:rotate', { conn: 'f', id: created.item.id, retireOld: true })).retired).toBe(true)
  })

  it('xdua: ADD a copy of the claims, PUB it; a failed PUB resumes, then OFF and DOL retire the old', async () => {
    const claims = { ...CLAIMS, ipm: '10.0.0.0/8' }
    const oldId = (await core.call('remote:xdua', { conn: 'x', verb: 'ADD', fields: claims })).id!
    await core.call('remote:xdua', {
      conn: 'x',
      verb: 'SET',
      id: oldId,
      fields: { name: 'billing_reader', brief: 'billing', expire: Math.floor(Date.now() / 1000) + 30 * 86400 }
    })
    await core.call('remote:xdua', { conn: 'x', verb: 'PUB', id: oldId })
    expect(x.works(oldId)).toBe(true)

    x.failOn({ method: 'PUT', path: /^\/token\.publish\// })
    const r1 = await core.call('remote:rotate', { conn: 'x', id: oldId, retireOld: true })
    expect(r1.failed).toMatchObject({ step: 'publish-new' })
    expect(r1.resumeFrom).toBe('publish-new')
    const fresh = x.state.tokens.get(r1.newId!)!
    expect(fresh.claims).toEqual({ ...claims, jti: r1.rotationId.replace(/-/g, '').slice(0, 8) })
    expect(fresh.name).toBe(`billing_reader_r${r1.newId}`)
    expect(fresh.expire).toBeGreaterThan(Math.floor(Date.now() / 1000) + 29 * 86400)
    expect(x.works(oldId)).toBe(true)
    expect(x.works(r1.newId!)).toBe(false)

    const r2 = await core.call('remote:rotate', { conn: 'x', id: oldId, resume: true })
    expect(r2).toMatchObject({ retired: true, resumeFrom: null })
    expect(stepsDone(r2)).toEqual(['read-old', 'create-new', 'copy-fields', 'publish-new', 'offline-old', 'delete-old'])
    expect(x.works(r1.newId!)).toBe(true)
    expect(x.works(oldId)).toBe(false)
    expect(x.state.tokens.get(oldId)).toMatchObject({ deleted: true, published: false })
  })

  it('Datafor: a new secret of the hash size, written with the whole config and verified; a failed write resumes', async () => {
    const before = { ...df.state.configs.get('ERP1')! }
    const oldToken = signHs(before.algorithm, before.secret, {
      [before.fieldmap.username]: 'admin',
      exp: Math.floor(Date.now() / 1000) + 600
    })
    df.failOn({ method: 'POST', path: /\/token\/update$/ })
    const r1 = await core.call('remote:dataforRotateSecret', { conn: 'd', name: 'ERP1' })
    expect(r1.failed).toMatchObject({ step: 'write-config' })
    expect(r1.resumeFrom).toBe('write-config')
    expect(df.state.configs.get('ERP1')!.secret).toBe(before.secret)

    const r2 = await core.call('remote:dataforRotateSecret', { conn: 'd', name: 'ERP1', resume: true })
    expect(r2).toMatchObject({ retired: true, resumeFrom: null })
    expect(stepsDone(r2)).toEqual(['read-old', 'keep-secret', 'write-config', 'verify', 'delete-old'])
    expect(r2.notes.join(' ')).toMatch(/old secret no longer log in/)
    const after = df.state.configs.get('ERP1')!
    expect(after.secret).not.toBe(before.secret)
    expect(Buffer.byteLength(after.secret)).toBeGreaterThanOrEqual(32)
    // Everything but the secret is as it was (read, merge, write).
    expect({ ...after, secret: '', lastModifiedDate: '' }).toEqual({ ...before, secret: '', lastModifiedDate: '' })
    expect(await core.services.remote.keptDataforSecret('d', 'ERP1')).toBe(after.secret)
    const connId = (await core.call('connections:get', { id: 'd' })).id
    expect((await core.secrets.list()).filter((a) => a.startsWith(`datafor/${connId}/ERP1`))).toHaveLength(1)
    // A token signed with the old secret no longer logs in; one minted with the kept new secret does.
    const login = (t: string) =>
      fetch(`${df.url}/plugin/datafor/api/integrate/r1?${before.token_name}=${encodeURIComponent(t)}`).then(
        (r) => r.status
      )
    expect(await login(oldToken)).toBe(401)
    const minted = await core.call('remote:dataforMint', { conn: 'd', name: 'ERP1', username: 'admin' })
    expect(await login(minted.token)).toBe(200)
  })

  it('Datafor: an ES256 config gets a new key pair; the server holds the public key, the keychain the private one', async () => {
    await core.call('remote:dataforPut', {
      conn: 'd',
      name: 'ECAPP',
      secret: 'placeholder',
      algorithm: 'ES256',
      tokenName: 'ectoken',
      enable: true
    })
    const r = await core.call('remote:dataforRotateSecret', { conn: 'd', name: 'ECAPP' })
    expect(r.retired).toBe(true)
    expect(df.state.configs.get('ECAPP')!.secret).toBe(r.publicKey)
    const minted = await core.call('remote:dataforMint', { conn: 'd', name: 'ECAPP', username: 'admin' })
    const status = await fetch(
      `${df.url}/plugin/datafor/api/integrate/r1?ectoken=${encodeURIComponent(minted.token)}`
    ).then((x) => x.status)
    expect(status, JSON.stringify(df.state.logins.at(-1))).toBe(200)
  })

  it('local: ADD a copy, PUB it; a failure before PUB resumes; retire takes the old offline and to the bin', async () => {
    const claims = CLAIMS
    const old = await core.call('tokens:add', {
      ...claims,
      name: 'local_reader',
      brief: 'reads',
      expiresIn: 30 * 86400
    })
    await core.call('tokens:pub', { id: old.id, version: old.record.version })
    // An injected failure: the store refuses to publish any replacement until the trigger is dropped.
    core.db.exec(
      "CREATE TEMP TRIGGER no_pub BEFORE UPDATE OF published ON tokens WHEN NEW.published = 1 AND NEW.name LIKE 'local_reader_r%' BEGIN SELECT RAISE(ABORT, 'injected'); END"
    )
    const r1 = await core.call('inventory:rotate', { kind: 'token', id: old.id, retireOld: true })
    expect(r1.failed?.step).toBe('publish-new')
    const fresh = await core.call('tokens:get', { id: r1.newId! })
    expect(fresh).toMatchObject({ ...claims, brief: 'reads', published: false })
    expect(fresh.expire).toBeGreaterThan(Math.floor(Date.now() / 1000) + 29 * 86400)
    expect((await core.call('tokens:get', { id: old.id })).lifeState).toBe('enabled-online')

    core.db.exec('DROP TRIGGER no_pub')
    const r2 = await core.call('inventory:rotate', { kind: 'token', id: old.id, resume: true })
    expect(r2).toMatchObject({ retired: true, resumeFrom: null, target: 'local' })
    expect((await core.call('tokens:get', { id: r1.newId! })).lifeState).toBe('enabled-online')
    const gone = await core.dispatch('tokens:get', { id: old.id })
    expect(gone.ok ? (gone.value as { lifeState: string }).lifeState : gone.error.code).toMatch(/bin|NOT_FOUND/)
  })

  it('inventory rows of pulled copies rotate on their server', async () => {
    const created = await core.call('remote:fessCreate', {
      conn: 'f',
      name: 'pulled one',
      permissions: ['{role}admin-api']
    })
    const { jobId } = await core.call('remote:pull', { conn: 'f' })
    await core.deps.jobs.wait(jobId)
    const local = core.db.prepare('SELECT id FROM access_tokens WHERE remote_id = ?').get(created.item.id) as {
      id: string
    }
    const r = await core.call('inventory:rotate', { kind: 'access-token', id: local.id, retireOld: true })
    expect(r).toMatchObject({ target: 'fess', retired: true })
    expect(r.token).toHaveLength(60)
    // The pulled copies follow: the old one is gone, the replacement is there.
    expect(core.db.prepare('SELECT 1 FROM access_tokens WHERE remote_id = ?').get(created.item.id)).toBeUndefined()
    expect(core.db.prepare('SELECT name FROM access_tokens WHERE remote_id = ?').get(r.newId)).toEqual({
      name: `pulled one (rotation ${r.rotationId.slice(0, 8)})`
    })
  })
})
