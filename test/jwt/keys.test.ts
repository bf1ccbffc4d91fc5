import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../src/main/secrets'
import { makeCore, type TestCore } from '../helpers/core'

const FIX = join(__dirname, 'fixtures')
/** The keychain account a key row points at (`key/<kid>/<random>`). */
const keyRef = (c: TestCore, kid: string) =>
  (c.db.prepare('SELECT private_ref FROM keys WHERE kid = ?').get(kid) as { private_ref: string }).private_ref
let core: TestCore
afterEach(() => core?.cleanup())

/** Every byte of the data folder (db, WAL): a secret must be in none of them. */
function storeBytes(c: TestCore): Buffer {
  return Buffer.concat(readdirSync(c.dataDir).map((f) => readFileSync(join(c.dataDir, f))))
}

/** A secret store that counts reads, to show keys are imported once and cached per kid. */
class CountingStore extends MemorySecretStore {
  gets = 0
  override async get(account: string) {
    this.gets++
    return super.get(account)
  }
}

describe('keys generate', () => {
  it.each([
    ['HS256', 'oct', undefined],
    ['HS512', 'oct', undefined],
    ['RS256', 'RSA', 2048],
    ['PS384', 'RSA', 3072],
    ['ES256', 'EC', 'P-256'],
    ['ES384', 'EC', 'P-384'],
    ['ES512', 'EC', 'P-521'],
    ['EdDSA', 'OKP', 'Ed25519']
  ] as const)(
    '%s: %s key, private part in the keychain (key/<kid>/<random>), usable for sign and verify',
    async (alg, kty, detail) => {
      core = makeCore()
      const k = await core.call('keys:generate', {
        name: `k-${alg}`,
        alg,
        ...(typeof detail === 'number' ? { modulusLength: detail as 3072 } : {})
      })
      expect(k).toMatchObject({ alg, kty, hasPrivate: true })
      if (typeof detail === 'number') expect(k.bits).toBe(detail)
      else if (detail) expect(k.crv).toBe(detail)
      const stored = await core.secrets.get(keyRef(core, k.kid))
      expect(stored).toBeTruthy()
      if (kty === 'oct') {
        expect(k.publicJwk).toBeNull()
        expect(Buffer.from(stored!, 'base64url').length).toBe(Number(alg.slice(2)) / 8)
      } else {
        expect(k.publicJwk).toMatchObject({ kty, kid: k.kid, alg, use: 'sig' })
        expect(k.publicJwk).not.toHaveProperty('d')
        expect(stored).toMatch(/BEGIN PRIVATE KEY/)
      }
      // The secret/private key never reaches SQLite.
      const body = kty === 'oct' ? stored! : stored!.split('\n').slice(1, 3).join('')
      expect(storeBytes(core).includes(body)).toBe(false)
      const t = await core.call('jwt:sign', { alg, key: { keyName: k.name }, sub: 'x' })
      expect(t.header.kid).toBe(k.kid)
      expect(
        (await core.call('jwt:verify', { token: t.token, algorithms: [alg], key: { keyName: k.kid } })).payload.sub
      ).toBe('x')
    }
  )
  it('refuses an HMAC secret shorter than the hash and a duplicate name', async () => {
    core = makeCore()
    expect((await core.callError('keys:generate', { name: 'h', alg: 'HS512', secretBytes: 32 })).code).toBe(
      'VALIDATION'
    )
    await core.call('keys:generate', { name: 'h', alg: 'HS256' })
    expect((await core.callError('keys:generate', { name: 'h', alg: 'HS256' })).code).toBe('CONFLICT')
  })
  it('an unreachable keychain writes nothing', async () => {
    const secrets = new MemorySecretStore()
    secrets.unavailable = true
    core = makeCore({ secrets })
    expect((await core.callError('keys:generate', { name: 'k', alg: 'ES256' })).code).toBe('KEYCHAIN_UNAVAILABLE')
    secrets.unavailable = false
    expect(await core.call('keys:list', {})).toEqual([])
    expect(secrets.items.size).toBe(0)
  })
})

