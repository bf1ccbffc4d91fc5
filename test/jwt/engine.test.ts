import { generateKeyPairSync } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { makeCore } from '../helpers/core'

// RFC 7515 Appendix A.1: HS256 example (header has a CRLF, so the bytes are exactly as published).
const A1_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const A1_JWK = {
  kty: 'oct',
  k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow'
}
const A1_EXP = 1300819380

const NOW = 1_700_000_000_000
const SECRET = 'k'.repeat(32)
const key = { secret: SECRET }
const core = makeCore({ now: () => NOW })
const a1core = makeCore({ now: () => (A1_EXP - 60) * 1000 })
afterAll(() => {
  core.cleanup()
  a1core.cleanup()
})

const b64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url')
/** Flips one character of a base64url segment to another valid base64url character. */
function flip(token: string, part: 0 | 1 | 2, at = 5): string {
  const parts = token.split('.')
  const s = parts[part]
  const c = s[at]
  parts[part] = s.slice(0, at) + (c === 'A' ? 'B' : 'A') + s.slice(at + 1)
  return parts.join('.')
}

async function sign(extra: Record<string, unknown> = {}) {
  return core.call('jwt:sign', { alg: 'HS256', key, ...extra } as never)
}
async function verifyErr(token: string, extra: Record<string, unknown> = {}) {
  return (await core.callError('jwt:verify', { token, algorithms: ['HS256'], key, ...extra })).code
}

describe('RFC 7515 Appendix A.1', () => {
  it('verifies with its published key', async () => {
    const r = await a1core.call('jwt:verify', { token: A1_TOKEN, algorithms: ['HS256'], key: { jwk: A1_JWK } })
    expect(r.valid).toBe(true)
    expect(r.payload).toEqual({ iss: 'joe', exp: A1_EXP, 'http://example.com/is_root': true })
  })
  it('the same key as a base64url secret verifies too', async () => {
    const r = await a1core.call('jwt:verify', {
      token: A1_TOKEN,
      algorithms: ['HS256'],
      key: { secret: A1_JWK.k, encoding: 'base64url' }
    })
    expect(r.valid).toBe(true)
  })
  /** Alters one byte of a segment's decoded bytes (inside a string value for JSON parts) and re-encodes it. */
  function alterByte(token: string, part: 0 | 1 | 2, find: string | null): string {
    const parts = token.split('.')
    const bytes = Buffer.from(parts[part], 'base64url')
    const at = find === null ? 3 : bytes.indexOf(find)
    expect(at).toBeGreaterThanOrEqual(0)
    bytes[at] ^= 0x01
    parts[part] = bytes.toString('base64url')
    return parts.join('.')
  }
  it.each([
    ['header', 0, 'JWT'],
    ['payload', 1, 'joe'],
    ['signature', 2, null]
  ] as const)('one altered byte in the %s fails with a signature error', async (_name, part, find) => {
    const bad = alterByte(A1_TOKEN, part, find)
    expect(bad).not.toBe(A1_TOKEN)
    const e = await a1core.callError('jwt:verify', { token: bad, algorithms: ['HS256'], key: { jwk: A1_JWK } })
    expect(e.code).toBe('JWT_SIGNATURE')
  })
  it('a one-character change that breaks the base64url or JSON is malformed instead', async () => {
    const e = await a1core.callError('jwt:verify', {
      token: flip(A1_TOKEN, 0, 10),
      algorithms: ['HS256'],
      key: { jwk: A1_JWK }
    })
    expect(e.code).toBe('JWT_MALFORMED')
  })
})

