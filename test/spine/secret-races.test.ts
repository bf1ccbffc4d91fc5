import { spawn } from 'node:child_process'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { keychainUnavailable, KeytarSecretStore, MemorySecretStore } from '../../src/main/secrets'
import type { AccessTokenRecord, Channel } from '../../src/shared/contract'
import type { Result } from '../../src/shared/errors'
import { BIN } from '../helpers/cli'
import { makeCore, type TestCore } from '../helpers/core'
import { roundsOf } from '../helpers/property'

// A stale writer must never touch the winner's secret: two updates carrying new secrets and the same expected version
// race; one wins, one gets CONFLICT, the record's secret is the winner's, and no keychain item is left behind. Three
// races each in `npm test`, 10 in `npm run test:property`.
const RUNS = roundsOf(3)

beforeAll(() => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS)
    throw new Error(
      'No D-Bus session: run these tests through `npm test` or `bash scripts/with-keyring.sh npx vitest run`'
    )
})

let core: TestCore | undefined
afterEach(async () => {
  if (core?.secrets instanceof KeytarSecretStore && core.secrets !== shared)
    for (const acc of await core.secrets.list().catch(() => [])) await core.secrets.delete(acc).catch(() => false)
  core?.cleanup()
  core = undefined
})

/**
 * The real keychain under a service of this test's own: a list (what the checks below read) then holds this test's
 * accounts only, not every account the other tests of the run left in the shared keyring.
 */
const ownKeychain = () => makeCore({ secrets: new KeytarSecretStore(`TokenDesk-secret-races-${randomUUID()}`) })
/** The service the CLI processes use (they cannot be given another). */
const shared = new KeytarSecretStore()

/** The one winner and the one loser of a race; the loser must have been refused with CONFLICT. */
function split<T>(results: Array<Result<unknown>>): { winner: number; value: T } {
  const won = results.map((r, i) => (r.ok ? i : -1)).filter((i) => i >= 0)
  expect(won, JSON.stringify(results)).toHaveLength(1)
  const lost = results.filter((r) => !r.ok)
  expect(lost.map((r) => (r.ok ? null : r.error.code))).toEqual(['CONFLICT'])
  const r = results[won[0]]
  return { winner: won[0], value: (r.ok ? r.value : null) as T }
}

/** Every account the keychain holds under `<kind>/<id>` (all processes share the private Secret Service). */
async function accountsOf(c: TestCore, kind: string, id: string): Promise<string[]> {
  return (await c.secrets.list())
    .filter((a) => a === `${kind}/${id}` || a.startsWith(`${kind}/${id}/`) || a.startsWith(`${kind}/${id}.`))
    .sort()
}

const refOf = (c: TestCore, table: string, col: string, id: string) =>
  (c.db.prepare(`SELECT ${col} AS ref FROM ${table} WHERE id = ?`).get(id) as { ref: string | null }).ref

const both = (c: TestCore, channel: Channel, inputs: unknown[]) =>
  Promise.all(inputs.map((i) => c.dispatch(channel, i)))

describe('concurrent secret updates through dispatch (real keychain)', () => {
  it('access tokens: two regenerates at one version leave the winner value revealable', async () => {
    const c = (core = ownKeychain())
    for (let i = 0; i < RUNS; i++) {
      const t = await c.call('accessTokens:add', { name: `race-${i}` })
      const before = (await c.call('accessTokens:reveal', { id: t.id })).token
      const { value } = split<AccessTokenRecord>(
        await both(
          c,
          'accessTokens:update',
          [0, 1].map(() => ({ id: t.id, version: 1, regenerate: true }))
        )
      )
      const now = (await c.call('accessTokens:reveal', { id: t.id })).token
      expect(now).not.toBe(before)
      expect(value.tokenMasked).toBe(`••••••••${now.slice(-4)}`)
      expect(await accountsOf(c, 'accessToken', t.id)).toEqual([refOf(c, 'access_tokens', 'token_ref', t.id)])
    }
  }, 120_000)

  it('SSO apps: two secret (and init password) updates at one version keep the winner secrets', async () => {
    const c = (core = ownKeychain())
    for (let i = 0; i < RUNS; i++) {
      const app = await c.call('ssoApps:add', {
        name: `race${i}`,
        secret: `first-${i}-0123456789abcdef0123456789abcdef`,
        initpwd: 'first-pw'
      })
      const secrets = ['a', 'b'].map((w) => `${w}-${randomBytes(16).toString('hex')}`)
      const { winner } = split(
        await both(
          c,
          'ssoApps:update',
          secrets.map((s) => ({ id: app.id, version: 1, secret: s, initpwd: `pw-${s}` }))
        )
      )
      expect(await c.call('ssoApps:reveal', { id: app.id })).toEqual({
        id: app.id,
        secret: secrets[winner],
        initpwd: `pw-${secrets[winner]}`
      })
      const refs = [refOf(c, 'sso_apps', 'secret_ref', app.id), refOf(c, 'sso_apps', 'initpwd_ref', app.id)].sort()
      expect(await accountsOf(c, 'ssoApp', app.id)).toEqual(refs)
    }
  }, 120_000)

  it('keys: two imports of one key pair keep the winner private key usable', async () => {
    const c = (core = ownKeychain())
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString()
    for (let i = 0; i < RUNS; i++) {
      const { value } = split<{ kid: string; name: string }>(
        await both(
          c,
          'keys:import',
          ['a', 'b'].map((w) => ({ name: `k${i}${w}`, source: { pem } }))
        )
      )
      const signed = await c.dispatch('jwt:sign', { alg: 'ES256', key: { keyName: value.name } })
      expect(signed.ok, JSON.stringify(signed)).toBe(true)
      const ref = (c.db.prepare('SELECT private_ref AS ref FROM keys WHERE kid = ?').get(value.kid) as { ref: string })
        .ref
      expect(await accountsOf(c, 'key', value.kid)).toEqual([ref])
      await c.call('keys:delete', { name: value.name })
      expect(await accountsOf(c, 'key', value.kid)).toEqual([])
    }
  }, 120_000)

  it('connections: two credential updates at one version keep the winner credential', async () => {
    const c = (core = ownKeychain())
    for (let i = 0; i < RUNS; i++) {
      const conn = await c.call('connections:add', {
        name: `race-${i}`,
        kind: 'fess',
        baseUrl: 'https://fess.example.com',
        authMethod: 'token',
        credential: 'first'
      })
      const creds = ['a', 'b'].map((w) => `${w}-${randomBytes(16).toString('hex')}`)
      const { winner } = split(
        await both(
          c,
          'connections:update',
          creds.map((credential) => ({ id: conn.id, version: 1, credential }))
        )
      )
      expect(await c.services.remote.connections.profile(conn.id).credential()).toBe(creds[winner])
      expect(await accountsOf(c, 'conn', conn.id)).toEqual([refOf(c, 'connections', 'credential_ref', conn.id)])
    }
  }, 120_000)
})

