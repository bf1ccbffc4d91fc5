import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { makeCore, type TestCore } from '../helpers/core'
import { legacyDataforRef } from '../../src/main/remote/datafor-secrets'
import { roundsOf } from '../helpers/property'
import { runCliAsync, writeSecretFile } from './helpers'

// The secret TokenDesk sets on a Datafor config is kept under a fresh keychain account per value: racing writers never
// share an item, the kept secret is always the one the server holds, and no item is left behind. Three races each in
// `npm test`, 10 in `npm run test:property`.
const RUNS = roundsOf(3)

describe('Datafor kept secret under racing writers (real keychain)', () => {
  let df: DataforEmulator
  let core: TestCore
  let connId: string
  beforeAll(async () => {
    df = await startDataforEmulator({ configs: 1 })
    core = makeCore({ keychain: true })
    connId = (
      await core.call('connections:add', {
        name: 'd',
        kind: 'datafor',
        baseUrl: df.url,
        authMethod: 'basic',
        username: 'admin',
        credential: 'admin-pass'
      })
    ).id
  })
  afterAll(async () => {
    core.cleanup()
    await df.close()
  })
  const accounts = async (name: string) =>
    (await core.secrets.list()).filter(
      (a) => a === legacyDataforRef(connId, name) || a.startsWith(`${legacyDataforRef(connId, name)}/`)
    )

  it('two puts with secrets at once: at most one CONFLICT, and the kept secret is the server secret', async () => {
    for (let i = 0; i < RUNS; i++) {
      const secrets = [0, 1].map((k) => `race-${i}-${k}-`.padEnd(40, String(k)))
      // The first request to reach the server waits, so the other writer runs its whole put inside that window.
      df.setFault({ kind: 'slow', delayMs: 150, times: 1 })
      const results = await Promise.all(
        secrets.map((secret) => core.dispatch('remote:dataforPut', { conn: 'd', name: 'ERP1', secret }))
      )
      const failed = results.filter((r) => !r.ok)
      expect(failed.map((r) => (r.ok ? null : r.error.code)).every((c) => c === 'CONFLICT')).toBe(true)
      expect(failed.length).toBeLessThan(2)
      const server = df.state.configs.get('ERP1')!.secret
      expect(secrets).toContain(server)
      expect(await core.services.remote.keptDataforSecret('d', 'ERP1')).toBe(server)
      expect(await accounts('ERP1')).toHaveLength(1)
    }
  }, 120_000)

  it('two CLI processes put secrets at once: the kept secret is the server secret, one keychain item', async () => {
    for (let i = 0; i < RUNS; i++) {
      const secrets = [0, 1].map((k) => `cli-${i}-${k}-`.padEnd(40, String(k)))
      const files = secrets.map((v, k) => writeSecretFile(core.dataDir, `s${k}.txt`, v))
      // As above, but wide enough for a second process to start: the other writer runs inside the first one's put.
      df.setFault({ kind: 'slow', delayMs: 400, times: 1 })
      const runs = await Promise.all(
        files.map((f) =>
          runCliAsync([
            '--data',
            core.dataDir,
            '--json',
            'remote',
            'datafor',
            'put',
            'ERP1',
            '--conn',
            'd',
            '--secret-file',
            f
          ])
        )
      )
      for (const r of runs) if (r.code !== 0) expect(r.json()).toMatchObject({ error: { code: 'CONFLICT' } })
      expect(runs.some((r) => r.code === 0)).toBe(true)
      const server = df.state.configs.get('ERP1')!.secret
      expect(secrets).toContain(server)
      expect(await core.services.remote.keptDataforSecret('d', 'ERP1')).toBe(server)
      expect(await accounts('ERP1')).toHaveLength(1)
    }
  }, 300_000)

  it('a put the server refuses keeps the previous secret and leaves no new item', async () => {
    const before = await core.services.remote.keptDataforSecret('d', 'ERP1')
    df.failOn({ method: 'POST', path: /\/token\/update$/ })
    expect((await core.callError('remote:dataforPut', { conn: 'd', name: 'ERP1', secret: 'n'.repeat(40) })).code).toBe(
      'SERVER'
    )
    expect(await core.services.remote.keptDataforSecret('d', 'ERP1')).toBe(before)
    expect(await accounts('ERP1')).toHaveLength(1)
  })

  it('a secret kept under the old fixed account is read, then replaced by a fresh one', async () => {
    await core.call('remote:dataforPut', { conn: 'd', name: 'LEGACY1', secret: 'l'.repeat(40), enable: true })
    // A store written before fresh accounts: only the fixed account, no datafor_secrets row.
    for (const a of await accounts('LEGACY1')) await core.secrets.delete(a)
    core.db.prepare('DELETE FROM datafor_secrets WHERE name = ?').run('LEGACY1')
    await core.secrets.set(legacyDataforRef(connId, 'LEGACY1'), 'l'.repeat(40))
    expect(await core.services.remote.keptDataforSecret('d', 'LEGACY1')).toBe('l'.repeat(40))
    await core.call('remote:dataforPut', { conn: 'd', name: 'LEGACY1', secret: 'm'.repeat(40) })
    expect(await core.services.remote.keptDataforSecret('d', 'LEGACY1')).toBe('m'.repeat(40))
    const left = await accounts('LEGACY1')
    expect(left).toHaveLength(1)
    expect(left[0]).not.toBe(legacyDataforRef(connId, 'LEGACY1'))
  })
})