describe('sign', () => {
  it('adds iat and a jti, durations become exp/nbf, iss/sub/aud and extra header fields', async () => {
    const r = await sign({
      claims: { role: 'admin' },
      expiresIn: '1h',
      notBefore: '90s',
      iss: 'me',
      sub: 'u1',
      aud: ['a', 'b'],
      header: { kid: 'k1' }
    })
    const now = NOW / 1000
    expect(r.payload).toMatchObject({
      role: 'admin',
      iss: 'me',
      sub: 'u1',
      aud: ['a', 'b'],
      iat: now,
      nbf: now + 90,
      exp: now + 3600
    })
    expect(r.payload.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
    const [h, p] = r.token.split('.')
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual(r.header)
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual(r.payload)
  })
  it('keeps a given jti; each token otherwise gets its own', async () => {
    expect((await sign({ jti: 'abc' })).payload.jti).toBe('abc')
    const a = await sign()
    const b = await sign()
    expect(a.payload.jti).not.toBe(b.payload.jti)
  })
  it.each([
    ['15m', 900],
    ['7d', 604800],
    [45, 45]
  ] as const)('expiresIn %s = %i s', async (d, s) => {
    expect((await sign({ expiresIn: d })).payload.exp).toBe(NOW / 1000 + s)
  })
  it('refuses a malformed duration', async () => {
    expect((await core.callError('jwt:sign', { alg: 'HS256', key, expiresIn: '1 fortnight' })).code).toBe('VALIDATION')
  })
  it('refuses a weak HMAC key unless allowed, then warns', async () => {
    expect((await core.callError('jwt:sign', { alg: 'HS256', key: { secret: 'abcd' } })).code).toBe('JWT_WEAK_KEY')
    const r = await core.call('jwt:sign', { alg: 'HS256', key: { secret: 'abcd' }, allowWeakKey: true })
    expect(r.warnings.join()).toMatch(/RFC 7518 §3.2/)
    expect((await core.callError('jwt:sign', { alg: 'HS512', key: { secret: 'x'.repeat(63) } })).code).toBe(
      'JWT_WEAK_KEY'
    )
  })
  it('refuses to sign with a public key', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString()
    expect((await core.callError('jwt:sign', { alg: 'ES256', key: { pem } })).code).toBe('JWT_KEY_TYPE')
  })
  it('decodes secrets in every encoding to the same key', async () => {
    const bytes = Buffer.from('0123456789abcdef0123456789abcdef')
    const tokens = await Promise.all(
      (['utf8', 'base64', 'base64url', 'hex'] as const).map(async (encoding) =>
        core.call('jwt:sign', {
          alg: 'HS256',
          key: { secret: bytes.toString(encoding === 'utf8' ? 'utf8' : encoding), encoding },
          jti: 'j'
        })
      )
    )
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1)
    expect((await core.callError('jwt:sign', { alg: 'HS256', key: { secret: 'zz', encoding: 'hex' } })).code).toBe(
      'VALIDATION'
    )
  })
})

