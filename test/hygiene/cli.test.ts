import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { makeCore } from '../helpers/core'
import { runMain } from '../helpers/cli'
import { QUIET_CLAIMS } from '../helpers/claims'

const DAY = 86400
const claims = QUIET_CLAIMS

describe('tokendesk inventory', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let dir: string
  beforeAll(async () => {
    fess = await startFessEmulator({ tokens: 2 })
    df = await startDataforEmulator({ configs: 1 })
    const core = makeCore({ keychain: true })
    dir = core.dataDir
    await core.call('connections:add', {
      name: 'f',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
    await core.call('connections:add', {
      name: 'd',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'basic',
      username: 'admin',
      credential: 'admin-pass'
    })
    await core.call('tokens:add', { name: 'due_soon', ...claims, expiresIn: 5 * DAY })
    await core.call('tokens:add', { name: 'forever', ...claims, ipm: '*', dvm: '*', role: '*' })
    core.close()
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await Promise.all([fess.close(), df.close()])
  })
  const run = (...args: string[]) => runMain(['--data', dir, ...args])

  it('--expiring-within exits 3 with the rows when it finds any, 0 when none', async () => {
    const found = await run('inventory', '--expiring-within', '14d', '--json')
    expect(found.code).toBe(3)
    const rows = JSON.parse(found.stdout)
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['due_soon'])
    expect(rows[0].findings).toEqual([{ rule: 'expires-soon', severity: 'warning' }])
    const none = await run('inventory', '--expiring-within', '1d')
    expect(none.code).toBe(0)
    expect(none.stderr).toContain('no tokens match')
  })

  it('filters and prints findings as text, CSV and JSON', async () => {
    const text = await run('inventory', '--findings', '--server', 'local')
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('forever')
    expect(text.stdout).toContain('xdua-open(high)')
    const csv = await run('inventory', '--never-expires', '--csv')
    expect(csv.stdout.split('\r\n')[0]).toBe('kind,server,name,id,remote_id,state,expires_at,pulled_at,findings')
    expect(csv.stdout).toContain('never-expires;xdua-open')
    const bad = await run('inventory', '--server', 'nowhere')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('error NOT_FOUND')
  })

  it('documents the exit code in its help', async () => {
    const help = await run('inventory', '--help')
    expect(help.stdout).toContain('3 when --expiring-within found any token')
  })

  it('refresh pulls every server and reports the failing one with its code', async () => {
    df.setFault({ kind: 'status', status: 502 })
    const r = await run('inventory', 'refresh')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/f\tfess\tok\tpulled 3/)
    expect(r.stdout).toMatch(/d\tdatafor\tFAILED\tSERVER/)
    expect(r.stderr).toContain('error SERVER: 1 of 2 connections failed to refresh')
    const pulled = await run('inventory', '--server', 'f', '--json')
    expect(JSON.parse(pulled.stdout)).toHaveLength(3)
  })
})
