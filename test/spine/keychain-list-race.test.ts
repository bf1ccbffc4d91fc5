import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { KeytarSecretStore } from '../../src/main/secrets'

const ROOT = join(__dirname, '..', '..')

// Another app (or a second TokenDesk process) adding and deleting items of the same service, as fast as it can.
const CHURN = `
const k = require('keytar')
const service = process.argv[1]
;(async () => {
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 20; i++) await k.setPassword(service, 'churn/' + i, 'x'.repeat(32))
    for (let i = 0; i < 20; i++) await k.deletePassword(service, 'churn/' + i)
  }
})().catch((e) => { console.error(e); process.exit(1) })
`

describe('keychain listing under churn from another process (real Secret Service)', () => {
  it('lists the accounts while items vanish under it: no crash, no false KEYCHAIN_UNAVAILABLE', async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('run through scripts/with-keyring.sh (no D-Bus session)')
    const service = `TokenDesk-race-${process.pid}`
    const store = new KeytarSecretStore(service)
    await store.set('kept', 'stays-put')
    try {
      const writer = spawn(process.execPath, ['-e', CHURN, service], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      writer.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const exited = new Promise<number | null>((done) => writer.on('exit', (code) => done(code)))
      let running = true
      void exited.then(() => (running = false))
      let lists = 0
      // Before the patch to keytar, an item deleted between the search and the read of its secret crashed this process
      // (strdup of NULL) or failed the whole listing.
      while (running) {
        const accounts = await store.list()
        expect(accounts).toContain('kept')
        expect(accounts.every((a) => a === 'kept' || a.startsWith('churn/'))).toBe(true)
        lists++
      }
      expect(await exited, stderr).toBe(0)
      expect(lists).toBeGreaterThan(5)
    } finally {
      await store.delete('kept')
      for (const a of await store.list()) await store.delete(a)
    }
  })
})
