import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { makeCore, type TestCore } from '../helpers/core'

// Credentials and server-made secrets never reach the store file, the audit log, error values or the process logs.
// Uses the real keychain inside scripts/with-keyring.sh (npm test), the in-memory store elsewhere.
describe('credential scan', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let core: TestCore
  const logged: string[] = []
  const secrets: string[] = []
  const WRONG = 'Wr0ngCredentialValueThatMustNotLeak'
  const SSO = 'sso-secret-set-by-tokendesk-0123456789'
  const STALE = 'StaleWriterCredentialNeverStored-42'
  const INTERNAL_PW = 'Int3rnalPasswordInAStackTrace'
  let echo: FessEmulator

  beforeAll(async () => {
    fess = await startFessEmulator({ tokens: 5 })
    df = await startDataforEmulator({
      configs: 1,
      users: [{ username: 'admin', password: 'P4ssw0rd-admin-never-stored', type: 'Administrator' }]
    })
    x = await startXduaEmulator({ tokens: 3 })
    echo = await startFessEmulator({ tokens: 0, echoCredential: true })
    core = makeCore({ keychain: Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) })
    secrets.push(
      fess.adminToken,
      'P4ssw0rd-admin-never-stored',
      x.token,
      WRONG,
      SSO,
      STALE,
      INTERNAL_PW,
      ...[...fess.state.items.values()].map((i) => i.token)
    )
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
        logged.push(String(chunk))
        return true
      }) as typeof stream.write)
    }
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    core.cleanup()
    await Promise.all([fess.close(), df.close(), x.close(), echo.close()])
  })

  it('leaves no credential in the store file, WAL, audit log, errors or logs', async () => {
    const errors: unknown[] = []
    const conns = [
      { name: 'f', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: fess.adminToken },
      {
        name: 'd',
        kind: 'datafor',
        baseUrl: df.url,
        authMethod: 'session',
        username: 'admin',
        credential: 'P4ssw0rd-admin-never-stored'
      },
      { name: 'x', kind: 'xdua', baseUrl: x.url, authMethod: 'jwt', credential: x.token },
      { name: 'bad', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: WRONG }
    ] as const
    for (const c of conns) expect((await core.dispatch('connections:add', c)).ok).toBe(true)
    const created = await core.call('remote:fessCreate', { conn: 'f', name: 'scan-me', permissions: ['{role}x'] })
    secrets.push(created.token)
    await core.call('remote:fessReveal', { conn: 'f', id: created.item.id })
    await core.call('remote:fessUpdate', { conn: 'f', id: created.item.id, name: 'scan-me-2' })
    await core.call('remote:dataforPut', { conn: 'd', name: 'SCAN', secret: SSO })
    await core.call('remote:dataforList', { conn: 'd' })
    await core.call('remote:xdua', { conn: 'x', verb: 'QRI' })
    const { jobId } = await core.call('remote:pull', { conn: 'f', keepSecrets: true })
    expect((await core.deps.jobs.wait(jobId)).state).toBe('done')
    await core.call('connections:update', { id: 'd', credential: 'P4ssw0rd-admin-never-stored' })
    // A stale update that brings a new credential: CONFLICT, and the credential goes nowhere.
    const stale = (await core.call('connections:get', { id: 'x' })).version - 1
    errors.push(await core.callError('connections:update', { id: 'x', version: stale, credential: STALE }))
    // A server that echoes the credential it refused, and an unexpected failure whose text carries credentials.
    errors.push(
      await core.callError('remote:fessList', {
        adhoc: { name: 'e', kind: 'fess', baseUrl: echo.url, authMethod: 'token', credential: WRONG }
      })
    )
    const get = core.secrets.get.bind(core.secrets)
    const spy = vi.spyOn(core.secrets, 'get').mockImplementationOnce(async () => {
      throw new TypeError(
        `request to https://admin:${INTERNAL_PW}@${new URL(fess.url).host}/api?access_token=${fess.adminToken} failed: Authorization: Bearer ${x.token}`
      )
    })
    errors.push(await core.callError('connections:test', { id: 'f' }))
    spy.mockImplementation(get)
    // Failures carry the server's message, never the credential that failed.
    errors.push(await core.callError('remote:fessList', { conn: 'bad' }))
    errors.push(
      await core.callError('remote:fessList', {
        adhoc: { name: 'a', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: WRONG }
      })
    )
    errors.push(
      await core.callError('remote:dataforList', {
        adhoc: {
          name: 'a',
          kind: 'datafor',
          baseUrl: df.url,
          authMethod: 'basic',
          username: 'admin',
          credential: WRONG
        }
      })
    )
    errors.push(
      await core.callError('remote:xdua', {
        adhoc: { name: 'a', kind: 'xdua', baseUrl: x.url, authMethod: 'jwt', credential: WRONG },
        verb: 'QRY'
      })
    )
    errors.push(
      await core.callError('connections:add', {
        name: 'far',
        kind: 'fess',
        baseUrl: 'http://far.example.com',
        authMethod: 'token',
        credential: WRONG
      })
    )
    fess.setFault({ kind: 'html' })
    errors.push(await core.callError('remote:fessList', { conn: 'f' }))
    fess.setFault(null)
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'CONFLICT',
      'AUTH',
      'INTERNAL',
      'AUTH',
      'AUTH',
      'AUTH',
      'AUTH',
      'INSECURE_URL',
      'PROTOCOL'
    ])
    const logFile = join(core.dataDir, 'logs', 'tokendesk.log')
    expect(readFileSync(logFile, 'utf8')).toContain('TypeError')

    const audit = JSON.stringify(core.deps.audit.list({ limit: 1000 }))
    expect(audit).toContain('remote:fessCreate')
    expect(audit).toContain('[redacted]')
    core.db.pragma('wal_checkpoint(PASSIVE)')
    const files = ['', '-wal', '-shm'].map((s) => core.deps.dbFile + s).filter(existsSync)
    const haystacks: Array<[string, string]> = [
      ['audit', audit],
      ['errors', JSON.stringify(errors)],
      ['logs', logged.join('')],
      ...files.map((f): [string, string] => [f, readFileSync(f).toString('latin1')]),
      // Every file in the data folder, the error log among them.
      ...readdirSync(core.dataDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e): [string, string] => [
          join(e.parentPath, e.name),
          readFileSync(join(e.parentPath, e.name)).toString('latin1')
        ])
    ]
    expect(haystacks.map(([w]) => w)).toContain(logFile)
    for (const [where, text] of haystacks)
      for (const s of secrets) expect(text.includes(s), `${where} contains a secret (${s.slice(0, 4)}…)`).toBe(false)
    // And the keychain has them where they belong.
    expect(await core.services.remote.keptDataforSecret('d', 'SCAN')).toBe(SSO)
  })
})
