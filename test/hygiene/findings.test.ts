import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateKeyPairSync } from 'node:crypto'
import { makeCore, type TestCore } from '../helpers/core'
import type { FindingRuleId, InventoryRow } from '../../src/shared/contract'
import { RULES } from '../../src/main/hygiene/findings'
import { QUIET_CLAIMS } from '../helpers/claims'

// Each rule: one record that trips it and one that does not, through the channels a user would use.
const NOW = Date.parse('2026-06-01T00:00:00Z')
const DAY = 86400
const claims = QUIET_CLAIMS

describe('findings rules', () => {
  let core: TestCore
  beforeEach(() => {
    core = makeCore({ now: () => NOW })
  })
  afterEach(() => core.cleanup())

  const row = async (name: string): Promise<InventoryRow> => {
    let cursor: string | undefined
    do {
      const p = await core.call('inventory:list', { limit: 1000, cursor })
      const r = p.items.find((i) => i.name === name)
      if (r) return r
      cursor = p.nextCursor ?? undefined
    } while (cursor)
    throw new Error(`no inventory row ${name}`)
  }
  const rules = async (name: string): Promise<FindingRuleId[]> => (await row(name)).findings.map((f) => f.rule)
  const count = async (rule: FindingRuleId) => (await core.call('inventory:counts', {})).byRule[rule]

  it('has one entry per rule with a severity, a why and a fix', async () => {
    const listed = await core.call('inventory:findings', {})
    expect(listed.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.id).sort())
    for (const r of listed) expect(r.why.length * r.fix.length).toBeGreaterThan(0)
  })

  it('never-expires: a lifecycle token and a Fess token without expiry', async () => {
    await core.call('tokens:add', { name: 'forever', ...claims })
    await core.call('tokens:add', { name: 'dated', ...claims, expiresIn: 90 * DAY })
    await core.call('accessTokens:add', { name: 'fess-forever' })
    await core.call('accessTokens:add', { name: 'fess-dated', expires: '2027-01-01T00:00:00' })
    expect(await rules('forever')).toContain('never-expires')
    expect(await rules('fess-forever')).toContain('never-expires')
    expect(await rules('dated')).not.toContain('never-expires')
    expect(await rules('fess-dated')).not.toContain('never-expires')
    expect(await count('never-expires')).toBe(2)
  })

  it('expires-soon: inside the 14-day window, not outside it', async () => {
    await core.call('tokens:add', { name: 'soon', ...claims, expiresIn: 3 * DAY })
    await core.call('tokens:add', { name: 'later', ...claims, expiresIn: 30 * DAY })
    await core.call('accessTokens:add', { name: 'fess-soon', expires: '2026-06-10T00:00:00' })
    expect(await rules('soon')).toContain('expires-soon')
    expect(await rules('fess-soon')).toContain('expires-soon')
    expect(await rules('later')).not.toContain('expires-soon')
    expect(await count('expires-soon')).toBe(2)
  })

  it('expired-active: expired and still enabled, not once disabled', async () => {
    await core.call('tokens:add', { name: 'stale', ...claims, expire: NOW / 1000 - 5 * DAY })
    const off = await core.call('tokens:add', { name: 'staleoff', ...claims, expire: NOW / 1000 - 5 * DAY })
    expect(await rules('stale')).toContain('expired-active')
    expect(await rules('staleoff')).toContain('expired-active')
    expect(await count('expired-active')).toBe(2)
    await core.call('tokens:dis', { id: off.record.id, version: off.record.version })
    expect(await rules('staleoff')).not.toContain('expired-active')
    expect(await count('expired-active')).toBe(1)
  })

  it('fess-admin: a {role}admin* permission', async () => {
    await core.call('accessTokens:add', {
      name: 'admin',
      permissions: ['{user}bob', '{role}admin-api'],
      expires: '2027-01-01T00:00:00'
    })
    await core.call('accessTokens:add', {
      name: 'reader',
      permissions: ['{role}reader', '{user}admin'],
      expires: '2027-01-01T00:00:00'
    })
    expect(await rules('admin')).toContain('fess-admin')
    expect(await rules('reader')).not.toContain('fess-admin')
    expect(await count('fess-admin')).toBe(1)
  })

  it('fess-readback: a plain line Fess reads back as another', async () => {
    await core.call('accessTokens:add', { name: 'robert', permissions: ['Robert'], expires: '2027-01-01T00:00:00' })
    await core.call('accessTokens:add', {
      name: 'prefixed',
      permissions: ['{user}Robert', '(deny){role}x', 'alice'],
      expires: '2027-01-01T00:00:00'
    })
    expect(await rules('robert')).toContain('fess-readback')
    expect(await rules('prefixed')).not.toContain('fess-readback')
  })

  it('datafor-short-secret: an HS256 secret under 32 bytes, judged by its stored length', async () => {
    await core.call('ssoApps:add', { name: 'Weak', secret: 'qwqw', inituser: false })
    await core.call('ssoApps:add', { name: 'Strong', secret: 'x'.repeat(32), inituser: false })
    await core.call('ssoApps:add', { name: 'Wide', secret: 'x'.repeat(40), algorithm: 'HS384', inituser: false })
    expect(await rules('Weak')).toContain('datafor-short-secret')
    expect(await rules('Strong')).not.toContain('datafor-short-secret')
    expect(await rules('Wide')).toContain('datafor-short-secret')
    // The length is metadata; no secret value is in the store.
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM secret_lengths').all())
    expect(dump).not.toContain('qwqw')
  })

  it('datafor-admin-autocreate: inituser with an admin role', async () => {
    await core.call('ssoApps:add', { name: 'Auto', secret: 'x'.repeat(32), inituser: true, initroles: ['SYS_Admin'] })
    await core.call('ssoApps:add', {
      name: 'Reader',
      secret: 'x'.repeat(32),
      inituser: true,
      initroles: ['SYS_Reader']
    })
    await core.call('ssoApps:add', {
      name: 'NoInit',
      secret: 'x'.repeat(32),
      inituser: false,
      initroles: ['SYS_Admin']
    })
    expect(await rules('Auto')).toContain('datafor-admin-autocreate')
    expect(await rules('Reader')).not.toContain('datafor-admin-autocreate')
    expect(await rules('NoInit')).not.toContain('datafor-admin-autocreate')
  })

  it('xdua-open: ipm, dvm and role all *', async () => {
    await core.call('tokens:add', { name: 'open', ...claims, ipm: '*', dvm: '*', role: '*', expiresIn: 90 * DAY })
    await core.call('tokens:add', { name: 'half', ...claims, ipm: '*', dvm: '*', expiresIn: 90 * DAY })
    expect(await rules('open')).toContain('xdua-open')
    expect(await rules('half')).not.toContain('xdua-open')
  })

  it('weak-key: an HMAC secret under the hash size and an RSA key under 2048 bits', async () => {
    await core.call('keys:import', { name: 'short', source: { secret: 'abcd' } })
    await core.call('keys:generate', { name: 'good', alg: 'HS256' })
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    await core.call('keys:import', { name: 'rsa1024', alg: 'RS256', source: { pem: small } })
    await core.call('keys:generate', { name: 'rsa2048', alg: 'RS256' })
    expect(await rules('short')).toContain('weak-key')
    expect(await rules('rsa1024')).toContain('weak-key')
    expect(await rules('good')).not.toContain('weak-key')
    expect(await rules('rsa2048')).not.toContain('weak-key')
    expect(await count('weak-key')).toBe(2)
  })

  it('counts follow deletes and updates without a rescan', async () => {
    const t = await core.call('accessTokens:add', { name: 'a', permissions: ['{role}admin'] })
    expect(await count('fess-admin')).toBe(1)
    const u = await core.call('accessTokens:update', {
      id: t.id,
      version: t.version,
      permissions: ['{role}reader'],
      expires: '2027-01-01T00:00:00'
    })
    expect(await count('fess-admin')).toBe(0)
    expect(await count('never-expires')).toBe(0)
    await core.call('accessTokens:delete', { id: t.id, version: u.version })
    expect(core.db.prepare('SELECT count(*) AS n FROM token_findings').get()).toEqual({ n: 0 })
  })
})
