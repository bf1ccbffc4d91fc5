import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import { expect } from 'vitest'
import { makeCore } from '../helpers/core'
import { PROPERTY_RUNS } from '../helpers/property'
import { mulberry32 } from '../../src/shared/prng'

/**
 * The property test that licenses the synchronous node:crypto fast path: for each algorithm, PROPERTY_RUNS random
 * claim sets (10,000 in `npm run test:property`); every engine token verifies under jose and every jose token under the engine; for the
 * deterministic algorithms (HS*, RS*, EdDSA) the engine's token is byte-identical to jose's for the same header and
 * claims.
 */
export const RUNS = PROPERTY_RUNS

const ALPHABET = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0000',
  '\u007f',
  'é',
  'ß',
  '中',
  '文',
  '😀',
  '\u2028',
  '<',
  '&',
  '\ud800'
]

export function randomClaims(r: () => number, now: number): Record<string, unknown> {
  const int = (n: number) => Math.floor(r() * n)
  const str = (max = 24) => Array.from({ length: int(max) }, () => ALPHABET[int(ALPHABET.length)]).join('')
  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 5 : 7)) {
      case 0:
        return str()
      case 1:
        return int(2 ** 31) - 2 ** 30
      case 2:
        return (r() - 0.5) * 10 ** int(12)
      case 3:
        return r() < 0.5
      case 4:
        return null
      case 5:
        return Array.from({ length: int(4) }, () => value(depth + 1))
      default:
        return Object.fromEntries(Array.from({ length: int(4) }, () => [str(8) || 'k', value(depth + 1)]))
    }
  }
  const claims: Record<string, unknown> = {}
  for (let i = int(8); i > 0; i--) claims[str(12) || `c${i}`] = value(0)
  // Registered claims with their RFC 7519 types, so jose's own claim validation accepts the set.
  if (r() < 0.5) claims.iss = str()
  if (r() < 0.5) claims.sub = str()
  if (r() < 0.3) claims.aud = r() < 0.5 ? str() : [str(), str()]
  if (r() < 0.5) claims.exp = now + 1 + int(10 ** 8)
  if (r() < 0.3) claims.nbf = now - int(10 ** 6)
  // Let the engine add iat and jti itself when absent: those are part of what is compared.
  if (r() < 0.2) claims.iat = now - int(1000)
  return claims
}

export function keysFor(alg: string): { sign: KeyObject; verify: KeyObject; pem?: string; secret?: string } {
  if (alg.startsWith('HS')) {
    const secret = randomBytes(Number(alg.slice(2)) / 8).toString('hex')
    const k = { secret, sign: undefined as never, verify: undefined as never }
    return k
  }
  const pair =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg]! })
        : generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    sign: pair.privateKey,
    verify: pair.publicKey,
    pem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  }
}

export async function checkEquivalence(alg: string, runs = RUNS, seed = 20260703): Promise<void> {
  const now = Math.floor(Date.now() / 1000)
  const core = makeCore({ now: () => now * 1000 })
  try {
    const svc = core.services.jwt
    const k = keysFor(alg)
    const source = k.secret ? { secret: k.secret, encoding: 'hex' as const } : { pem: k.pem! }
    const joseSign = k.secret ? Buffer.from(k.secret, 'hex') : k.sign
    const joseVerify = k.secret ? Buffer.from(k.secret, 'hex') : k.verify
    const deterministic = /^(HS|RS)|EdDSA/.test(alg)
    const r = mulberry32(seed + alg.length * 7919 + alg.charCodeAt(1) * 104729 + Number(alg.slice(2) || 0))
    let identical = 0
    for (let i = 0; i < runs; i++) {
      const claims = randomClaims(r, now)
      const mine = await svc.sign({ alg, key: source, claims })
      // Engine -> jose.
      const a = await jwtVerify(mine.token, joseVerify, { algorithms: [alg], currentDate: new Date(now * 1000) })
      expect(a.payload, `seed run ${i}`).toEqual(mine.payload)
      // jose -> engine, over the same header and claim set.
      const theirs = await new SignJWT(mine.payload).setProtectedHeader(mine.header as { alg: string }).sign(joseSign)
      const b = await svc.verify(theirs, { algorithms: [alg], key: source })
      expect(b.payload, `run ${i}`).toEqual(mine.payload)
      if (deterministic) {
        expect(theirs, `run ${i}: ${alg} tokens must be byte-identical`).toBe(mine.token)
        identical++
      }
    }
    expect(identical).toBe(deterministic ? runs : 0)
  } finally {
    core.cleanup()
  }
}
