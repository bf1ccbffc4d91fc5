import { randomUUID } from 'node:crypto'
import { fail } from '../../shared/errors'
import { toAlg, type Alg } from './algorithms'
import { b64url, signCompact } from './codec'
import { parseDuration } from './duration'
import { keyWarnings, type ResolvedKey } from './keymaterial'

// Verification lives in verify.ts (through jose); this module signs.
export { prepareVerifier, verifyWithKey, type VerifyResult, type VerifySpec } from './verify'

export type Claims = Record<string, unknown>

export interface SignSpec {
  alg: string
  claims?: Claims
  header?: Record<string, unknown>
  expiresIn?: string | number
  notBefore?: string | number
  iss?: string
  sub?: string
  aud?: string | string[]
  jti?: string
  allowWeakKey?: boolean
}

export interface SignResult {
  token: string
  header: Record<string, unknown>
  payload: Claims
  warnings: string[]
}

/** Which automatic claims to add: templates such as Datafor's want exactly their own claims. */
export interface AutoClaims {
  iat: boolean
  jti: boolean
}

/** The protected header: alg first (and only ours), typ JWT, the key's kid, then the caller's extra fields. */
export function buildHeader(
  alg: Alg,
  extra: Record<string, unknown> | undefined,
  kid: string | undefined
): Record<string, unknown> {
  const header: Record<string, unknown> = { alg, typ: 'JWT' }
  if (kid !== undefined) header.kid = kid
  if (extra) {
    if (extra.alg !== undefined && extra.alg !== alg)
      fail('VALIDATION', `The header's alg (${String(extra.alg)}) differs from --alg ${alg}.`, { path: 'header.alg' })
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) header[k] = v
  }
  return header
}

/** The claim set: the caller's claims, then iss/sub/aud, iat (automatic), nbf/exp from durations, jti (automatic). */
export function buildPayload(spec: SignSpec, nowSec: number, auto: AutoClaims = { iat: true, jti: true }): Claims {
  const p: Claims = { ...(spec.claims ?? {}) }
  if (spec.iss !== undefined) p.iss = spec.iss
  if (spec.sub !== undefined) p.sub = spec.sub
  if (spec.aud !== undefined) p.aud = spec.aud
  if (auto.iat && p.iat === undefined) p.iat = nowSec
  if (spec.notBefore !== undefined) p.nbf = nowSec + parseDuration(spec.notBefore, 'notBefore')
  if (spec.expiresIn !== undefined) p.exp = nowSec + parseDuration(spec.expiresIn, 'expiresIn')
  if (spec.jti !== undefined) p.jti = spec.jti
  else if (auto.jti && p.jti === undefined) p.jti = randomUUID()
  return p
}

// The default header ({alg, typ, kid?}) encoded once per (alg, kid): most tokens carry no extra header fields.
const defaultHeaders = new Map<string, { header: Record<string, unknown>; b64: string }>()
function encodedHeader(alg: Alg, extra: Record<string, unknown> | undefined, kid: string | undefined) {
  if (extra && Object.keys(extra).length) {
    const header = buildHeader(alg, extra, kid)
    return { header, b64: b64url(JSON.stringify(header)) }
  }
  const id = `${alg}\0${kid ?? ''}`
  let h = defaultHeaders.get(id)
  if (!h) {
    if (defaultHeaders.size > 1024) defaultHeaders.clear()
    const header = buildHeader(alg, undefined, kid)
    defaultHeaders.set(id, (h = { header, b64: b64url(JSON.stringify(header)) }))
  }
  return { header: { ...h.header }, b64: h.b64 }
}

/** Signs with an already-resolved key: synchronous, the whole cost is JSON + base64url + the signature. */
export function signWithKey(spec: SignSpec, rk: ResolvedKey, nowSec: number, auto?: AutoClaims): SignResult {
  const alg = toAlg(spec.alg)
  if (!rk.signing)
    fail('JWT_KEY_TYPE', 'This is a public key: it can verify tokens, not sign them. Give the private key.')
  const warnings = keyWarnings(alg, rk, rk.signing, Boolean(spec.allowWeakKey))
  const { header, b64 } = encodedHeader(alg, spec.header, rk.kid)
  const payload = buildPayload(spec, nowSec, auto)
  const token = signCompact(alg, rk.signing, b64, JSON.stringify(payload))
  return { token, header, payload, warnings }
}

/** A prepared signer: key and alg checked and the header encoded once; each call is claims -> token. */
export function prepareSigner(alg: Alg, rk: ResolvedKey, allowWeakKey: boolean, header?: Record<string, unknown>) {
  if (!rk.signing)
    fail('JWT_KEY_TYPE', 'This is a public key: it can verify tokens, not sign them. Give the private key.')
  keyWarnings(alg, rk, rk.signing, allowWeakKey)
  const key = rk.signing
  const { b64 } = encodedHeader(alg, header, rk.kid)
  return (spec: Omit<SignSpec, 'alg' | 'header'>, nowSec: number): string =>
    signCompact(alg, key, b64, JSON.stringify(buildPayload(spec as SignSpec, nowSec)))
}
