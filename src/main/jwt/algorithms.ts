import { constants, type KeyObject } from 'node:crypto'
import { fail } from '../../shared/errors'
import { JWT_ALGORITHMS } from '../../shared/contract/algorithms'

/** The supported algorithms: the contract's list. */
export const ALGORITHMS = JWT_ALGORITHMS
export type Alg = (typeof ALGORITHMS)[number]

export type Family = 'HS' | 'RS' | 'PS' | 'ES' | 'EdDSA'

export interface AlgInfo {
  alg: Alg
  family: Family
  /** node:crypto digest name; null for EdDSA (the hash is part of Ed25519). */
  hash: 'sha256' | 'sha384' | 'sha512' | null
  /** Hash output in bytes: RFC 7518 §3.2 minimum HMAC key size, and ES signature half-size source. */
  hashBytes: number
  /** ES only: the curve (RFC 7518 §3.4) and the byte size of r and s in the JOSE signature. */
  curve?: 'P-256' | 'P-384' | 'P-521'
  coordBytes?: number
}

const HASHES = { '256': 'sha256', '384': 'sha384', '512': 'sha512' } as const
const CURVES = { ES256: ['P-256', 32], ES384: ['P-384', 48], ES512: ['P-521', 66] } as const

export const ALG_INFO: Record<Alg, AlgInfo> = Object.fromEntries(
  ALGORITHMS.map((alg) => {
    if (alg === 'EdDSA') return [alg, { alg, family: 'EdDSA', hash: null, hashBytes: 64 }]
    const family = alg.slice(0, 2) as Family
    const bits = alg.slice(2) as keyof typeof HASHES
    const info: AlgInfo = { alg, family, hash: HASHES[bits], hashBytes: Number(bits) / 8 }
    if (family === 'ES') {
      const [curve, coordBytes] = CURVES[alg as keyof typeof CURVES]
      info.curve = curve
      info.coordBytes = coordBytes
    }
    return [alg, info]
  })
) as Record<Alg, AlgInfo>

export function isAlg(s: unknown): s is Alg {
  return typeof s === 'string' && (ALGORITHMS as readonly string[]).includes(s)
}

/** Validates a caller-given algorithm name (not a token header: those go through verify's own checks). */
export function toAlg(s: string): Alg {
  if (s === 'none') fail('JWT_ALG_NONE', 'The "none" algorithm is never allowed: an unsigned token proves nothing.')
  if (!isAlg(s))
    fail('VALIDATION', `Unsupported algorithm "${s}". Supported: ${ALGORITHMS.join(', ')}`, { path: 'alg' })
  return s
}

// node:crypto names curves by OpenSSL names; JOSE by NIST names.
const NODE_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }

/** What a key is, in JOSE terms: enough to tell whether it fits an algorithm. */
export interface KeyShape {
  kty: 'oct' | 'RSA' | 'EC' | 'OKP'
  /** EC: P-256/P-384/P-521; OKP: Ed25519/Ed448/X25519... */
  crv?: string
  /** RSA modulus bits, or HMAC secret bits. */
  bits?: number
  /** node's asymmetricKeyType ('rsa', 'rsa-pss', 'ec', 'ed25519', ...). */
  nodeType?: string
}

export function shapeOf(key: KeyObject): KeyShape {
  if (key.type === 'secret') return { kty: 'oct', bits: (key.symmetricKeySize ?? 0) * 8 }
  const t = key.asymmetricKeyType
  const d = key.asymmetricKeyDetails ?? {}
  if (t === 'rsa' || t === 'rsa-pss') return { kty: 'RSA', bits: d.modulusLength, nodeType: t }
  if (t === 'ec') return { kty: 'EC', crv: NODE_CURVES[d.namedCurve ?? ''] ?? d.namedCurve, nodeType: t }
  if (t === 'ed25519') return { kty: 'OKP', crv: 'Ed25519', nodeType: t }
  if (t === 'ed448') return { kty: 'OKP', crv: 'Ed448', nodeType: t }
  return { kty: 'OKP', crv: t, nodeType: t }
}

export function describeShape(s: KeyShape): string {
  if (s.kty === 'oct') return `an HMAC secret (${(s.bits ?? 0) / 8} bytes)`
  if (s.kty === 'RSA') return `an RSA key (${s.bits} bits)`
  if (s.kty === 'EC') return `an EC key on ${s.crv}`
  return `an ${s.crv} key`
}

/**
 * Refuses a key of the wrong type for an algorithm (RFC 8725 §3.1: no HS256 verified with an RSA public key taken as
 * an HMAC secret, no ES256 with a P-384 key). Returns the warnings for accepted-but-weak keys.
 */
