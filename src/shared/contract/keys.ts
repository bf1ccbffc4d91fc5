import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { plainRecord, noInput } from './fields'
import { JWT_ALGORITHMS } from './algorithms'

/** JWT signing/verification keys. The private part or HMAC secret lives in the keychain, never in results. */

export { JWT_ALGORITHMS }
export const JwtAlgorithm = lazy(() => z.enum(JWT_ALGORITHMS))
export type JwtAlgorithmName = z.infer<typeof JwtAlgorithm>

/** How a pasted HMAC secret is written. */
export const SECRET_ENCODINGS = ['utf8', 'base64', 'base64url', 'hex'] as const
export type SecretEncodingName = (typeof SECRET_ENCODINGS)[number]
export const SecretEncoding = lazy(() => z.enum(SECRET_ENCODINGS))

/** A stored key's name: what `--key NAME` and `{ keyName }` refer to. */
export const KeyName = lazy(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (max 64), starting with a letter or digit')
)

const MAX_KEY_TEXT = 256 * 1024

/** Pasted key material (the user typed or pasted it; it is never echoed back in a result). */
export const KeyMaterialSource = lazy(() =>
  z.union([
    z.strictObject({ secret: z.string().min(1).max(MAX_KEY_TEXT), encoding: SecretEncoding.optional() }),
    z.strictObject({ pem: z.string().min(1).max(MAX_KEY_TEXT) }),
    z.strictObject({ jwk: plainRecord(z.unknown()), kid: z.string().min(1).max(256).optional() })
  ])
)

/** Where the key for a sign/verify comes from: a stored key by name (or kid), or pasted material. */
export const KeySourceSchema = lazy(() =>
  z.union([z.strictObject({ keyName: z.string().trim().min(1).max(256) }), KeyMaterialSource])
)

export interface KeyInfo {
  kid: string
  name: string
  alg: JwtAlgorithmName
  kty: 'oct' | 'RSA' | 'EC' | 'OKP'
  crv?: string
  bits?: number
  /** A private key or HMAC secret sits in the keychain (account key/<kid>): this key can sign. */
  hasPrivate: boolean
  created: string
  /** The public JWK (null for HMAC secrets, which have no public part). */
  publicJwk: Record<string, unknown> | null
}

export type KeyExport =
  | { format: 'jwk'; name: string; kid: string; jwk: Record<string, unknown> }
  | { format: 'jwks'; jwks: { keys: Record<string, unknown>[] } }
  | { format: 'pem'; name: string; kid: string; pem: string }

const ByName = lazy(() => z.strictObject({ name: z.string().trim().min(1).max(256) }))

export const KeyGenerateInput = lazy(() =>
  z.strictObject({
    name: KeyName,
    alg: JwtAlgorithm,
    /** RSA only. */
    modulusLength: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]).optional(),
    /** HMAC only: at least the hash size (RFC 7518 §3.2). */
    secretBytes: z.number().int().min(32).max(1024).optional()
  })
)

export const KeyImportInput = lazy(() =>
  z.strictObject({
    name: KeyName,
    /** Defaults to the JWK's alg, else by key type (RSA: RS256, EC: by curve, Ed25519: EdDSA, secret: HS256). */
    alg: JwtAlgorithm.optional(),
    source: KeyMaterialSource
  })
)

export const keysChannels = {
  /** Stored JWT keys (public parts only) */
  'keys:list': reads<KeyInfo[]>()(noInput()),
  /** One stored JWT key by name or kid */
  'keys:get': reads<KeyInfo>()(ByName),
  /** Generate an HMAC secret, RSA, EC or Ed25519 key; the private part goes to the keychain */
  'keys:generate': writes<KeyInfo>()(KeyGenerateInput),
  /** Import PEM (SPKI, PKCS#8, X.509 certificate), a JWK, one key of a JWKS by kid, or a raw HMAC secret */
  'keys:import': writes<KeyInfo>()(KeyImportInput),
  /** Public key as JWK or PEM, or all public keys as a JWKS (secrets are never exported) */
  'keys:export': reads<KeyExport>()(
    lazy(() =>
      z.strictObject({
        /** Omit with format jwks to export every public key. */
        name: z.string().trim().min(1).max(256).optional(),
        format: z.enum(['jwk', 'jwks', 'pem']).default('jwk')
      })
    )
  ),
  /** Delete a stored key and its keychain item */
  'keys:delete': writes<{ kid: string; name: string; deleted: true }>()(ByName)
}
