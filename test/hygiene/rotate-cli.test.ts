import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import type { FessEmulator } from '../emulators/fess'
import type { DataforEmulator } from '../emulators/datafor'
import type { XduaEmulator } from '../emulators/xdua'
import { coreWithServers } from '../helpers/servers'
import { runMain } from '../helpers/cli'
import { CLAIMS } from '../helpers/claims'

const claims = CLAIMS

// The rotate and renew commands: one channel each; a stopped rotation prints what it has, exits 1, and --resume ends it.
describe('tokendesk rotate and renew commands', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let stop: (opts: { cleanup: boolean }) => Promise<void>
  let dir: string
  let fessOld: { id: string; token: string }
  let xOld: string
  let local: string[]
  beforeAll(async () => {
    const started = await coreWithServers({ fess: {}, datafor: { configs: 1 }, xdua: {}, core: { keychain: true } })
    ;({ fess, df, x, stop } = started)
    const core = started.core
    dir = core.dataDir
    const f = await core.call('remote:fessCreate', { conn: 'f', name: 'cli robot', permissions: ['{role}admin-api'] })
    fessOld = { id: f.item.id, token: f.token }
    xOld = (await core.call('remote:xdua', { conn: 'x', verb: 'ADD', fields: claims })).id!
    await core.call('remote:xdua', { conn: 'x', verb: 'PUB', id: xOld })
    local = []
    for (let i = 0; i < 3; i++) local.push((await core.call('tokens:add', { ...claims, name: `cli_local_${i}` })).id)
    core.close()
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await stop({ cleanup: false })
  })
  const run = (...args: string[]) => runMain(['--data', dir, ...args])

  it('remote fess rotate: a failed delete exits 1 with the new value and the step; --resume retires the old', async () => {
    fess.failOn({ method: 'DELETE', path: `/api/admin/accesstoken/setting/${fessOld.id}` })
    const r1 = await run('remote', 'fess', 'rotate', fessOld.id, '--conn', 'f', '--retire-old')
    expect(r1.code).toBe(1)
    expect(r1.stdout).toMatch(/^token: [A-Za-z0-9]{60}$/m)
    expect(r1.stdout).toMatch(/delete-old\s+FAILED \(SERVER/)
    expect(r1.stderr).toContain('--resume')
    expect(fess.state.items.has(fessOld.id)).toBe(true)
    const r2 = await run('--json', 'remote', 'fess', 'rotate', fessOld.id, '--conn', 'f', '--resume')
    expect(r2.code).toBe(0)
    expect(r2.json()).toMatchObject({ retired: true, resumeFrom: null })
    expect(r2.stdout).not.toContain('"token"')
    expect(fess.state.items.has(fessOld.id)).toBe(false)
  })

  it('remote xdua rotate and renew', async () => {
    const r = await run('--json', 'remote', 'xdua', 'rotate', xOld, '--conn', 'x', '--retire-old')
    expect(r.code).toBe(0)
    const v = r.json() as { newId: string; retired: boolean }
    expect(v.retired).toBe(true)
    expect(x.works(v.newId)).toBe(true)
    expect(x.works(xOld)).toBe(false)
    const n = await run('remote', 'xdua', 'renew', v.newId, '--conn', 'x', '--expires', '2031-05-01')
    expect(n.code).toBe(0)
    expect(n.stdout).toContain('-> 2031-05-01T00:00:00.000Z')
    expect(x.state.tokens.get(v.newId)!.expire).toBe(Date.parse('2031-05-01T00:00:00Z') / 1000)
  })

  it('remote datafor rotate-secret', async () => {
    const before = df.state.configs.get('ERP1')!.secret
    const r = await run('remote', 'datafor', 'rotate-secret', 'ERP1', '--conn', 'd')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/no longer log in/)
    expect(df.state.configs.get('ERP1')!.secret).not.toBe(before)
  })

  it('tokens rotate / renew, and inventory renew of several rows', async () => {
    const r = await run('--json', 'tokens', 'rotate', local[0], '--retire-old')
    expect(r.code).toBe(0)
    expect(r.json()).toMatchObject({ target: 'local', retired: true })
    const n = await run('tokens', 'renew', local[1], '--expires', '2030-01-01T00:00:00Z')
    expect(n.stdout).toContain(`${local[1]}: expiry never -> 2030-01-01T00:00:00.000Z`)
    const m = await run('inventory', 'renew', '--expires', 'never', local[1], local[2])
    expect(m.code, m.stderr + m.stdout).toBe(0)
    expect(m.stdout).toContain('renewed 2 of 2')
    const bad = await run('tokens', 'renew', local[1], '--expires', 'soon')
    expect(bad.code).toBe(2)
    // A row that fails: exit 1 with the one `error CODE:` line scripts read, the row listed on stdout.
    const some = await run('inventory', 'renew', '--expires', 'never', local[1], 'no_such_token')
    expect(some.code).toBe(1)
    expect(some.stdout).toContain('renewed 1 of 2')
    expect(some.stderr).toMatch(/^error NOT_FOUND: 1 of 2 not renewed$/m)
  })
})