export function checkKeyFits(alg: Alg, key: KeyObject, allowWeakKey: boolean): string[] {
  const info = ALG_INFO[alg]
  const s = shapeOf(key)
  const wrong = () =>
    fail('JWT_KEY_TYPE', `${alg} needs ${wantedKey(info)}, but the key is ${describeShape(s)}.`, {
      alg,
      kty: s.kty,
      ...(s.crv ? { crv: s.crv } : {})
    })
  switch (info.family) {
    case 'HS': {
      if (s.kty !== 'oct') wrong()
      const bytes = (s.bits ?? 0) / 8
      if (bytes < info.hashBytes) {
        const msg =
          `The HMAC key is ${bytes} bytes; RFC 7518 §3.2 requires at least ${info.hashBytes} bytes (the hash output size) ` +
          `for ${alg}.`
        if (!allowWeakKey)
          fail('JWT_WEAK_KEY', `${msg} Pass --allow-weak-key (or tick "allow weak key") to accept it.`, {
            alg,
            bytes,
            required: info.hashBytes
          })
        return [`weak key: ${msg} Accepted because "allow weak key" was given.`]
      }
      return []
    }
    case 'RS':
    case 'PS': {
      if (s.kty !== 'RSA') wrong()
      if (info.family === 'RS' && s.nodeType === 'rsa-pss') wrong()
      if ((s.bits ?? 0) < 2048) {
        // RFC 7518 §3.3 / §3.5: a key of size 2048 bits or larger MUST be used.
        const msg = `The RSA key is ${s.bits} bits; RFC 7518 §3.3 requires 2048 bits or more.`
        if (!allowWeakKey) fail('JWT_WEAK_KEY', `${msg} Pass --allow-weak-key to accept it.`, { alg, bits: s.bits })
        return [`weak key: ${msg} Accepted because "allow weak key" was given.`]
      }
      return []
    }
    case 'ES':
      if (s.kty !== 'EC' || s.crv !== info.curve) wrong()
      return []
    case 'EdDSA':
      if (s.kty !== 'OKP' || s.crv !== 'Ed25519') wrong()
      return []
  }
}

/**
 * Key fitness for VERIFYING: the wrong key type is refused as for signing, but an HMAC key shorter than the hash only
 * warns (checking a signature made with a weak key harms nobody; signing with one keeps its opt-in). RSA under 2048
 * bits stays refused: jose, which verifies, will not use one.
 */
export function checkVerifyKey(alg: Alg, key: KeyObject): Array<{ code: 'JWT_WEAK_KEY'; message: string }> {
  const info = ALG_INFO[alg]
  checkKeyFits(alg, key, true)
  const s = shapeOf(key)
  if (info.family === 'HS' && (s.bits ?? 0) / 8 < info.hashBytes)
    return [
      {
        code: 'JWT_WEAK_KEY',
        message:
          `The HMAC key is ${(s.bits ?? 0) / 8} bytes; RFC 7518 §3.2 requires at least ${info.hashBytes} bytes (the hash output size) ` +
          `for ${alg}. The signature checks out, but anyone who can guess a key this short can forge tokens: replace it.`
      }
    ]
  if ((info.family === 'RS' || info.family === 'PS') && (s.bits ?? 0) < 2048)
    fail(
      'JWT_WEAK_KEY',
      `The RSA key is ${s.bits} bits; RFC 7518 §3.3 requires 2048 bits or more, and such a key is not used to verify.`,
      {
        alg,
        bits: s.bits
      }
    )
  return []
}

function wantedKey(info: AlgInfo): string {
  if (info.family === 'HS') return 'an HMAC secret'
  if (info.family === 'RS' || info.family === 'PS') return 'an RSA key'
  if (info.family === 'ES') return `an EC key on ${info.curve}`
  return 'an Ed25519 key'
}

/** node:crypto sign/verify options per family: PKCS#1 v1.5 (RS), PSS with salt = hash size (PS, RFC 7518 §3.5), and
 * the JOSE r||s signature encoding for ECDSA (RFC 7518 §3.4) instead of DER. */
export function nodeSignOptions(info: AlgInfo, key: KeyObject) {
  if (info.family === 'PS')
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
  if (info.family === 'ES') return { key, dsaEncoding: 'ieee-p1363' as const }
  return key
}

/** The alg a key suggests when an import names none: RSA -> RS256, EC by curve, Ed25519 -> EdDSA, oct -> HS256. */
export function defaultAlgFor(s: KeyShape): Alg {
  if (s.kty === 'oct') return 'HS256'
  if (s.kty === 'RSA') return s.nodeType === 'rsa-pss' ? 'PS256' : 'RS256'
  if (s.kty === 'EC') {
    if (s.crv === 'P-384') return 'ES384'
    if (s.crv === 'P-521') return 'ES512'
    return 'ES256'
  }
  return 'EdDSA'
}
