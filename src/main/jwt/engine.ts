import { randomUUID } from 'node:crypto'
import { fail } from '../../shared/errors'
import { toAlg, type Alg } from './algorithms'
import { b64url, decodePayload, parseCompact, signatureValid, signCompact } from './codec'
import { parseDuration } from './duration'
import { keyWarnings, type ResolvedKey } from './keymaterial'

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

export interface VerifySpec {
  algorithms: string[]
  audience?: string | string[]
  issuer?: string | string[]
  clockTolerance?: string | number
  allowWeakKey?: boolean
}

export interface VerifyResult {
  valid: true
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
export function buildHeader(alg: Alg, extra: Record<string, unknown> | undefined, kid: string | undefined): Record<string, unknown> {
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
  if (!rk.signing) fail('JWT_KEY_TYPE', 'This is a public key: it can verify tokens, not sign them. Give the private key.')
  const warnings = keyWarnings(alg, rk, rk.signing, Boolean(spec.allowWeakKey))
  const { header, b64 } = encodedHeader(alg, spec.header, rk.kid)
  const payload = buildPayload(spec, nowSec, auto)
  const token = signCompact(alg, rk.signing, b64, JSON.stringify(payload))
  return { token, header, payload, warnings }
}

/** A prepared signer: key and alg checked and the header encoded once; each call is claims -> token. */
export function prepareSigner(alg: Alg, rk: ResolvedKey, allowWeakKey: boolean, header?: Record<string, unknown>) {
  if (!rk.signing) fail('JWT_KEY_TYPE', 'This is a public key: it can verify tokens, not sign them. Give the private key.')
  keyWarnings(alg, rk, rk.signing, allowWeakKey)
  const key = rk.signing
  const { b64 } = encodedHeader(alg, header, rk.kid)
  return (spec: Omit<SignSpec, 'alg' | 'header'>, nowSec: number): string =>
    signCompact(alg, key, b64, JSON.stringify(buildPayload(spec as SignSpec, nowSec)))
}

/**
 * Verifies a compact JWS (RFC 7515) and its JWT claims (RFC 7519 §4.1) without trusting the token's own alg
 * (RFC 8725 §3.1): the caller names the allowed algorithms, `none` is always refused, the key must fit the alg.
 * Each refusal has its own code.
 */
export function verifyWithKey(token: string, spec: VerifySpec, rk: ResolvedKey, nowSec: number): VerifyResult {
  return runVerify(verifyPlan(spec), token, rk, nowSec)
}

/** A prepared verifier: the caller's options checked once; each call is token -> result or AppError. */
export function prepareVerifier(spec: VerifySpec, rk: ResolvedKey): (token: string, nowSec: number) => VerifyResult {
  const plan = verifyPlan(spec)
  // The key's fitness for each allowed alg is fixed for this verifier: look it up once per alg, not per token.
  const fit = new Map<string, () => string[]>()
  for (const alg of plan.allowed) {
    let warnings: string[] | null = null
    let error: unknown = null
    try {
      warnings = keyWarnings(alg, rk, rk.verifying, plan.allowWeak)
    } catch (e) {
      error = e
    }
    fit.set(alg, () => {
      if (warnings === null) throw error
      return warnings.slice()
    })
  }
  return (token, nowSec) => runVerify(plan, token, rk, nowSec, fit)
}

interface VerifyPlan {
  allowed: Alg[]
  allowWeak: boolean
  tolerance: number
  issuers: string[] | null
  audiences: string[] | null
}

/** The caller's verify options, validated once (a plain object: cheap enough to build per call too). */
function verifyPlan(spec: VerifySpec): VerifyPlan {
  if (!spec.algorithms.length) fail('VALIDATION', 'Name the allowed algorithms (e.g. --alg RS256).', { path: 'algorithms' })
  const tolerance = spec.clockTolerance === undefined ? 0 : parseDuration(spec.clockTolerance, 'clockTolerance')
  if (tolerance < 0) fail('VALIDATION', 'The clock tolerance cannot be negative.', { path: 'clockTolerance' })
  return {
    allowed: spec.algorithms.map(toAlg),
    allowWeak: Boolean(spec.allowWeakKey),
    tolerance,
    issuers: spec.issuer === undefined ? null : Array.isArray(spec.issuer) ? spec.issuer : [spec.issuer],
    audiences: spec.audience === undefined ? null : Array.isArray(spec.audience) ? spec.audience : [spec.audience]
  }
}

function runVerify(plan: VerifyPlan, token: string, rk: ResolvedKey, nowSec: number, fit?: Map<string, () => string[]>): VerifyResult {
  const t = parseCompact(token)
  if (t.alg.length === 4 && t.alg.toLowerCase() === 'none') fail('JWT_ALG_NONE', 'The token says alg "none" (unsigned): refused always.')
  if (!(plan.allowed as string[]).includes(t.alg))
    fail('JWT_ALG_NOT_ALLOWED', `The token is signed with ${t.alg}, which is not among the allowed algorithms (${plan.allowed.join(', ')}).`, {
      alg: t.alg,
      allowed: plan.allowed
    })
  const alg = t.alg as Alg
  if (t.header.crit !== undefined) checkCrit(t.header)
  const warnings = fit ? fit.get(alg)!() : keyWarnings(alg, rk, rk.verifying, plan.allowWeak)
  if (!signatureValid(alg, rk.verifying, t.signingInput, t.signature))
    fail('JWT_SIGNATURE', 'The signature does not match: the token was altered or signed with another key.')
  const payload = decodePayload(t)
  checkClaims(payload, plan, nowSec)
  return { valid: true, header: t.header, payload, warnings }
}

// RFC 7515 §4.1.11: crit lists extensions the verifier MUST understand. We implement none, so any is refused; a
// malformed crit (not a non-empty array of names present in the header, or naming a registered parameter) likewise.
const REGISTERED_HEADER = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'])
function checkCrit(header: Record<string, unknown>): void {
  if (header.crit === undefined) return
  const crit = header.crit
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string' || c.length === 0))
    fail('JWT_CRIT', 'The token\'s "crit" header must be a non-empty list of names.')
  const names = crit as string[]
  const registered = names.filter((n) => REGISTERED_HEADER.has(n))
  if (registered.length) fail('JWT_CRIT', `"crit" must not list registered header parameters (${registered.join(', ')}).`)
  const absent = names.filter((n) => !(n in header))
  if (absent.length) fail('JWT_CRIT', `"crit" names parameters missing from the header (${absent.join(', ')}).`)
  fail('JWT_CRIT', `The token requires header extensions this verifier does not implement: ${names.join(', ')}.`, { crit: names })
}

function checkClaims(p: Claims, plan: VerifyPlan, now: number): void {
  const { tolerance, issuers, audiences } = plan
  for (const c of TIME_CLAIMS)
    if (p[c] !== undefined && (typeof p[c] !== 'number' || !Number.isFinite(p[c])))
      fail('JWT_CLAIM', `The "${c}" claim must be a number of seconds (RFC 7519 NumericDate).`, { claim: c })
  const exp = p.exp as number | undefined
  const nbf = p.nbf as number | undefined
  if (exp !== undefined && exp <= now - tolerance)
    fail('JWT_EXPIRED', `The token expired at ${new Date(exp * 1000).toISOString()} (clock tolerance ${tolerance} s).`, { exp, now, tolerance })
  if (nbf !== undefined && nbf > now + tolerance)
    fail('JWT_NOT_YET_VALID', `The token is not valid before ${new Date(nbf * 1000).toISOString()} (clock tolerance ${tolerance} s).`, {
      nbf,
      now,
      tolerance
    })
  if (issuers && (typeof p.iss !== 'string' || !issuers.includes(p.iss)))
    fail('JWT_ISSUER', `The token's issuer ${p.iss === undefined ? 'is missing' : `"${String(p.iss)}"`} is not the expected ${issuers.map((w) => `"${w}"`).join(' or ')}.`, {
      expected: issuers
    })
  if (audiences && !audienceMatches(p.aud, audiences)) {
    const have = typeof p.aud === 'string' ? [p.aud] : Array.isArray(p.aud) ? p.aud.filter((a): a is string => typeof a === 'string') : []
    fail('JWT_AUDIENCE', `The token's audience ${have.length ? `is ${have.map((a) => `"${a}"`).join(', ')}` : 'is missing'}; expected ${audiences.map((w) => `"${w}"`).join(' or ')}.`, {
      expected: audiences
    })
  }
}

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const

/** RFC 7519 §4.1.3: aud is a string or an array of strings; one of them must be expected. No allocation per call. */
function audienceMatches(aud: unknown, expected: string[]): boolean {
  if (typeof aud === 'string') return expected.includes(aud)
  if (!Array.isArray(aud)) return false
  for (const a of aud) if (typeof a === 'string' && expected.includes(a)) return true
  return false
}
