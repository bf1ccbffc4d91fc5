import { createPrivateKey, createPublicKey, createSecretKey, X509Certificate, type KeyObject } from 'node:crypto'
import { fail } from '../../shared/errors'
import { checkKeyFits, isAlg, shapeOf, type Alg, type KeyShape } from './algorithms'

export const SECRET_ENCODINGS = ['utf8', 'base64', 'base64url', 'hex'] as const
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number]

/**
 * Where a signing or verification key comes from (the cross-domain API): a secret the user typed (with its encoding),
 * a stored key by name (or kid), pasted PEM (SPKI, PKCS#8, PKCS#1, SEC1 or an X.509 certificate), or a JWK / JWKS
 * (pick one by `kid`).
 */
export type KeySource =
  | { secret: string; encoding?: SecretEncoding }
  | { keyName: string }
  | { pem: string }
  | { jwk: Record<string, unknown>; kid?: string }

/** A key ready for use: KeyObjects imported once and cached, so no sign or verify call re-imports a key. */
export interface ResolvedKey {
  /** The HMAC secret or the private key; null for public-only material. */
  signing: KeyObject | null
  /** The HMAC secret or the public key. */
  verifying: KeyObject
  shape: KeyShape
  /** From a stored key or a JWK: put in the header on signing. */
  kid?: string
  /** A JWK's or stored key's own alg: using the key with another alg is refused (RFC 7517 §4.4). */
  alg?: Alg
  /** A stored key's name. */
  name?: string
}

const CACHE_MAX = 256

/** A small bounded cache of imported keys. Keys are process memory only; nothing here is written anywhere. */
export class KeyCache<V> {
  private readonly map = new Map<string, V>()
  constructor(private readonly max = CACHE_MAX) {}
  /** A hit does not reorder (cheap on the hot path): eviction is oldest-inserted first. */
  get(k: string): V | undefined {
    return this.map.get(k)
  }
  set(k: string, v: V): V {
    this.map.delete(k)
    this.map.set(k, v)
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string)
    return v
  }
  delete(k: string): void {
    this.map.delete(k)
  }
  deleteWhere(pred: (v: V) => boolean): void {
    for (const [k, v] of this.map) if (pred(v)) this.map.delete(k)
  }
}

const STRICT: Record<SecretEncoding, RegExp | null> = {
  utf8: null,
  base64: /^[A-Za-z0-9+/]*={0,2}$/,
  base64url: /^[A-Za-z0-9_-]*$/,
  hex: /^(?:[0-9a-fA-F]{2})*$/
}

/** Decodes a raw HMAC secret strictly: a typo in a base64 or hex secret must not silently become other bytes. */
export function decodeSecret(secret: string, encoding: SecretEncoding = 'utf8'): Buffer {
  if (secret.length === 0) fail('VALIDATION', 'The secret is empty.', { path: 'key.secret' })
  // A PEM pasted as an HMAC secret is the classic alg-confusion attack (RFC 8725 §2.1): never treat one as a secret.
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(secret))
    fail(
      'JWT_KEY_TYPE',
      'This "secret" is a PEM key. Give it as a key (--key-file / pasted PEM), not as an HMAC secret.'
    )
  const re = STRICT[encoding]
  const body = encoding === 'utf8' ? secret : secret.trim()
  if (re && !re.test(body)) fail('VALIDATION', `The secret is not valid ${encoding}.`, { path: 'key.encoding' })
  const bytes = Buffer.from(body, encoding)
  if (bytes.length === 0) fail('VALIDATION', 'The secret decodes to zero bytes.', { path: 'key.secret' })
  return bytes
}

export function secretKey(bytes: Buffer): ResolvedKey {
  const k = createSecretKey(bytes)
  return { signing: k, verifying: k, shape: shapeOf(k) }
}

