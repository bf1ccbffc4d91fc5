import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { startFessEmulator, secureToken, type FessEmulator } from '../emulators/fess'
import { makeCore, type TestCore } from '../helpers/core'
import { KeytarSecretStore } from '../../src/main/secrets'

// Two stores on one data folder and one keychain (two processes, as far as SQLite and the keychain can tell) pull the
// same Fess connection with --keep-secrets at once, while the server changes values, adds and removes tokens.
describe('concurrent pulls that keep secrets', () => {
  let fess: FessEmulator
  let a: TestCore
  let b: TestCore
  const keychain = new KeytarSecretStore(`TokenDesk-pull-race-${randomUUID()}`)
  beforeAll(async () => {
    fess = await startFessEmulator({ tokens: 12 })
    a = makeCore({ secrets: keychain })
    b = makeCore({ secrets: keychain, dataDir: a.dataDir })
    await a.call('connections:add', {
      name: 'f',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
  })
  afterAll(async () => {
    b.close()
    a.cleanup()
    for (const acc of await keychain.list().catch(() => [])) await keychain.delete(acc).catch(() => false)
    await fess.close()
  })

  const pull = async (core: TestCore) => {
    const { jobId } = await core.call('remote:pull', { conn: 'f', keepSecrets: true })
    const info = await core.deps.jobs.wait(jobId)
    expect(info.state, JSON.stringify(info.error)).toBe('done')
  }

  it('every pulled row reads back the server value and no keychain account is left unnamed', async () => {
    for (let round = 0; round < 8; round++) {
      // Server-side churn between rounds: a new value, a new token, a removed one.
      const items = [...fess.state.items.values()].filter((i) => i.name.startsWith('token-'))
      items[round % items.length].token = secureToken()
      if (round % 3 === 1) fess.state.items.delete(items[(round + 5) % items.length].id)
      if (round % 3 === 2) {
        const id = randomUUID()
        fess.state.items.set(id, { ...items[0], id, name: `token-new-${round}`, token: secureToken() })
      }
      fess.state.changed()
      await Promise.all([pull(a), pull(b)])

      const rows = a.db
        .prepare('SELECT remote_id, token_ref FROM access_tokens WHERE origin_connection_id IS NOT NULL')
        .all() as Array<{ remote_id: string; token_ref: string | null }>
      expect(rows).toHaveLength(fess.state.items.size)
      for (const r of rows) {
        expect(r.token_ref, `round ${round}`).not.toBeNull()
        expect(await keychain.get(r.token_ref!), `round ${round}`).toBe(fess.state.items.get(r.remote_id)!.token)
      }
      expect(
        (await keychain.list()).filter((acc) => acc.startsWith('access-token/')).sort(),
        `round ${round}: orphaned accounts`
      ).toEqual(rows.map((r) => r.token_ref).sort())
    }
  }, 120_000)
})
