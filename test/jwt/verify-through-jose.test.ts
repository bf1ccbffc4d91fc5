import { afterAll, describe, expect, it, vi } from 'vitest'
import { makeCore } from '../helpers/core'
import { SEED_CLAIMS } from '../helpers/claims'

// Every verification path ends in jose's jwtVerify (the reference implementation), not a hand-written JWS check.
const calls = vi.hoisted(() => ({ n: 0 }))
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>()
  return {
    ...jose,
    jwtVerify: (...args: Parameters<typeof jose.jwtVerify>) => {
      calls.n += 1
      return jose.jwtVerify(...args)
    }
  }
})

const core = makeCore()
afterAll(() => core.cleanup())
const key = { secret: 'k'.repeat(32) }

describe('verification runs through jose', () => {
  it('jwt:verify, the prepared verifier and tokens check each call jwtVerify once per token', async () => {
    const { token } = await core.call('jwt:sign', { alg: 'HS256', key, aud: 'a' })
    calls.n = 0
    await core.call('jwt:verify', { token, algorithms: ['HS256'], key, audience: 'a' })
    expect(calls.n).toBe(1)
    const svc = core.services.jwt
    const verify = svc.verifier({ algorithms: ['HS256'] }, await svc.resolveKey(key, 'verify'))
    await verify(token)
    await verify(token)
    expect(calls.n).toBe(3)
    // A wrong signature is refused by jose too, with the engine's code.
    const bad = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    expect((await core.callError('jwt:verify', { token: bad, algorithms: ['HS256'], key })).code).toBe('JWT_SIGNATURE')
    expect(calls.n).toBe(4)

    await core.call('keys:import', { name: 'hs', source: key })
    const ADD = SEED_CLAIMS
    const r = (await core.call('tokens:add', { ...ADD, keyName: 'hs' })).record
    const minted = await core.call('tokens:mint', { id: r.id })
    calls.n = 0
    expect(
      (await core.call('tokens:check', { token: minted.token })).checks.find((c) => c.name === 'signature')?.ok
    ).toBe(true)
    expect(calls.n).toBe(1)
  })

  it('policy refusals happen before jose is asked (none, allow-list, header size)', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    calls.n = 0
    expect(
      (await core.callError('jwt:verify', { token: `${b64({ alg: 'none' })}.${b64({})}.`, algorithms: ['HS256'], key }))
        .code
    ).toBe('JWT_ALG_NONE')
    expect(
      (
        await core.callError('jwt:verify', {
          token: `${b64({ alg: 'HS384' })}.${b64({})}.c2ln`,
          algorithms: ['HS256'],
          key
        })
      ).code
    ).toBe('JWT_ALG_NOT_ALLOWED')
    const huge = `${b64({ alg: 'HS256', pad: 'x'.repeat(16 * 1024) })}.${b64({})}.c2ln`
    expect((await core.callError('jwt:verify', { token: huge, algorithms: ['HS256'], key })).code).toBe('JWT_MALFORMED')
    expect(calls.n).toBe(0)
  })
})
