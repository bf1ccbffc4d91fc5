import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { SEED_CLAIMS } from '../helpers/claims'

// Runs against the real keychain (scripts/with-keyring.sh: a private Secret Service), as the app does.
const core: TestCore = makeCore({ keychain: true })
afterAll(() => core.cleanup())

const ADD = SEED_CLAIMS

describe('no secret of any record in the database, WAL, audit or export', () => {
  it('scans every byte for token values, SSO secrets, initpwd, key secrets and minted JWTs', async () => {
    const keySecret = `key-secret-${'k'.repeat(40)}-end`
    await core.call('keys:import', { name: 'scan-key', alg: 'HS256', source: { secret: keySecret } })
    let t = (await core.call('tokens:add', { ...ADD, name: 'scan_token', keyName: 'scan-key' })).record
    t = (await core.call('tokens:pub', { id: t.id, version: t.version })).record
    const minted = (await core.call('tokens:mint', { id: t.id })).token
    expect((await core.call('tokens:check', { token: minted })).valid).toBe(true)

    const at = await core.call('accessTokens:add', { name: 'scan-access', permissions: ['{role}admin-api'] })
    const atValue = (await core.call('accessTokens:reveal', { id: at.id })).token
    const at2 = await core.call('accessTokens:update', { id: at.id, version: at.version, regenerate: true })
    const atValue2 = (await core.call('accessTokens:reveal', { id: at2.id })).token

    const ssoSecret = `sso-secret-${'s'.repeat(40)}-end`
    const initpwd = 'Init-Pwd-Scan-42'
    const sso = await core.call('ssoApps:add', {
      name: 'ScanApp',
      secret: ssoSecret,
      initpwd,
      fieldmap: { username: 'loginname' }
    })
    await core.call('ssoApps:update', { id: sso.id, version: 1, secret: `${ssoSecret}-2` })
    const ssoToken = (await core.call('ssoApps:mint', { name: 'ScanApp', username: 'scan-user' })).token
    expect((await core.call('ssoApps:reveal', { name: 'ScanApp' })).secret).toBe(`${ssoSecret}-2`)

    const file = join(core.dataDir, 'scan-export.jsonl')
    const { jobId } = await core.call('tokens:export', { file })
    expect((await core.deps.jobs.wait(jobId)).state).toBe('done')

    const secrets = [keySecret, atValue, atValue2, ssoSecret, `${ssoSecret}-2`, initpwd, minted, ssoToken]
    const needles = secrets.flatMap((s) => [
      s,
      Buffer.from(s).toString('base64url'),
      Buffer.from(s).toString('base64'),
      Buffer.from(s).toString('hex')
    ])
    const files = ['tokendesk.db', 'tokendesk.db-wal'].map((f) => join(core.dataDir, f)).filter(existsSync)
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true) // scanned before any checkpoint folds the WAL away
    files.push(file)
    for (const f of files) {
      const bytes = readFileSync(f)
      expect(bytes.length).toBeGreaterThan(0)
      for (const n of needles) expect(bytes.includes(Buffer.from(n)), `${n.slice(0, 12)}… in ${f}`).toBe(false)
    }
    // And the things that must be there are there (the scan reads real data).
    expect(readFileSync(file, 'utf8')).toContain('scan_token')
    expect(readFileSync(join(core.dataDir, 'tokendesk.db-wal')).includes(Buffer.from('ScanApp'))).toBe(true)
  })
})
