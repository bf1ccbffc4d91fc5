import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import { AppError, fail } from '../../shared/errors'
import type { JwtVerifyWarning } from '../../shared/contract'
import { checkVerifyKey, toAlg, type Alg } from './algorithms'
import { parseCompact } from './codec'
import { parseDuration } from './duration'
import type { ResolvedKey } from './keymaterial'

/**
 * Verification through jose (jwtVerify): it is the security boundary, so it runs on the reference implementation, not
 * the node:crypto fast path that signs. Our policy goes around it: the header size limit and strict base64url
 * (parseCompact), `none` always refused, the caller's algorithm allow-list (never the token's own alg, RFC 8725 §3.1),
 * unknown `crit` refused, the key fitting the alg; jose then checks the signature, exp/nbf with the clock tolerance,
 * iss and aud. Each refusal keeps its own JWT_* code.
 */

export interface VerifySpec {
  algorithms: string[]
  audience?: string | string[]
  issuer?: string | string[]
  clockTolerance?: string | number
  /** Accepted for compatibility: a weak HMAC key verifies with a warning whether or not this is set. */
  allowWeakKey?: boolean
}

export interface VerifyResult {
  valid: true
  header: Record<string, unknown>
  payload: Record<string, unknown>
  warnings: JwtVerifyWarning[]
}

interface VerifyPlan {
  allowed: Alg[]
  tolerance: number
  issuers: string[] | null
  audiences: string[] | null
}

export function verifyWithKey(token: string, spec: VerifySpec, rk: ResolvedKey, nowSec: number): Promise<VerifyResult> {
  return runVerify(verifyPlan(spec), token, rk, nowSec)
}

/** A prepared verifier: the caller's options and the key's fitness per allowed alg checked once. */
export function prepareVerifier(
  spec: VerifySpec,
  rk: ResolvedKey
): (token: string, nowSec: number) => Promise<VerifyResult> {
  const plan = verifyPlan(spec)
  const fit = new Map<Alg, () => JwtVerifyWarning[]>()
  for (const alg of plan.allowed) {
    let warnings: JwtVerifyWarning[] | null = null
    let error: unknown = null
    try {
      warnings = keyFit(alg, rk)
    } catch (e) {
      error = e
    }
    fit.set(alg, () => {
      if (warnings === null) throw error
      return warnings.map((w) => ({ ...w }))
    })
  }
  return (token, nowSec) => runVerify(plan, token, rk, nowSec, fit)
}

function verifyPlan(spec: VerifySpec): VerifyPlan {
  if (!spec.algorithms.length)
    fail('VALIDATION', 'Name the allowed algorithms (e.g. --alg RS256).', { path: 'algorithms' })
  const tolerance = spec.clockTolerance === undefined ? 0 : parseDuration(spec.clockTolerance, 'clockTolerance')
  if (tolerance < 0) fail('VALIDATION', 'The clock tolerance cannot be negative.', { path: 'clockTolerance' })
  return {
    allowed: spec.algorithms.map(toAlg),
    tolerance,
    issuers: spec.issuer === undefined ? null : Array.isArray(spec.issuer) ? spec.issuer : [spec.issuer],
    audiences: spec.audience === undefined ? null : Array.isArray(spec.audience) ? spec.audience : [spec.audience]
  }
}

function keyFit(alg: Alg, rk: ResolvedKey): JwtVerifyWarning[] {
  if (rk.alg && rk.alg !== alg)
    fail('JWT_KEY_TYPE', `The key is for ${rk.alg}; it is not used with ${alg}.`, { alg, keyAlg: rk.alg })
  return checkVerifyKey(alg, rk.verifying)
}

async function runVerify(
  plan: VerifyPlan,
  token: string,
  rk: ResolvedKey,
  nowSec: number,
  fit?: Map<Alg, () => JwtVerifyWarning[]>
): Promise<VerifyResult> {
  const t = parseCompact(token)
  if (t.alg.length === 4 && t.alg.toLowerCase() === 'none')
    fail('JWT_ALG_NONE', 'The token says alg "none" (unsigned): refused always.')
  if (!(plan.allowed as string[]).includes(t.alg))
    fail(
      'JWT_ALG_NOT_ALLOWED',
      `The token is signed with ${t.alg}, which is not among the allowed algorithms (${plan.allowed.join(', ')}).`,
      {
        alg: t.alg,
        allowed: plan.allowed
      }
    )
  const alg = t.alg as Alg
  if (t.header.crit !== undefined) checkCrit(t.header)
  const warnings = fit ? fit.get(alg)!() : keyFit(alg, rk)
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(`${t.signingInput}.${t.signatureB64}`, rk.verifying, {
      algorithms: [alg],
      currentDate: new Date(nowSec * 1000),
      clockTolerance: plan.tolerance,
      ...(plan.issuers ? { issuer: plan.issuers } : {}),
      ...(plan.audiences ? { audience: plan.audiences } : {})
    }))
  } catch (e) {
    throw refusal(e, plan, nowSec)
  }
  return { valid: true, header: t.header, payload: payload as Record<string, unknown>, warnings }
}