describe('keys import', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' })

  it('PEM PKCS#8 private key: can sign; the public part is in the row', async () => {
    core = makeCore()
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const k = await core.call('keys:import', { name: 'r', alg: 'PS256', source: { pem } })
    expect(k).toMatchObject({ alg: 'PS256', kty: 'RSA', hasPrivate: true, bits: 2048 })
    const t = await core.call('jwt:sign', { alg: 'PS256', key: { keyName: 'r' } })
    const pub = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString()
    expect((await core.call('jwt:verify', { token: t.token, algorithms: ['PS256'], key: { pem: pub } })).valid).toBe(
      true
    )
    // The audit row says a PEM was imported, never any of it.
    const audit = await core.call('audit:list', { action: 'keys:import', limit: 5 })
    const text = JSON.stringify(audit)
    expect(text).not.toContain('BEGIN')
    for (const line of pem.split('\n').slice(1, -2)) expect(text).not.toContain(line.slice(0, 24))
    expect(audit.items[0].details).toMatchObject({ source: 'pem' })
  })
  it('PEM SPKI public key: verify only, no keychain item; alg defaults by key type', async () => {
    core = makeCore()
    const k = await core.call('keys:import', {
      name: 'e',
      source: { pem: ec.publicKey.export({ format: 'pem', type: 'spki' }).toString() }
    })
    expect(k).toMatchObject({ alg: 'ES384', hasPrivate: false, crv: 'P-384' })
    expect(await core.secrets.list()).toEqual([])
    expect((await core.callError('jwt:sign', { alg: 'ES384', key: { keyName: 'e' } })).code).toBe('JWT_KEY_TYPE')
  })
  it('an X.509 certificate: its public key verifies tokens of the matching private key', async () => {
    core = makeCore()
    const k = await core.call('keys:import', {
      name: 'cert',
      source: { pem: readFileSync(join(FIX, 'cert.pem'), 'utf8') }
    })
    expect(k).toMatchObject({ alg: 'ES256', kty: 'EC', crv: 'P-256', hasPrivate: false })
    const t = await core.call('jwt:sign', {
      alg: 'ES256',
      key: { pem: readFileSync(join(FIX, 'cert-key.pem'), 'utf8') }
    })
    expect(
      (await core.call('jwt:verify', { token: t.token, algorithms: ['ES256'], key: { keyName: 'cert' } })).valid
    ).toBe(true)
  })
  it('a JWK (private), and one key out of a JWKS by kid', async () => {
    core = makeCore()
    const jwk = { ...(ec.privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'a', alg: 'ES384' }
    const other = { ...(rsa.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'b' }
    const k1 = await core.call('keys:import', { name: 'j1', source: { jwk } })
    expect(k1).toMatchObject({ alg: 'ES384', hasPrivate: true })
    core.cleanup()
    core = makeCore()
    const k2 = await core.call('keys:import', { name: 'j2', source: { jwk: { keys: [jwk, other] }, kid: 'b' } })
    expect(k2).toMatchObject({ alg: 'RS256', kty: 'RSA', hasPrivate: false })
    expect(
      (await core.callError('keys:import', { name: 'j3', source: { jwk: { keys: [jwk, other] }, kid: 'zzz' } })).code
    ).toBe('NOT_FOUND')
    expect((await core.callError('keys:import', { name: 'j4', source: { jwk: { keys: [jwk, other] } } })).code).toBe(
      'VALIDATION'
    )
    // A JWK that says ES384 is not imported for another alg (RFC 7517 §4.4).
    expect((await core.callError('keys:import', { name: 'j5', alg: 'ES256', source: { jwk } })).code).toBe(
      'JWT_KEY_TYPE'
    )
  })
  it.each([
    ['utf8', 'my-shared-secret-of-32-bytes!!!!'],
    ['base64', Buffer.from('my-shared-secret-of-32-bytes!!!!').toString('base64')],
    ['base64url', Buffer.from('my-shared-secret-of-32-bytes!!!!').toString('base64url')],
    ['hex', Buffer.from('my-shared-secret-of-32-bytes!!!!').toString('hex')]
  ] as const)('a raw HMAC secret in %s: same key as the utf8 text', async (encoding, secret) => {
    core = makeCore()
    await core.call('keys:import', { name: 's', alg: 'HS256', source: { secret, encoding } })
    const t = await core.call('jwt:sign', { alg: 'HS256', key: { keyName: 's' } })
    const r = await core.call('jwt:verify', {
      token: t.token,
      algorithms: ['HS256'],
      key: { secret: 'my-shared-secret-of-32-bytes!!!!' }
    })
    expect(r.valid).toBe(true)
    expect(storeBytes(core).includes(Buffer.from(secret))).toBe(false)
  })
  it('a weak HMAC secret may be stored (Datafor uses "abcd") but needs the opt-in to be used', async () => {
    core = makeCore()
    await core.call('keys:import', { name: 'weak', source: { secret: 'abcd' } })
    expect((await core.callError('jwt:sign', { alg: 'HS256', key: { keyName: 'weak' } })).code).toBe('JWT_WEAK_KEY')
    expect(
      (await core.call('jwt:sign', { alg: 'HS256', key: { keyName: 'weak' }, allowWeakKey: true })).warnings
    ).toHaveLength(1)
  })
  it('a key is refused for an alg of another family', async () => {
    core = makeCore()
    await core.call('keys:generate', { name: 'ed', alg: 'EdDSA' })
    expect((await core.callError('jwt:sign', { alg: 'ES256', key: { keyName: 'ed' } })).code).toBe('JWT_KEY_TYPE')
  })
})

describe('keys export, list, delete, cache', () => {
  it('exports public JWK, PEM and a JWKS of all public keys; never a secret', async () => {
    core = makeCore()
    const a = await core.call('keys:generate', { name: 'a', alg: 'ES256' })
    const b = await core.call('keys:generate', { name: 'b', alg: 'RS256' })
    await core.call('keys:generate', { name: 'h', alg: 'HS256' })
    const jwk = await core.call('keys:export', { name: 'a', format: 'jwk' })
    expect(jwk).toMatchObject({ format: 'jwk', kid: a.kid, jwk: { kty: 'EC', crv: 'P-256', kid: a.kid } })
    expect(JSON.stringify(jwk)).not.toMatch(/"d"/)
    const pem = await core.call('keys:export', { name: 'b', format: 'pem' })
    expect(pem.format === 'pem' && pem.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
    const set = await core.call('keys:export', { format: 'jwks' })
    expect(set.format === 'jwks' && set.jwks.keys.map((k) => k.kid).sort()).toEqual([a.kid, b.kid].sort())
    expect((await core.callError('keys:export', { name: 'h', format: 'jwk' })).code).toBe('UNSUPPORTED')
    // The exported PEM verifies tokens of the stored key.
    const t = await core.call('jwt:sign', { alg: 'RS256', key: { keyName: 'b' } })
    expect(
      (
        await core.call('jwt:verify', {
          token: t.token,
          algorithms: ['RS256'],
          key: { pem: (pem as { pem: string }).pem }
        })
      ).valid
    ).toBe(true)
    expect(
      (
        await core.call('jwt:verify', {
          token: t.token,
          algorithms: ['RS256'],
          key: { jwk: (set as { jwks: Record<string, unknown> }).jwks, kid: b.kid }
        })
      ).valid
    ).toBe(true)
  })
  it('lists without secrets and deletes the row and its keychain item', async () => {
    core = makeCore()
    const k = await core.call('keys:generate', { name: 'x', alg: 'HS384' })
    const list = await core.call('keys:list', {})
    expect(list.map((i) => i.name)).toEqual(['x'])
    const ref = keyRef(core, k.kid)
    expect(JSON.stringify(list)).not.toContain((await core.secrets.get(ref))!)
    expect(await core.call('keys:delete', { name: 'x' })).toEqual({ kid: k.kid, name: 'x', deleted: true })
    expect(await core.secrets.get(ref)).toBeNull()
    expect(await core.call('keys:list', {})).toEqual([])
    expect((await core.callError('jwt:sign', { alg: 'HS384', key: { keyName: 'x' } })).code).toBe('NOT_FOUND')
  })
  it('imports a stored key once: later signs do not read the keychain again', async () => {
    const secrets = new CountingStore()
    core = makeCore({ secrets })
    await core.call('keys:generate', { name: 'c', alg: 'ES256' })
    for (let i = 0; i < 5; i++) await core.call('jwt:sign', { alg: 'ES256', key: { keyName: 'c' } })
    expect(secrets.gets).toBe(1)
    const a = await core.services.jwt.resolveKey({ keyName: 'c' }, 'sign')
    const b = await core.services.jwt.resolveKey({ keyName: 'c' }, 'sign')
    expect(a).toBe(b)
    const p1 = await core.services.jwt.resolveKey({ pem: readFileSync(join(FIX, 'cert-key.pem'), 'utf8') }, 'sign')
    const p2 = await core.services.jwt.resolveKey({ pem: readFileSync(join(FIX, 'cert-key.pem'), 'utf8') }, 'sign')
    expect(p1.signing).toBe(p2.signing)
  })
  it('a missing keychain item is SECRET_MISSING', async () => {
    core = makeCore()
    const k = await core.call('keys:generate', { name: 'm', alg: 'HS256' })
    await core.secrets.delete(keyRef(core, k.kid))
    expect((await core.callError('jwt:sign', { alg: 'HS256', key: { keyName: 'm' } })).code).toBe('SECRET_MISSING')
  })
})

// The real OS keychain (Secret Service) path; runs inside scripts/with-keyring.sh (a private session bus).
describe.runIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('keys in the real keychain', () => {
  it('generate, sign with, and delete a key through keytar', async () => {
    core = makeCore({ keychain: true })
    const k = await core.call('keys:generate', { name: `real-${Date.now()}`, alg: 'EdDSA' })
    const ref = keyRef(core, k.kid)
    expect(await core.secrets.get(ref)).toMatch(/PRIVATE KEY/)
    const t = await core.call('jwt:sign', { alg: 'EdDSA', key: { keyName: k.name } })
    expect(
      (await core.call('jwt:verify', { token: t.token, algorithms: ['EdDSA'], key: { keyName: k.name } })).valid
    ).toBe(true)
    await core.call('keys:delete', { name: k.name })
    expect(await core.secrets.get(ref)).toBeNull()
  })
})
