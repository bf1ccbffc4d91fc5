import { b64urlDecode, parseCompact, parseJsonObject } from './codec'
import type { JwtDecoded, JwtExplainedField, JwtExplanation } from '../../shared/contract'
import { relativeTime } from './duration'

const UNVERIFIED_NOTICE =
  'Decoded WITHOUT verifying the signature: anyone can write these fields. Use verify with the key before trusting them.'

export interface ExplainOptions {
  /** The Datafor SSO config's fieldmap, when the token is meant for one: says exactly which claim Datafor reads. */
  dataforFieldmap?: { username: string; name?: string; email?: string }
}

/** The first table that names `k` itself (a claim called "toString" is a private claim, not Object's method). */
function meaningOf(k: string, ...tables: Array<Record<string, string>>): string | undefined {
  for (const t of tables) if (Object.hasOwn(t, k)) return t[k]
  return undefined
}

/** Splits and decodes without any key. Structural problems are still JWT_MALFORMED. */
export function decodeToken(token: string): JwtDecoded {
  const t = parseCompact(token)
  const payload = parseJsonObject(b64urlDecode(t.payloadB64, 'payload'), 'payload')
  return {
    verified: false,
    notice: UNVERIFIED_NOTICE,
    header: t.header,
    payload,
    signature: t.signatureB64,
    signingInputBytes: Buffer.byteLength(t.signingInput),
    sizes: {
      header: t.headerB64.length,
      payload: t.payloadB64.length,
      signature: t.signatureB64.length,
      token: t.signingInput.length + 1 + t.signatureB64.length
    }
  }
}

const HEADER_MEANING: Record<string, string> = {
  alg: 'signing algorithm the token claims (never trusted alone: verify names the allowed ones)',
  typ: 'media type of the token, usually "JWT"',
  kid: 'key id: which key signed it',
  cty: 'content type of the payload (nested tokens)',
  crit: 'header extensions the verifier must understand, or refuse the token',
  jku: 'URL of a JWK Set (never fetched automatically)',
  jwk: 'a public key embedded in the header (never trusted for verification)',
  x5u: 'URL of an X.509 certificate chain',
  x5c: 'X.509 certificate chain',
  x5t: 'SHA-1 thumbprint of the X.509 certificate',
  'x5t#S256': 'SHA-256 thumbprint of the X.509 certificate'
}

const CLAIM_MEANING: Record<string, string> = {
  iss: 'issuer: who created and signed the token',
  sub: 'subject: the user or entity the token is about',
  aud: 'audience: the recipients the token is meant for',
  exp: 'expiration time: not accepted on or after this time',
  nbf: 'not before: not accepted before this time',
  iat: 'issued at: when the token was created',
  jti: 'JWT id: a unique id, used to stop replays'
}

// xdua's token introspection claims (contracts/xdua.md "Introspecting a token").
const XDUA_MEANING: Record<string, string> = {
  verified: 'xdua: whether the gateway verified the token',
  did: 'xdua: device id',
  uid: 'xdua: user id',
  aid: 'xdua: app id of the caller',
  aud: 'xdua: the app id the token is for (ADD field aud)',
  nbf: 'xdua: not valid before this time',
  iss: 'xdua: issuer, "lovearth" for tokens xdua issues',
  iat: 'xdua: issued at',
  ip: 'xdua: client IP the token is bound to',
  ua: 'xdua: client user agent',
  exp: 'xdua: expiry time; 0 or less means it never expires',
  vtl: 'xdua: remaining validity (time to live)',
  ugrp: 'xdua: user group',
  role: 'xdua: role of the user (ADD field role)'
}
const XDUA_ADD_FIELDS: Record<string, string> = {
  typ: 'xdua ADD field: token type (L = login token)',
  sap: 'xdua ADD field: service app it may call (* = all)',
  ipm: 'xdua ADD field: IP allow-list (* = any)',
  dvm: 'xdua ADD field: device allow-list',
  tag: 'xdua ADD field: tag',
  api: 'xdua ADD field: endpoints it may call (* = all)',
  bug: 'xdua ADD field: debug output switch',
  shop: 'xdua ADD field: shop',
  rule: 'xdua ADD field: rule'
}

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat'])
const DATAFOR_USERNAME_GUESSES = ['loginname', 'username', 'user', 'login', 'name', 'sub']