describe('verify refuses with distinct codes', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const rsaPubPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString()

  it('accepts a good token', async () => {
    const t = (await sign({ aud: 'app', iss: 'me', expiresIn: '1h' })).token
    const r = await core.call('jwt:verify', { token: t, algorithms: ['HS256'], key, audience: 'app', issuer: 'me' })
    expect(r).toMatchObject({ valid: true, header: { alg: 'HS256' }, payload: { aud: 'app', iss: 'me' } })
  })
  it('alg none (JWT_ALG_NONE), even when the caller allows everything', async () => {
    const t = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x' })}.`
    expect(await verifyErr(t, { algorithms: ['HS256', 'RS256', 'EdDSA'] })).toBe('JWT_ALG_NONE')
    expect(await verifyErr(`${b64({ alg: 'NONE' })}.${b64({})}.`)).toBe('JWT_ALG_NONE')
  })
  it('an alg outside the allowed list (JWT_ALG_NOT_ALLOWED)', async () => {
    const t = (await core.call('jwt:sign', { alg: 'HS384', key: { secret: 'k'.repeat(48) } })).token
    expect(await verifyErr(t, { algorithms: ['HS256'], key: { secret: 'k'.repeat(48) } })).toBe('JWT_ALG_NOT_ALLOWED')
  })
  it('HS256 signed with an RSA public key PEM as the secret (JWT_KEY_TYPE)', async () => {
    // The classic confusion attack: the attacker HMACs with the public PEM text; the verifier holds the RSA key.
    const { createHmac } = await import('node:crypto')
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'admin' })}`
    const forged = `${input}.${createHmac('sha256', rsaPubPem).update(input).digest('base64url')}`
    expect(await verifyErr(forged, { algorithms: ['RS256', 'HS256'], key: { pem: rsaPubPem } })).toBe('JWT_KEY_TYPE')
    // And the PEM pasted as an HMAC "secret" is refused as such.
    expect(await verifyErr(forged, { algorithms: ['HS256'], key: { secret: rsaPubPem } })).toBe('JWT_KEY_TYPE')
  })
  it('an EC key of the wrong curve (JWT_KEY_TYPE)', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const pem = p384.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    expect((await core.callError('jwt:sign', { alg: 'ES256', key: { pem } })).code).toBe('JWT_KEY_TYPE')
  })
  it('expired (JWT_EXPIRED) unless within the explicit clock tolerance', async () => {
    const t = (await sign({ expiresIn: -30 })).token
    expect(await verifyErr(t)).toBe('JWT_EXPIRED')
    expect(await verifyErr(t, { clockTolerance: '10s' })).toBe('JWT_EXPIRED')
    const ok = await core.call('jwt:verify', { token: t, algorithms: ['HS256'], key, clockTolerance: '1m' })
    expect(ok.valid).toBe(true)
  })
  it('exp equal to now is expired (RFC 7519 §4.1.4: "on or after")', async () => {
    expect(await verifyErr((await sign({ expiresIn: 0 })).token)).toBe('JWT_EXPIRED')
  })
  it('not yet valid (JWT_NOT_YET_VALID) unless within the tolerance', async () => {
    const t = (await sign({ notBefore: '5m' })).token
    expect(await verifyErr(t)).toBe('JWT_NOT_YET_VALID')
    expect((await core.call('jwt:verify', { token: t, algorithms: ['HS256'], key, clockTolerance: 300 })).valid).toBe(
      true
    )
  })
  it('wrong or missing aud (JWT_AUDIENCE)', async () => {
    expect(await verifyErr((await sign({ aud: 'a' })).token, { audience: 'b' })).toBe('JWT_AUDIENCE')
    expect(await verifyErr((await sign()).token, { audience: 'b' })).toBe('JWT_AUDIENCE')
    const multi = (await sign({ aud: ['a', 'b'] })).token
    expect(
      (await core.call('jwt:verify', { token: multi, algorithms: ['HS256'], key, audience: ['x', 'b'] })).valid
    ).toBe(true)
  })
  it('wrong or missing iss (JWT_ISSUER)', async () => {
    expect(await verifyErr((await sign({ iss: 'a' })).token, { issuer: 'b' })).toBe('JWT_ISSUER')
    expect(await verifyErr((await sign()).token, { issuer: 'b' })).toBe('JWT_ISSUER')
  })
  it('malformed: two parts, four parts, bad base64url, non-JSON header, non-object payload, header over 16 KiB', async () => {
    const good = (await sign()).token
    const [h, p, s] = good.split('.')
    expect(await verifyErr(`${h}.${p}`)).toBe('JWT_MALFORMED')
    expect(await verifyErr(`${good}.x`)).toBe('JWT_MALFORMED')
    expect(await verifyErr(`${h}.${p}.${s.slice(0, 5)}*${s.slice(6)}`)).toBe('JWT_MALFORMED')
    expect(await verifyErr(`${h}+.${p}.${s}`)).toBe('JWT_MALFORMED')
    expect(await verifyErr(`${b64('{"alg":"HS256"')}.${p}.${s}`)).toBe('JWT_MALFORMED')
    expect(await verifyErr(`${b64('"HS256"')}.${p}.${s}`)).toBe('JWT_MALFORMED')
    expect(await verifyErr(`${b64({ typ: 'JWT' })}.${p}.${s}`)).toBe('JWT_MALFORMED')
    const huge = `${b64({ alg: 'HS256', pad: 'x'.repeat(16 * 1024) })}.${p}.${s}`
    const e = await core.callError('jwt:verify', { token: huge, algorithms: ['HS256'], key })
    expect(e.code).toBe('JWT_MALFORMED')
    expect(e.message).toMatch(/16 KiB/)
    // A header just under the limit is parsed (and then fails on its signature, not its size).
    expect(await verifyErr(`${b64({ alg: 'HS256', pad: 'x'.repeat(16 * 1024 - 40) })}.${p}.${s}`)).toBe('JWT_SIGNATURE')
    // A payload that is not an object is malformed, after the signature checks out.
    const arr = await core.call('jwt:sign', { alg: 'HS256', key, claims: {} })
    expect(arr.token).toBeTruthy()
    const { createHmac } = await import('node:crypto')
    const input = `${h}.${b64('[1,2]')}`
    expect(await verifyErr(`${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`)).toBe(
      'JWT_MALFORMED'
    )
  })
  it('unknown crit header (JWT_CRIT)', async () => {
    const t = (await sign({ header: { crit: ['exp2'], exp2: 1 } })).token
    expect(await verifyErr(t)).toBe('JWT_CRIT')
    expect(await verifyErr((await sign({ header: { crit: ['alg'] } })).token)).toBe('JWT_CRIT')
    expect(await verifyErr((await sign({ header: { crit: 'x' } })).token)).toBe('JWT_CRIT')
  })
  it('a weak HMAC key verifies with a JWT_WEAK_KEY warning, opt-in or not; signing still needs the opt-in', async () => {
    const t = (await core.call('jwt:sign', { alg: 'HS256', key: { secret: 'abcd' }, allowWeakKey: true })).token
    for (const allowWeakKey of [undefined, true]) {
      const r = await core.call('jwt:verify', {
        token: t,
        algorithms: ['HS256'],
        key: { secret: 'abcd' },
        ...(allowWeakKey ? { allowWeakKey } : {})
      })
      expect(r.valid).toBe(true)
      expect(r.warnings).toEqual([{ code: 'JWT_WEAK_KEY', message: expect.stringContaining('RFC 7518 §3.2') }])
    }
    expect((await core.callError('jwt:sign', { alg: 'HS256', key: { secret: 'abcd' } })).code).toBe('JWT_WEAK_KEY')
  })
  it('a strong key verifies with no warnings (the field is always there)', async () => {
    expect(
      (await core.call('jwt:verify', { token: (await sign()).token, algorithms: ['HS256'], key })).warnings
    ).toEqual([])
  })
  it('a wrong secret (JWT_SIGNATURE)', async () => {
    expect(await verifyErr((await sign()).token, { key: { secret: 'z'.repeat(32) } })).toBe('JWT_SIGNATURE')
  })
  it('a non-numeric exp (JWT_CLAIM)', async () => {
    expect(await verifyErr((await sign({ claims: { exp: 'tomorrow' } })).token)).toBe('JWT_CLAIM')
  })
  it('the service API throws AppError with the same codes', async () => {
    await expect(core.services.jwt.verify('a.b', { algorithms: ['HS256'], key })).rejects.toMatchObject({
      code: 'JWT_MALFORMED'
    })
  })
})

describe('decode and explain', () => {
  it('decodes without verifying, and says so', async () => {
    const t = (await sign({ claims: { x: 1 } })).token
    const d = await core.call('jwt:decode', { token: t })
    expect(d.verified).toBe(false)
    expect(d.notice).toMatch(/WITHOUT verifying/)
    expect(d.payload.x).toBe(1)
    expect(d.signingInputBytes).toBe(t.lastIndexOf('.'))
  })
  it('a header field or claim named like an Object method (toString, constructor) is private, not registered', async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const token = `${part({ alg: 'HS256', valueOf: 1 })}.${part({ toString: 5, constructor: 'x', exp: 2 })}.c2ln`
    const e = await core.call('jwt:explain', { token })
    expect(e.headerFields.find((f) => f.name === 'valueOf')).toMatchObject({
      registered: false,
      meaning: 'private header parameter'
    })
    for (const name of ['toString', 'constructor'])
      expect(e.claims.find((c) => c.name === name)).toMatchObject({ registered: false, meaning: 'private claim' })
    expect(e.claims.find((c) => c.name === 'exp')).toMatchObject({ registered: true })
  })
  it('explains registered claims with ISO and relative times', async () => {
    const t = (await sign({ expiresIn: '3h', iss: 'me' })).token
    const e = await core.call('jwt:explain', { token: t })
    const exp = e.claims.find((c) => c.name === 'exp')!
    expect(exp.iso).toBe(new Date(NOW + 3 * 3600 * 1000).toISOString())
    expect(exp.relative).toBe('expires in 3 h')
    expect(e.claims.find((c) => c.name === 'iss')).toMatchObject({
      registered: true,
      meaning: expect.stringMatching(/issuer/)
    })
    expect(e.timing).toMatchObject({ expired: false, summary: 'expires in 3 h' })
    const old = (await sign({ expiresIn: -2 * 86400 })).token
    const e2 = await core.call('jwt:explain', { token: old })
    expect(e2.claims.find((c) => c.name === 'exp')!.relative).toBe('expired 2 days ago')
    expect(e2.timing.expired).toBe(true)
  })
  it('Datafor note names the login claim; xdua notes explain its claims', async () => {
    const t = (await sign({ claims: { loginname: 'admin', uid: 'u1', vtl: 100, ugrp: 'g' } })).token
    const e = await core.call('jwt:explain', { token: t, dataforFieldmap: { username: 'loginname' } })
    expect(e.notes.datafor[0]).toMatch(/log in the user "admin" \(claim "loginname"/)
    expect(e.notes.xdua.join('\n')).toMatch(/uid: user id/)
    expect(e.notes.xdua.join('\n')).toMatch(/vtl: remaining validity/)
    const missing = await core.call('jwt:explain', { token: t, dataforFieldmap: { username: 'user' } })
    expect(missing.notes.datafor[0]).toMatch(/LACKS/)
  })
})

describe('templates', () => {
  it('Datafor: exactly the claims Datafor reads, exp = now + expire, and the login URL', async () => {
    const r = await core.call('jwt:datafor', {
      algorithm: 'HS256',
      expire: 86400,
      fieldmap: { username: 'loginname', name: 'dname', email: 'mail' },
      tokenName: 'tk',
      key: { secret: 'abcd' },
      allowWeakKey: true,
      username: 'admin',
      name: 'Admin',
      baseUrl: 'http://host:28080/datafor/',
      loginPath: '/plugin/datafor/api/integrate/r1?__compact=true'
    })
    expect(r.payload).toEqual({ loginname: 'admin', dname: 'Admin', exp: NOW / 1000 + 86400 })
    expect(r.header).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(r.loginUrl).toBe(`http://host:28080/datafor/plugin/datafor/api/integrate/r1?__compact=true&tk=${r.token}`)
    const v = await core.call('jwt:verify', {
      token: r.token,
      algorithms: ['HS256'],
      key: { secret: 'abcd' },
      allowWeakKey: true
    })
    expect(v.payload).toEqual(r.payload)
    // Datafor's own example secret is weak: without the opt-in it is refused, with a clear code.
    const e = await core.callError('jwt:datafor', {
      algorithm: 'HS256',
      expire: 60,
      fieldmap: { username: 'u' },
      key: { secret: 'abcd' },
      username: 'x'
    })
    expect(e.code).toBe('JWT_WEAK_KEY')
  })
  it('Datafor exp is now + expire (±2 s) on the real clock', async () => {
    const real = makeCore()
    try {
      const r = await real.services.jwt.dataforToken({
        algorithm: 'HS256',
        expire: 600,
        fieldmap: { username: 'loginname' },
        tokenName: 'token',
        key,
        username: 'bob'
      })
      expect(Math.abs((r.payload.exp as number) - (Date.now() / 1000 + 600))).toBeLessThanOrEqual(2)
      expect(Object.keys(r.payload).sort()).toEqual(['exp', 'loginname'])
      expect(r.loginUrl).toBeNull()
    } finally {
      real.cleanup()
    }
  })
  it('xdua: the ADD fields as claims, jti <= 8 letters/digits', async () => {
    const r = await core.call('jwt:xdua', {
      alg: 'HS256',
      key,
      fields: {
        typ: 'L',
        aud: 'app1',
        sap: '*',
        ipm: '*',
        dvm: '*',
        tag: 't',
        api: '*',
        bug: '0',
        shop: 's',
        role: 'admin',
        rule: 'r'
      },
      expiresIn: '1d'
    })
    expect(r.payload).toMatchObject({
      typ: 'L',
      aud: 'app1',
      sap: '*',
      role: 'admin',
      rule: 'r',
      exp: NOW / 1000 + 86400
    })
    expect(r.payload.jti).toMatch(/^[A-Za-z0-9]{8}$/)
    expect((await core.callError('jwt:xdua', { alg: 'HS256', key, fields: { jti: 'too-long-jti' } })).code).toBe(
      'VALIDATION'
    )
  })
})

