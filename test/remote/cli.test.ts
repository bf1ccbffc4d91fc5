import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { runMain } from '../helpers/cli'
import { writeSecretFile } from './helpers'

// The CLI's main(), in-process, against the emulators. Saved connections need the keychain: run inside
// scripts/with-keyring.sh (npm test does); one-off --url calls do not.
const keyring = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)

describe('CLI: remote fess / datafor / xdua with --url', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let dir: string
  let tokenFile: string
  const cli = (...args: string[]) => runMain(['--data', join(dir, 'data'), ...args])
  beforeAll(async () => {
    fess = await startFessEmulator({ tokens: 60 })
    df = await startDataforEmulator({ configs: 1 })
    x = await startXduaEmulator({ tokens: 2 })
    dir = mkdtempSync(join(tmpdir(), 'tokendesk-cli-remote-'))
    tokenFile = writeSecretFile(dir, 'fess-token', fess.adminToken)
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await Promise.all([fess.close(), df.close(), x.close()])
  })

  it('fess list --all, create, get, update --name, delete with --json (camelCase, permissions as lines)', async () => {
    const target = ['remote', 'fess', '--url', fess.url, '--token-file', tokenFile]
    const all = await cli('--json', ...target, 'list', '--all')
    expect(all.code, all.stderr).toBe(0)
    const list = all.json()
    expect(list.items).toHaveLength(61)
    expect(new Set(list.items.map((i: { id: string }) => i.id)).size).toBe(61)
    const created = await cli(
      '--json',
      ...target,
      'create',
      '--name',
      'cli-made',
      '--permission',
      '{role}guest',
      '--permission',
      '{group}ops',
      '--parameter-name',
      'pp',
      '--expires',
      '2099-01-02T03:04:05'
    )
    expect(created.code, created.stderr).toBe(0)
    const c = created.json()
    expect(c.token).toMatch(/^[A-Za-z0-9]{60}$/)
    expect(c.item).toMatchObject({
      name: 'cli-made',
      permissions: ['{role}guest', '{group}ops'],
      parameterName: 'pp',
      expires: '2099-01-02T03:04:05'
    })
    const upd = await cli('--json', ...target, 'update', c.item.id, '--name', 'cli-renamed')
    expect(upd.code, upd.stderr).toBe(0)
    expect(upd.json().item).toMatchObject({
      name: 'cli-renamed',
      permissions: ['{role}guest', '{group}ops'],
      parameterName: 'pp',
      expires: '2099-01-02T03:04:05'
    })
    const got = await cli('--json', ...target, 'get', c.item.id)
    expect(got.json()).toMatchObject({ id: c.item.id, name: 'cli-renamed', updatedBy: 'guest' })
    expect(got.stdout).not.toContain(c.token)
    const human = await cli(...target, 'get', c.item.id)
    expect(human.stdout).toContain('parameter name: pp')
    expect((await cli('--json', ...target, 'delete', c.item.id)).json()).toEqual({ id: c.item.id, deleted: true })
    const gone = await cli('--json', ...target, 'get', c.item.id)
    expect(gone.code).toBe(1)
    expect(gone.json().error.code).toBe('NOT_FOUND')
    expect(gone.stderr).toMatch(/^error NOT_FOUND: /)
  })

  it('a wrong token exits 1 with AUTH and does not print the token', async () => {
    const bad = writeSecretFile(dir, 'bad', 'BadTokenValue0123456789')
    const r = await cli('--json', 'remote', 'fess', '--url', fess.url, '--token-file', bad, 'list')
    expect(r.code).toBe(1)
    expect(r.json().error.code).toBe('AUTH')
    expect(r.stdout + r.stderr).not.toContain('BadTokenValue0123456789')
  })

  it('usage errors exit 2; --url without a credential is VALIDATION', async () => {
    expect((await cli('remote', 'fess', '--url', fess.url, 'list', '--page', 'x')).code).toBe(2)
    const r = await cli('--json', 'remote', 'fess', '--url', fess.url, 'list')
    expect(r.code).toBe(1)
    expect(r.json().error.code).toBe('VALIDATION')
  })

  it('datafor put (one field) and xdua verbs', async () => {
    const pw = writeSecretFile(dir, 'df-pw', df.admin.password)
    const dft = ['remote', 'datafor', '--url', df.url, '--user', 'admin', '--password-file', pw]
    const put = await cli('--json', ...dft, 'put', 'ERP1', '--expire', '120')
    expect(put.code, put.stderr).toBe(0)
    expect(put.json()).toMatchObject({ created: false, changed: ['expire'] })
    expect(df.state.configs.get('ERP1')).toMatchObject({
      expire: 120,
      self_service: '1',
      secret: 'secret-1-0123456789abcdef0123456789'
    })
    const jwt = writeSecretFile(dir, 'xjwt', x.token)
    const xt = ['remote', 'xdua', '--url', x.url, '--jwt-file', jwt]
    const add = await cli(
      '--json',
      ...xt,
      'add',
      ...[
        'typ=L',
        'aud=A',
        'sap=S',
        'jti=1',
        'ipm=*',
        'dvm=*',
        'tag=T',
        'api=*',
        'bug=*',
        'shop=S',
        'role=*',
        'rule=*'
      ].flatMap((f) => ['--field', f])
    )
    expect(add.code, add.stderr).toBe(0)
    const id = add.json().id
    expect((await cli('--json', ...xt, 'dis', id)).code).toBe(0)
    expect(x.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/token.disable/${id}` })
    expect(x.requests.at(-1)!.headers.authorization).toBe(x.token)
    const q = await cli('--json', ...xt, 'qri', '--where', '{"state":1}', '--limit', '5')
    expect(q.json().list.items.map((t: { id: string }) => t.id)).toContain(id)
  })
})

describe.skipIf(!keyring)('CLI: connections (keychain)', () => {
  let fess: FessEmulator
  let dir: string
  const cli = (...args: string[]) => runMain(['--data', join(dir, 'data'), ...args])
  beforeAll(async () => {
    fess = await startFessEmulator({ tokens: 3 })
    dir = mkdtempSync(join(tmpdir(), 'tokendesk-cli-conn-'))
  })
  afterAll(async () => {
    await cli('connections', 'remove', 'prod-fess')
    rmSync(dir, { recursive: true, force: true })
    await fess.close()
  })

  it('add, list, test, remote fess --conn, remove', async () => {
    const tokenFile = writeSecretFile(dir, 't', fess.adminToken)
    const add = await cli(
      '--json',
      'connections',
      'add',
      '--name',
      'prod-fess',
      '--kind',
      'fess',
      '--url',
      fess.url,
      '--token-file',
      tokenFile,
      '--timeout',
      '5000'
    )
    expect(add.code, add.stderr).toBe(0)
    expect(add.json()).toMatchObject({
      name: 'prod-fess',
      kind: 'fess',
      authMethod: 'token',
      hasCredential: true,
      timeoutMs: 5000
    })
    expect(add.stdout).not.toContain(fess.adminToken)
    const list = await cli('--json', 'connections', 'list')
    expect(list.json().map((c: { name: string }) => c.name)).toEqual(['prod-fess'])
    const test = await cli('--json', 'connections', 'test', 'prod-fess')
    expect(test.code, test.stderr).toBe(0)
    expect(test.json()).toMatchObject({ ok: true, kind: 'fess', serverVersion: '15.7' })
    const l = await cli('--json', 'remote', 'fess', '--conn', 'prod-fess', 'list')
    expect(l.json().items).toHaveLength(4)
    const dup = await cli(
      '--json',
      'connections',
      'add',
      '--name',
      'prod-fess',
      '--kind',
      'fess',
      '--url',
      fess.url,
      '--token-file',
      tokenFile
    )
    expect(dup.json().error.code).toBe('CONFLICT')
    const insecure = await cli(
      '--json',
      'connections',
      'add',
      '--name',
      'far',
      '--kind',
      'fess',
      '--url',
      'http://fess.example.com',
      '--token-file',
      tokenFile
    )
    expect(insecure.json().error.code).toBe('INSECURE_URL')
    const pull = await cli('--json', 'remote', 'pull', '--conn', 'prod-fess')
    expect(pull.code, pull.stderr).toBe(0)
    expect(pull.json()).toMatchObject({ kind: 'fess', pulled: 4, inserted: 4, removed: 0 })
    const diff = await cli('--json', 'remote', 'diff', '--conn', 'prod-fess')
    expect(diff.json().counts).toEqual({ same: 4, changed: 0, onlyLocal: 0, onlyRemote: 0 })
    const rm = await cli('--json', 'connections', 'remove', 'prod-fess')
    expect(rm.json()).toMatchObject({ name: 'prod-fess', removed: true })
    expect((await cli('--json', 'connections', 'test', 'prod-fess')).json().error.code).toBe('NOT_FOUND')
  })
})