export function explainToken(token: string, nowMs: number, opts: ExplainOptions = {}): JwtExplanation {
  const d = decodeToken(token)
  const now = Math.floor(nowMs / 1000)
  const timeField = (name: string, value: unknown, meaning: string, registered: boolean): JwtExplainedField => {
    const f: JwtExplainedField = { name, value, registered, meaning }
    if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
      if (name === 'exp' && value <= 0 && 'vtl' in d.payload) f.relative = 'never (xdua: exp <= 0)'
      else {
        const date = new Date(value * 1000)
        if (!Number.isNaN(date.getTime())) f.iso = date.toISOString()
        const rel = relativeTime(value, now)
        f.relative =
          name === 'exp'
            ? value > now
              ? `expires ${rel}`
              : `expired ${rel}`
            : name === 'nbf'
              ? value > now
                ? `valid ${rel}`
                : `valid since ${rel}`
              : `issued ${rel}`
      }
    }
    return f
  }
  const headerFields = Object.entries(d.header).map(([k, v]) => ({
    name: k,
    value: v,
    registered: Object.hasOwn(HEADER_MEANING, k),
    meaning: meaningOf(k, HEADER_MEANING) ?? 'private header parameter'
  }))
  const claims = Object.entries(d.payload).map(([k, v]) =>
    timeField(
      k,
      v,
      meaningOf(k, CLAIM_MEANING, XDUA_MEANING, XDUA_ADD_FIELDS) ?? 'private claim',
      Object.hasOwn(CLAIM_MEANING, k)
    )
  )
  const exp = typeof d.payload.exp === 'number' ? d.payload.exp : null
  const nbf = typeof d.payload.nbf === 'number' ? d.payload.nbf : null
  const expired = exp === null ? null : exp <= now
  const notYetValid = nbf === null ? null : nbf > now
  const summary =
    exp === null
      ? 'no expiry (exp absent)'
      : expired
        ? `expired ${relativeTime(exp, now)}`
        : notYetValid
          ? `not valid yet (valid ${relativeTime(nbf!, now)})`
          : `expires ${relativeTime(exp, now)}`
  return {
    ...d,
    headerFields,
    claims,
    timing: { expired, notYetValid, summary },
    notes: { datafor: dataforNotes(d, opts), xdua: xduaNotes(d) }
  }
}

function dataforNotes(d: JwtDecoded, opts: ExplainOptions): string[] {
  const p = d.payload
  const notes: string[] = []
  const fm = opts.dataforFieldmap
  if (fm) {
    const v = p[fm.username]
    notes.push(
      v === undefined
        ? `Datafor reads the login name from claim "${fm.username}" (fieldmap.username), which this token LACKS: the SSO login will fail.`
        : `Datafor will log in the user "${String(v)}" (claim "${fm.username}" = fieldmap.username).`
    )
    if (fm.name)
      notes.push(
        p[fm.name] === undefined
          ? `No display name claim "${fm.name}" (optional).`
          : `Display name from claim "${fm.name}".`
      )
    if (fm.email)
      notes.push(
        p[fm.email] === undefined ? `No email claim "${fm.email}" (optional).` : `Email from claim "${fm.email}".`
      )
  } else {
    const guess = DATAFOR_USERNAME_GUESSES.filter((k) => typeof p[k] === 'string')
    notes.push(
      "Datafor reads the login name from the claim named by the SSO config's fieldmap.username" +
        (guess.length
          ? `; candidates here: ${guess.map((g) => `"${g}" = "${String(p[g])}"`).join(', ')}.`
          : '; no likely claim found.')
    )
  }
  if (typeof d.header.alg === 'string' && !/^(HS|RS|ES)(256|384|512)$/.test(d.header.alg))
    notes.push(`Datafor configs support HS/RS/ES 256/384/512; ${d.header.alg} is not one of them.`)
  notes.push(
    p.exp === undefined ? 'Datafor needs "exp"; this token has none.' : 'Datafor refuses the token after "exp".'
  )
  notes.push('Datafor checks the token only when the browser has no Datafor session yet.')
  return notes
}

function xduaNotes(d: JwtDecoded): string[] {
  const p = d.payload
  const notes: string[] = []
  for (const k of Object.keys(XDUA_MEANING)) if (k in p) notes.push(`${k}: ${XDUA_MEANING[k].replace(/^xdua: /, '')}`)
  for (const k of Object.keys(XDUA_ADD_FIELDS))
    if (k in p) notes.push(`${k}: ${XDUA_ADD_FIELDS[k].replace(/^xdua /, '')}`)
  if (typeof p.jti === 'string' && !/^[A-Za-z0-9]{1,8}$/.test(p.jti))
    notes.push('jti: xdua expects at most 8 letters or digits.')
  if (p.iss !== undefined && p.iss !== 'lovearth')
    notes.push(`iss: tokens xdua itself issues say "lovearth"; this one says "${String(p.iss)}".`)
  if (typeof p.exp === 'number' && p.exp <= 0) notes.push('exp <= 0: xdua treats the token as never expiring.')
  notes.push('xdua sends the token as "Authorization: <jwt>" with no "Bearer " prefix.')
  return notes
}