describe('fast paths give the same bytes as sign()', () => {
  it("the prepared sync signer and the bulk-mint line format produce sign()'s exact token", async () => {
    const svc = core.services.jwt
    const rk = await svc.resolveKey(key, 'sign')
    const claims = { a: 'ü', n: [1, { b: null }] }
    const viaSign = await svc.sign({ alg: 'HS256', key, claims, jti: 'fixed', iss: 'me' })
    expect(svc.signer('HS256', rk)({ claims, jti: 'fixed', iss: 'me' })).toBe(viaSign.token)
    const { mintLines } = await import('../../src/main/jwt/mint-format')
    const { b64url } = await import('../../src/main/jwt/codec')
    const base = { ...viaSign.payload }
    delete base.jti
    const line = JSON.parse(
      mintLines(
        {
          alg: 'HS256',
          key: rk.signing!,
          headerB64: b64url(JSON.stringify(viaSign.header)),
          baseJson: JSON.stringify(base),
          format: 'jsonl'
        },
        0,
        1
      )
    ) as { jti: string; token: string }
    const again = await svc.sign({ alg: 'HS256', key, claims: { ...base, jti: line.jti } })
    expect(line.token).toBe(again.token)
  })
  it("the prepared verifier gives verify()'s answers and codes", async () => {
    const svc = core.services.jwt
    const rk = await svc.resolveKey(key, 'verify')
    const t = (await sign({ aud: 'x' })).token
    expect(await svc.verifier({ algorithms: ['HS256'], audience: 'x' }, rk)(t)).toEqual(
      await svc.verify(t, { algorithms: ['HS256'], key, audience: 'x' })
    )
    await expect(svc.verifier({ algorithms: ['HS256'], audience: 'y' }, rk)(t)).rejects.toMatchObject({
      code: 'JWT_AUDIENCE'
    })
  })
})
