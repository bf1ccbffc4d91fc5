import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { JwtAlgorithm, KeySourceSchema } from './keys'
import { plainRecord, noInput } from './fields'

/** The JWT engine: sign, verify, decode, explain, templates and bulk minting. */

const Duration = lazy(() =>
  z.union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+\s*[smhdwSMHDW]?$/, 'a duration like 90s, 15m, 1h, 7d')
  ])
)
const Json = lazy(() => plainRecord(z.unknown()))
// Big enough for any real token; the engine itself refuses headers over 16 KiB with JWT_MALFORMED.
const Token = lazy(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(8 * 1024 * 1024)
)

export const SignInput = lazy(() =>
  z.strictObject({
    alg: JwtAlgorithm,
    key: KeySourceSchema,
    claims: Json.optional(),
    header: Json.optional(),
    expiresIn: Duration.optional(),
    notBefore: Duration.optional(),
    iss: z.string().optional(),
    sub: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    jti: z.string().min(1).max(256).optional(),
    allowWeakKey: z.boolean().optional()
  })
)

export const DataforFieldmap = lazy(() =>
  z.strictObject({
    username: z.string().trim().min(1).max(128),
    name: z.string().trim().max(128).optional(),
    email: z.string().trim().max(128).optional()
  })
)

export const DataforInput = lazy(() =>
  z.strictObject({
    algorithm: JwtAlgorithm,
    expire: z
      .number()
      .int()
      .min(1)
      .max(10 * 365 * 86400),
    fieldmap: DataforFieldmap,
    tokenName: z.string().trim().min(1).max(128).default('token'),
    key: KeySourceSchema,
    username: z.string().min(1).max(256),
    name: z.string().max(256).optional(),
    email: z.string().max(256).optional(),
    baseUrl: z.string().max(2048).optional(),
    loginPath: z.string().max(2048).optional(),
    reportId: z.string().trim().min(1).max(500).optional(),
    allowWeakKey: z.boolean().optional()
  })
)

const XduaField = lazy(() => z.string().max(1024).optional())
export const XduaInput = lazy(() =>
  z.strictObject({
    alg: JwtAlgorithm,
    key: KeySourceSchema,
    fields: z.strictObject({
      typ: XduaField,
      aud: XduaField,
      sap: XduaField,
      jti: z
        .string()
        .regex(/^[A-Za-z0-9]{1,8}$/, 'at most 8 letters or digits')
        .optional(),
      ipm: XduaField,
      dvm: XduaField,
      tag: XduaField,
      api: XduaField,
      bug: XduaField,
      shop: XduaField,
      role: XduaField,
      rule: XduaField
    }),
    iss: z.string().optional(),
    sub: z.string().optional(),
    expiresIn: Duration.optional(),
    notBefore: Duration.optional(),
    allowWeakKey: z.boolean().optional()
  })
)

/** A token's decoded header and payload, as sign, verify and decode answer them. */
interface JwtParts {
  header: Record<string, unknown>
  payload: Record<string, unknown>
}

export interface JwtSignResult extends JwtParts {
  token: string
  /** e.g. "weak key: ..." when allowWeakKey accepted a short HMAC secret. */
  warnings: string[]
}

/** Something a verify accepted but the user should know: a weak HMAC key verifies, with this warning. */
export interface JwtVerifyWarning {
  code: 'JWT_WEAK_KEY'
  message: string
}

export interface JwtVerifyResult extends JwtParts {
  valid: true
  /** Always present; empty when there is nothing to say. */
  warnings: JwtVerifyWarning[]
}

export interface JwtDecoded extends JwtParts {
  /** Always false: decode never checks the signature, and says so in `notice`. */
  verified: false
  notice: string
  /** The signature segment as it appears in the token (base64url). */
  signature: string
  /** Bytes of `base64url(header).base64url(payload)`, what the signature covers. */
  signingInputBytes: number
  sizes: { header: number; payload: number; signature: number; token: number }
}

export interface JwtExplainedField {
  name: string
  value: unknown
  /** Registered in RFC 7515 (header) / RFC 7519 §4.1 (payload). */
  registered: boolean
  meaning: string
  /** For NumericDate claims: the time as ISO 8601 and relative to now. */
  iso?: string
  relative?: string
}

export interface JwtExplanation extends JwtDecoded {
  headerFields: JwtExplainedField[]
  claims: JwtExplainedField[]
  /** Expiry state by the clock alone (the signature is still unchecked). */
  timing: { expired: boolean | null; notYetValid: boolean | null; summary: string }
  notes: { datafor: string[]; xdua: string[] }
}

export interface JwtDataforResult {
  token: string
  loginUrl: string | null
  payload: Record<string, unknown>
  header: Record<string, unknown>
  warnings: string[]
}

export interface JwtMintResult {
  out: string
  format: 'jsonl' | 'csv'
  /** Whole lines written (on cancel: the lines written before it, all whole). */
  written: number
  requested: number
  cancelled: boolean
  workers: number
  bytes: number
}

export const VerifyInput = lazy(() =>
  z.strictObject({
    token: Token,
    algorithms: z.array(JwtAlgorithm).min(1),
    key: KeySourceSchema,
    audience: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    issuer: z.string().optional(),
    clockTolerance: Duration.optional(),
    allowWeakKey: z.boolean().optional()
  })
)

export const MintStartInput = lazy(() =>
  z
    .strictObject({
      count: z.number().int().min(1).max(100_000_000),
      out: z.string().trim().min(1).max(4096),
      format: z.enum(['jsonl', 'csv']).default('jsonl'),
      workers: z.number().int().min(1).max(64).optional(),
      overwrite: z.boolean().default(false),
      /** Sign options for every token (each gets its own jti) ... */
      sign: SignInput.optional(),
      /** ... or a Datafor SSO template (no jti: Datafor tokens carry only what Datafor reads). */
      datafor: DataforInput.optional()
    })
    .refine((v) => (v.sign ? 1 : 0) + (v.datafor ? 1 : 0) === 1, {
      message: 'give exactly one of sign or datafor',
      path: ['sign']
    })
)

export const jwtChannels = {
  /** Supported JWT signing algorithms */
  'jwt:algorithms': reads<{ algorithms: string[] }>()(noInput()),
  /** Sign a JWT (claims, durations, iat and jti automatic, extra header fields) */
  'jwt:sign': reads<JwtSignResult>()(SignInput),
  /** Verify a JWT: allowed algorithms, key type, signature, exp/nbf with tolerance, aud/iss */
  'jwt:verify': reads<JwtVerifyResult>()(VerifyInput),
  /** Decode a JWT WITHOUT verifying it */
  'jwt:decode': reads<JwtDecoded>()(lazy(() => z.strictObject({ token: Token }))),
  /** Decode (unverified) and explain claims, times, sizes, Datafor and xdua notes */
  'jwt:explain': reads<JwtExplanation>()(
    lazy(() => z.strictObject({ token: Token, dataforFieldmap: DataforFieldmap.optional() }))
  ),
  /** A Datafor SSO test token and its login URL */
  'jwt:datafor': reads<JwtDataforResult>()(DataforInput),
  /** An xdua token with the ADD fields as claims */
  'jwt:xdua': reads<JwtSignResult>()(XduaInput),
  /** Bulk-mint N tokens to a JSON-lines or CSV file on worker threads; progress via jobs:get */
  'jwt:mintStart': writes<{ jobId: string }>()(MintStartInput)
}
