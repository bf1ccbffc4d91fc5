import { generateKeyPairSync, randomBytes } from 'node:crypto'
import jsonwebtoken from 'jsonwebtoken'
import { afterAll, describe, expect, it } from 'vitest'
import type { JwtAlgorithmName } from '../../src/shared/contract'
import { JWT_ALGORITHMS } from '../../src/shared/contract/algorithms'
import { makeCore } from '../helpers/core'

// Interop: tokens from jsonwebtoken verify in the engine, and engine tokens verify in jsonwebtoken.
const core = makeCore()
afterAll(() => core.cleanup())

type JwtAlg = jsonwebtoken.Algorithm & JwtAlgorithmName
// Every algorithm the app signs with that jsonwebtoken also knows (it has no EdDSA).
const ALGS = JWT_ALGORITHMS.filter((a): a is JwtAlg => a !== 'EdDSA')

function material(alg: string) {
  if (alg.startsWith('HS')) {
    const secret = randomBytes(64).toString('base64')
    return {
      signKey: Buffer.from(secret, 'base64'),
      verifyKey: Buffer.from(secret, 'base64'),
      signSrc: { secret, encoding: 'base64' as const },
      verifySrc: { secret, encoding: 'base64' as const }
    }
  }
  const pair = alg.startsWith('ES')
    ? generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg]! })
    : generateKeyPairSync('rsa', { modulusLength: 2048 })
  const priv = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const pub = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString()
  return { signKey: priv, verifyKey: pub, signSrc: { pem: priv }, verifySrc: { pem: pub } }
}

describe.each(ALGS)('jsonwebtoken interop, %s', (alg) => {
  const m = material(alg)
  it('a jsonwebtoken token verifies in the engine (claims, aud, iss)', async () => {
    const token = jsonwebtoken.sign({ user: 'bob', n: 1, list: ['a', 'ü'] }, m.signKey, {
      algorithm: alg,
      expiresIn: '1h',
      audience: 'app',
      issuer: 'me',
      jwtid: 'j1'
    })
    const r = await core.call('jwt:verify', {
      token,
      algorithms: [alg],
      key: m.verifySrc,
      audience: 'app',
      issuer: 'me'
    })
    expect(r.payload).toMatchObject({ user: 'bob', n: 1, list: ['a', 'ü'], aud: 'app', iss: 'me', jti: 'j1' })
  })
  it('an engine token verifies in jsonwebtoken', async () => {
    const r = await core.call('jwt:sign', {
      alg,
      key: m.signSrc,
      claims: { user: 'bob' },
      expiresIn: '1h',
      aud: 'app',
      iss: 'me'
    })
    const p = jsonwebtoken.verify(r.token, m.verifyKey, { algorithms: [alg], audience: 'app', issuer: 'me' }) as Record<
      string,
      unknown
    >
    expect(p).toEqual(r.payload)
  })
  it('an expired jsonwebtoken token is JWT_EXPIRED in the engine', async () => {
    const token = jsonwebtoken.sign({ exp: Math.floor(Date.now() / 1000) - 60 }, m.signKey, { algorithm: alg })
    expect((await core.callError('jwt:verify', { token, algorithms: [alg], key: m.verifySrc })).code).toBe(
      'JWT_EXPIRED'
    )
  })
})