/** The built CLI, started without waiting, so two processes run side by side. */
function cliAsync(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.on('error', reject)
    p.on('close', (code) => resolve({ code: code ?? -1, stdout }))
  })
}

describe('concurrent secret updates from two CLI processes (real keychain)', () => {
  it('access tokens: `update --regenerate --if-version 1` twice at once; reveal gives the winner value', async () => {
    const c = (core = makeCore({ secrets: shared }))
    for (let i = 0; i < RUNS; i++) {
      const t = await c.call('accessTokens:add', { name: `cli-race-${i}` })
      const runs = await Promise.all(
        [0, 1].map(() =>
          cliAsync([
            '--data',
            c.dataDir,
            '--json',
            'access-tokens',
            'update',
            t.id,
            '--regenerate',
            '--if-version',
            '1'
          ])
        )
      )
      const results = runs.map((r) => {
        const body = JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null') as {
          error?: { code: string }
        } & AccessTokenRecord
        expect(r.code === 0).toBe(!body.error)
        return (body.error ? { ok: false, error: body.error } : { ok: true, value: body }) as Result<unknown>
      })
      const { value } = split<AccessTokenRecord>(results)
      const now = (await c.call('accessTokens:reveal', { id: t.id })).token
      expect(value.tokenMasked).toBe(`••••••••${now.slice(-4)}`)
      expect(await accountsOf(c, 'accessToken', t.id)).toEqual([refOf(c, 'access_tokens', 'token_ref', t.id)])
    }
  }, 600_000)
})

/** A keychain that answers reads and lists but cannot check or delete (a locked collection). */
class NoDeleteStore extends MemorySecretStore {
  async check() {
    throw keychainUnavailable()
  }
  async delete(): Promise<boolean> {
    throw keychainUnavailable()
  }
}

describe('connections:remove without a usable keychain', () => {
  it('fails KEYCHAIN_UNAVAILABLE and leaves the row and its credential', async () => {
    const secrets = new NoDeleteStore()
    const c = (core = makeCore({ secrets }))
    const conn = await c.call('connections:add', {
      name: 'keep',
      kind: 'fess',
      baseUrl: 'https://fess.example.com',
      authMethod: 'token',
      credential: 'still-here'
    })
    expect((await c.callError('connections:remove', { id: 'keep' })).code).toBe('KEYCHAIN_UNAVAILABLE')
    expect((await c.call('connections:get', { id: 'keep' })).id).toBe(conn.id)
    expect(await c.services.remote.connections.profile('keep').credential()).toBe('still-here')
  })

  it('fails KEYCHAIN_UNAVAILABLE when the keychain is unreachable altogether', async () => {
    const secrets = new MemorySecretStore()
    const c = (core = makeCore({ secrets }))
    await c.call('connections:add', {
      name: 'keep',
      kind: 'fess',
      baseUrl: 'https://fess.example.com',
      authMethod: 'token',
      credential: 'still-here'
    })
    secrets.unavailable = true
    expect((await c.callError('connections:remove', { id: 'keep' })).code).toBe('KEYCHAIN_UNAVAILABLE')
    secrets.unavailable = false
    expect(await c.services.remote.connections.profile('keep').credential()).toBe('still-here')
  })
})
