import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { runCli } from '../helpers/cli'

// These tests need a real Secret Service. `npm test` runs them inside scripts/with-keyring.sh (a private D-Bus
// session with gnome-keyring over a throwaway folder). Missing it is a failure with a clear message, never a skip.
beforeAll(() => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS)
    throw new Error(
      'No D-Bus session: run these tests through `npm test` or `bash scripts/with-keyring.sh npx vitest run`'
    )
})

let core: TestCore | undefined
afterEach(() => {
  core?.cleanup()
  core = undefined
})

/** Reads a keychain item from another process, through the Secret Service, as any other app would. */
function readFromOtherProcess(account: string): string {
  const script = `require('keytar').getPassword('TokenDesk', process.argv[1]).then((v) => process.stdout.write(v ?? '<none>'))`
  return execFileSync(process.execPath, ['-e', script, account], { encoding: 'utf8', cwd: join(__dirname, '..', '..') })
}

function encodings(secret: string): string[] {
  const b = Buffer.from(secret)
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex')]
}

function filesOf(dir: string): string[] {
  return readdirSync(dir).map((f) => join(dir, f))
}

describe('OS keychain (real Secret Service)', () => {
  it('keeps a secret stored through dispatch in the Secret Service, readable by a separate process, and nowhere on disk', async () => {
    core = makeCore({ keychain: true })
    const secret = `spine-${randomBytes(24).toString('hex')}`
    const key = await core.call('keys:import', { name: 'spine-hmac', source: { secret } })
    expect(key.hasPrivate).toBe(true)
    expect(JSON.stringify(key)).not.toContain(secret)

    // Another process sees it in the Secret Service under service "TokenDesk", account key/<kid>/<random>.
    const ref = (core.db.prepare('SELECT private_ref FROM keys WHERE kid = ?').get(key.kid) as { private_ref: string })
      .private_ref
    expect(ref.startsWith(`key/${key.kid}/`)).toBe(true)
    const stored = readFromOtherProcess(ref)
    expect(Buffer.from(stored, 'base64url').toString()).toBe(secret)

    // Its bytes (in any of the usual encodings) appear in no file of the data folder: not the database, not the WAL.
    const files = filesOf(core.dataDir)
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true)
    for (const f of files) {
      const bytes = readFileSync(f)
      for (const e of [...encodings(secret), stored])
        expect(bytes.includes(Buffer.from(e)), `${f} holds the secret`).toBe(false)
    }
    // Nor in the audit rows.
    const audit = JSON.stringify(core.db.prepare('SELECT * FROM audit').all())
    expect(audit).toContain('keys:import')
    for (const e of [...encodings(secret), stored]) expect(audit).not.toContain(e)

    await core.call('keys:delete', { name: 'spine-hmac' })
    expect(readFromOtherProcess(ref)).toBe('<none>')
  })

  it('reports the keychain as reachable in system:status', async () => {
    core = makeCore({ keychain: true })
    const s = await core.call('system:status', {})
    expect(s.keychain).toEqual({ available: true, backend: 'keytar' })
  })
})

describe('OS keychain unreachable', () => {
  // A bus address that leads nowhere: keytar (libsecret) cannot reach any Secret Service.
  const env = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tokendesk-bus',
    SECRET: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD'
  }

  it('fails a secret-needing call with KEYCHAIN_UNAVAILABLE, says how to fix it, and writes nothing', () => {
    const data = tempDir()
    const r = runCli(['--data', data, '--json', 'keys', 'import', '--name', 'nokeychain', '--secret-env', 'SECRET'], {
      env
    })
    expect(r.code).toBe(1)
    expect(r.json().error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(r.stderr).toMatch(/^error KEYCHAIN_UNAVAILABLE: .*Secret Service/m)
    expect(r.stderr).toMatch(/gnome-keyring|KWallet/)
    // No key row, no plaintext fallback file: the data folder holds only the SQLite files.
    const list = runCli(['--data', data, '--json', 'keys', 'list'], { env })
    expect(list.code).toBe(0)
    expect(list.json()).toEqual([])
    for (const f of filesOf(data)) {
      expect(f).toMatch(/tokendesk\.db(-wal|-shm)?$/)
      expect(readFileSync(f).includes(Buffer.from(env.SECRET))).toBe(false)
    }
    const status = runCli(['--data', data, '--json', 'status'], { env })
    expect(status.json().keychain.available).toBe(false)
    expect(existsSync(join(data, 'tokendesk.db'))).toBe(true)
  })
})