/** jose's refusal as our coded error, with the message the user has always had for it. */
function refusal(e: unknown, plan: VerifyPlan, now: number): AppError {
  if (e instanceof AppError) return e
  const { tolerance, issuers, audiences } = plan
  if (e instanceof joseErrors.JWSSignatureVerificationFailed)
    return new AppError(
      'JWT_SIGNATURE',
      'The signature does not match: the token was altered or signed with another key.'
    )
  if (e instanceof joseErrors.JWTExpired && e.claim === 'exp') {
    const exp = e.payload.exp as number
    return new AppError(
      'JWT_EXPIRED',
      `The token expired at ${new Date(exp * 1000).toISOString()} (clock tolerance ${tolerance} s).`,
      { exp, now, tolerance }
    )
  }
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    const p = e.payload
    if (e.reason === 'invalid')
      return new AppError('JWT_CLAIM', `The "${e.claim}" claim must be a number of seconds (RFC 7519 NumericDate).`, {
        claim: e.claim
      })
    if (e.claim === 'nbf') {
      const nbf = p.nbf as number
      return new AppError(
        'JWT_NOT_YET_VALID',
        `The token is not valid before ${new Date(nbf * 1000).toISOString()} (clock tolerance ${tolerance} s).`,
        { nbf, now, tolerance }
      )
    }
    if (e.claim === 'iss' && issuers)
      return new AppError(
        'JWT_ISSUER',
        `The token's issuer ${p.iss === undefined ? 'is missing' : `"${String(p.iss)}"`} is not the expected ${issuers.map((w) => `"${w}"`).join(' or ')}.`,
        {
          expected: issuers
        }
      )
    if (e.claim === 'aud' && audiences) {
      const have =
        typeof p.aud === 'string'
          ? [p.aud]
          : Array.isArray(p.aud)
            ? p.aud.filter((a): a is string => typeof a === 'string')
            : []
      return new AppError(
        'JWT_AUDIENCE',
        `The token's audience ${have.length ? `is ${have.map((a) => `"${a}"`).join(', ')}` : 'is missing'}; expected ${audiences.map((w) => `"${w}"`).join(' or ')}.`,
        {
          expected: audiences
        }
      )
    }
    return new AppError('JWT_CLAIM', `The token's "${e.claim}" claim failed its check (${e.reason}).`, {
      claim: e.claim
    })
  }
  if (e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JWSInvalid)
    return new AppError('JWT_MALFORMED', `The token is malformed: ${e.message}.`)
  if (e instanceof joseErrors.JOSEAlgNotAllowed)
    return new AppError('JWT_ALG_NOT_ALLOWED', `The token's algorithm is not allowed: ${e.message}.`)
  if (e instanceof joseErrors.JOSENotSupported)
    return new AppError('JWT_CRIT', `The token uses something this verifier does not support: ${e.message}.`)
  if (e instanceof TypeError) return new AppError('JWT_KEY_TYPE', `The key cannot verify this token: ${e.message}.`)
  return new AppError('JWT_SIGNATURE', 'The token could not be verified.')
}

// RFC 7515 §4.1.11: crit lists extensions the verifier MUST understand. We implement none, so any is refused; a
// malformed crit (not a non-empty array of names present in the header, or naming a registered parameter) likewise.
const REGISTERED_HEADER = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'])
function checkCrit(header: Record<string, unknown>): void {
  const crit = header.crit
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string' || c.length === 0))
    fail('JWT_CRIT', 'The token\'s "crit" header must be a non-empty list of names.')
  const names = crit as string[]
  const registered = names.filter((n) => REGISTERED_HEADER.has(n))
  if (registered.length)
    fail('JWT_CRIT', `"crit" must not list registered header parameters (${registered.join(', ')}).`)
  const absent = names.filter((n) => !(n in header))
  if (absent.length) fail('JWT_CRIT', `"crit" names parameters missing from the header (${absent.join(', ')}).`)
  fail('JWT_CRIT', `The token requires header extensions this verifier does not implement: ${names.join(', ')}.`, {
    crit: names
  })
}
