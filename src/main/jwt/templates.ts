import { randomAlnum } from '../ids'
import { fail } from '../../shared/errors'
import { CLAIM_FIELDS, type ClaimField } from '../../shared/contract'
import type { AutoClaims, Claims, SignSpec } from './engine'

export interface DataforFieldmap {
  username: string
  name?: string
  email?: string
}

export interface DataforTemplate {
  algorithm: string
  /** Seconds: the config's `expire`. */
  expire: number
  fieldmap: DataforFieldmap
  tokenName: string
  username: string
  name?: string
  email?: string
  baseUrl?: string
  loginPath?: string
  /** A report to open: the login URL becomes Datafor's documented integrate page for it. */
  reportId?: string
  allowWeakKey?: boolean
}

/**
 * Datafor SSO (contracts/datafor.md "SSO login with a JWT"): the login name under the claim named by
 * fieldmap.username, optional name/email claims by the fieldmap, and `exp` = now + expire. Nothing else: no iat, no
 * jti, so the token carries exactly the claims Datafor reads. Header `{"typ":"JWT","alg":...}` as in its example.
 */
export function dataforSpec(t: DataforTemplate): { spec: SignSpec; auto: AutoClaims } {
  if (!t.fieldmap.username)
    fail('VALIDATION', 'The Datafor fieldmap has no username claim name.', { path: 'fieldmap.username' })
  if (!t.username) fail('VALIDATION', 'username can not be empty', { path: 'username' })
  const claims: Claims = { [t.fieldmap.username]: t.username }
  if (t.fieldmap.name && t.name !== undefined) claims[t.fieldmap.name] = t.name
  if (t.fieldmap.email && t.email !== undefined) claims[t.fieldmap.email] = t.email
  return {
    spec: { alg: t.algorithm, claims, expiresIn: t.expire, allowWeakKey: t.allowWeakKey },
    auto: { iat: false, jti: false }
  }
}

/** The page Datafor documents for opening a report with a token (contracts/datafor.md "SSO login with a JWT"). */
function dataforIntegratePath(reportId: string): string {
  return `/plugin/datafor/api/integrate/${encodeURIComponent(reportId)}?__compact=true`
}

/**
 * `<base><page>?<token_name>=<jwt>`, the page being the integrate page of `reportId`
 * (`.../plugin/datafor/api/integrate/<report>?__compact=true&token=...`) or `loginPath` as given.
 */
export function dataforLoginUrl(t: DataforTemplate, token: string): string | null {
  if (!t.baseUrl) return null
  if (t.reportId !== undefined && t.loginPath)
    fail('VALIDATION', 'Give a report id or a login path, not both.', { path: 'reportId' })
  const page =
    t.reportId !== undefined
      ? dataforIntegratePath(t.reportId)
      : t.loginPath
        ? t.loginPath.startsWith('/')
          ? t.loginPath
          : `/${t.loginPath}`
        : ''
  let url: URL
  try {
    url = new URL(`${t.baseUrl.replace(/\/+$/, '')}${page}`)
  } catch {
    return fail('VALIDATION', `"${t.baseUrl}" is not a URL.`, { path: 'baseUrl' })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail('VALIDATION', 'The Datafor URL must be http or https.', { path: 'baseUrl' })
  url.searchParams.set(t.tokenName || 'token', token)
  return url.toString()
}

/** The ADD fields of an xdua token (contracts/xdua.md): all strings. */
export type XduaFields = Partial<Record<ClaimField, string>>

export interface XduaTemplate {
  alg: string
  fields: XduaFields
  iss?: string
  sub?: string
  expiresIn?: string | number
  notBefore?: string | number
  allowWeakKey?: boolean
}

const XDUA_JTI = /^[A-Za-z0-9]{1,8}$/
/** xdua: the ADD fields become claims (with `typ` in the payload too, as xdua stores it), jti <= 8 letters/digits. */
export function xduaSpec(t: XduaTemplate): SignSpec {
  const claims: Claims = {}
  for (const f of CLAIM_FIELDS) if (t.fields[f] !== undefined) claims[f] = t.fields[f]
  const jti = t.fields.jti ?? randomAlnum(8) // the ADD field's rule: <= 8 letters/digits
  if (!XDUA_JTI.test(jti)) fail('VALIDATION', 'xdua jti: at most 8 letters or digits.', { path: 'fields.jti' })
  delete claims.jti
  return {
    alg: t.alg,
    claims,
    iss: t.iss,
    sub: t.sub,
    expiresIn: t.expiresIn,
    notBefore: t.notBefore,
    jti,
    allowWeakKey: t.allowWeakKey
  }
}
