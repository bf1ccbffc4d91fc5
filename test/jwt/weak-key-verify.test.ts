import { afterAll, describe, expect, it } from 'vitest'
import { makeCore } from '../helpers/core'
import { SEED_CLAIMS } from '../helpers/claims'

// jwt.io's own example: HS256 signed with the 19-byte secret "your-256-bit-secret", shorter than SHA-256's 32 bytes.
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
const JWT_IO_SECRET = 'your-256-bit-secret'

const core = makeCore()
afterAll(() => core.cleanup())

const weakWarning = [
  { code: 'JWT_WEAK_KEY', message: expect.stringMatching(/19 bytes; RFC 7518 §3\.2 requires at least 32 bytes/) }
]

// Verifying with a weak HMAC key succeeds with a visible warning; signing with one keeps its explicit opt-in.
describe('verify with a weak HMAC key', () => {
  it("jwt.io's example token verifies with its secret and a JWT_WEAK_KEY warning", async () => {
    const r = await core.call('jwt:verify', { token: JWT_IO, algorithms: ['HS256'], key: { secret: JWT_IO_SECRET } })
    expect(r).toEqual({
      valid: true,
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: '1234567890', name: 'John Doe', iat: 1516239022 },
      warnings: weakWarning
    })
  })

  it('a wrong secret still fails (JWT_SIGNATURE), weak or not', async () => {
    expect(
      (
        await core.callError('jwt:verify', {
          token: JWT_IO,
          algorithms: ['HS256'],
          key: { secret: 'your-256-bit-secreT' }
        })
      ).code
    ).toBe('JWT_SIGNATURE')
    expect(
      (await core.callError('jwt:verify', { token: JWT_IO, algorithms: ['HS256'], key: { secret: 'x'.repeat(32) } }))
        .code
    ).toBe('JWT_SIGNATURE')
  })

  it('a stored weak key verifies with the warning; the prepared verifier says the same', async () => {
    await core.call('keys:import', { name: 'jwtio', source: { secret: JWT_IO_SECRET } })
    expect(
      (await core.call('jwt:verify', { token: JWT_IO, algorithms: ['HS256'], key: { keyName: 'jwtio' } })).warnings
    ).toEqual(weakWarning)
    const svc = core.services.jwt
    const rk = await svc.resolveKey({ secret: JWT_IO_SECRET }, 'verify')
    expect((await svc.verifier({ algorithms: ['HS256'] }, rk)(JWT_IO)).warnings).toEqual(weakWarning)
  })

  it('signing with the same key is still refused without the opt-in', async () => {
    expect((await core.callError('jwt:sign', { alg: 'HS256', key: { secret: JWT_IO_SECRET } })).code).toBe(
      'JWT_WEAK_KEY'
    )
    expect(
      (await core.call('jwt:sign', { alg: 'HS256', key: { secret: JWT_IO_SECRET }, allowWeakKey: true })).warnings
    ).toHaveLength(1)
  })

  it('tokens check verifies a token of a weak-keyed record and carries the warning', async () => {
    const ADD = SEED_CLAIMS
    await core.call('keys:import', { name: 'weak-store', source: { secret: 'abcd' } })
    let r = (await core.call('tokens:add', { ...ADD, keyName: 'weak-store' })).record
    r = (await core.call('tokens:pub', { id: r.id, version: r.version })).record
    const { token } = await core.call('jwt:sign', {
      alg: 'HS256',
      key: { keyName: 'weak-store' },
      claims: { tid: r.id },
      allowWeakKey: true
    })
    const check = await core.call('tokens:check', { token })
    expect(check).toMatchObject({ valid: true, failed: null, id: r.id })
    expect(check.checks.find((c) => c.name === 'signature')?.ok).toBe(true)
    expect(check.warnings).toEqual([{ code: 'JWT_WEAK_KEY', message: expect.stringContaining('RFC 7518 §3.2') }])
    expect((await core.call('tokens:check', { token: 'not.a.jwt' })).warnings).toEqual([])
  })
})