/** PEM text: a certificate's public key, a private key (any of PKCS#8/PKCS#1/SEC1), or a public key (SPKI/PKCS#1). */
export function keyFromPem(pem: string): ResolvedKey {
  try {
    if (/-----BEGIN CERTIFICATE-----/.test(pem)) {
      const pub = new X509Certificate(pem).publicKey
      return { signing: null, verifying: pub, shape: shapeOf(pub) }
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      const priv = createPrivateKey(pem)
      return { signing: priv, verifying: createPublicKey(priv), shape: shapeOf(priv) }
    }
    const pub = createPublicKey(pem)
    return { signing: null, verifying: pub, shape: shapeOf(pub) }
  } catch {
    return fail('VALIDATION', 'The PEM text is not a key or certificate that could be read.', { path: 'key.pem' })
  }
}

/** One JWK, or one key out of a JWKS by `kid` (a JWKS of exactly one key needs no kid). */
export function keyFromJwk(jwkOrSet: Record<string, unknown>, kid?: string): ResolvedKey {
  let jwk = jwkOrSet
  if (Array.isArray(jwkOrSet.keys)) {
    const keys = jwkOrSet.keys as Record<string, unknown>[]
    if (kid !== undefined) {
      const found = keys.find((k) => k && k.kid === kid)
      if (!found) fail('NOT_FOUND', `The JWKS has no key with kid "${kid}".`, { kid })
      jwk = found
    } else if (keys.length === 1) jwk = keys[0]
    else
      fail('VALIDATION', `The JWKS holds ${keys.length} keys: name one with --kid.`, {
        path: 'key.kid',
        kids: keys.map((k) => k?.kid)
      })
  }
  if (typeof jwk.alg === 'string' && !isAlg(jwk.alg))
    fail('JWT_KEY_TYPE', `The JWK's alg "${jwk.alg}" is not a supported signing algorithm.`)
  const meta = { ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}), ...(isAlg(jwk.alg) ? { alg: jwk.alg } : {}) }
  try {
    if (jwk.kty === 'oct') {
      if (typeof jwk.k !== 'string') throw new Error('k')
      return { ...secretKey(decodeSecret(jwk.k, 'base64url')), ...meta }
    }
    if (typeof jwk.d === 'string') {
      const priv = createPrivateKey({ key: jwk as never, format: 'jwk' })
      return { signing: priv, verifying: createPublicKey(priv), shape: shapeOf(priv), ...meta }
    }
    const pub = createPublicKey({ key: jwk as never, format: 'jwk' })
    return { signing: null, verifying: pub, shape: shapeOf(pub), ...meta }
  } catch (e) {
    if (
      e &&
      typeof e === 'object' &&
      'code' in e &&
      typeof (e as { code: unknown }).code === 'string' &&
      (e as { code: string }).code.startsWith('JWT_')
    )
      throw e
    return fail('VALIDATION', 'The JWK could not be read as a key.', { path: 'key.jwk' })
  }
}

/** Refuses a key whose own alg differs, then checks the key fits the alg (type, curve, RFC 7518 sizes). */
export function keyWarnings(alg: Alg, rk: ResolvedKey, key: KeyObject, allowWeakKey: boolean): string[] {
  if (rk.alg && rk.alg !== alg)
    fail('JWT_KEY_TYPE', `The key is for ${rk.alg}; it is not used with ${alg}.`, { alg, keyAlg: rk.alg })
  return fitCached(alg, key, allowWeakKey)
}

// Key fitness is a property of (key, alg): computed once per KeyObject, not per token.
const fitCache = new WeakMap<KeyObject, Map<string, string[] | { code: string; error: unknown }>>()
function fitCached(alg: Alg, key: KeyObject, allowWeakKey: boolean): string[] {
  let m = fitCache.get(key)
  if (!m) fitCache.set(key, (m = new Map()))
  const k = `${alg}:${allowWeakKey ? 1 : 0}`
  let v = m.get(k)
  if (v === undefined) {
    try {
      v = checkKeyFits(alg, key, allowWeakKey)
    } catch (error) {
      v = { code: 'error', error }
    }
    m.set(k, v)
  }
  if (!Array.isArray(v)) throw v.error
  return v
}
