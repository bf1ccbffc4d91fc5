import { createHmac, sign as nodeSign, type KeyObject } from 'node:crypto'
import { fail } from '../../shared/errors'
import { ALG_INFO, nodeSignOptions, type Alg } from './algorithms'

/**
 * The synchronous node:crypto fast path for SIGNING JWS compact serialization (RFC 7515 §7.1), and the strict parser
 * verify.ts checks a token with before jose verifies it. jose is the reference: a property test
 * (test/jwt/equivalence*.property.test.ts) proves this produces byte-identical tokens for HS*, RS* and EdDSA and
 * tokens jose verifies for every algorithm. Key fitness is checked by the caller (algorithms.checkKeyFits) once per
 * key, not per token.
 */

/** Header size limit: a bigger header is refused before any JSON parsing (a cheap denial-of-service guard). */
const MAX_HEADER_BYTES = 16 * 1024

const B64URL = /^[A-Za-z0-9_-]*$/

export function b64url(s: string | Buffer): string {
  return (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64url')
}

/**
 * Strict base64url (RFC 7515 §2: no padding, no other characters); a length of 4n+1 cannot be valid. The hot path
 * avoids a per-character regex: Node's decoder accepts exactly the base64 and base64url alphabets and skips anything
 * else, so an ASCII-only string (UTF-8 length = string length: Node would otherwise read a UTF-16 unit's low byte)
 * without "+" or "/" whose decoded size is exactly 3/4 of its length holds base64url characters only.
 */
export function b64urlDecode(s: string, part: string): Buffer {
  const n = s.length
  if (n % 4 !== 1 && Buffer.byteLength(s, 'utf8') === n && s.indexOf('+') < 0 && s.indexOf('/') < 0) {
    const bytes = Buffer.from(s, 'base64url')
    if (bytes.length === (n * 3) >> 2) return bytes
  }
  // Slow path, only for input that is about to be refused: the regex is the definition the fast path mirrors.
  if (!B64URL.test(s) || n % 4 === 1) fail('JWT_MALFORMED', `The token's ${part} is not valid base64url.`, { part })
  return Buffer.from(s, 'base64url')
}

function signatureOf(alg: Alg, key: KeyObject, signingInput: string): Buffer {
  const info = ALG_INFO[alg]
  if (info.family === 'HS') return createHmac(info.hash!, key).update(signingInput).digest()
  return nodeSign(info.hash, Buffer.from(signingInput), nodeSignOptions(info, key))
}

/** Signs a compact JWS from an already-serialized header segment (so bulk minting encodes the header once). */
export function signCompact(alg: Alg, key: KeyObject, headerB64: string, payloadJson: string): string {
  const input = `${headerB64}.${b64url(payloadJson)}`
  const info = ALG_INFO[alg]
  // HMAC: the digest comes out as base64url directly (one buffer fewer per token); same bytes as signatureOf.
  if (info.family === 'HS') return `${input}.${createHmac(info.hash!, key).update(input).digest('base64url')}`
  return `${input}.${signatureOf(alg, key, input).toString('base64url')}`
}

export interface ParsedCompact {
  header: Record<string, unknown>
  headerB64: string
  payloadB64: string
  signatureB64: string
  signature: Buffer
  signingInput: string
  /** The payload's bytes (strict base64url checked, not yet parsed: jose parses it after the signature). */
  payloadBytes: Buffer
  /** The header's alg, checked to be a string. */
  alg: string
}

/** Splits and decodes a compact JWS; every structural failure is JWT_MALFORMED. The payload is left encoded. */
export function parseCompact(token: string): ParsedCompact {
  if (typeof token !== 'string' || token.length === 0) fail('JWT_MALFORMED', 'The token is empty.')
  const t = token.trim()
  const first = t.indexOf('.')
  const second = first < 0 ? -1 : t.indexOf('.', first + 1)
  if (first < 0 || second < 0 || t.indexOf('.', second + 1) >= 0) {
    const parts = t.split('.').length
    fail('JWT_MALFORMED', `A signed JWT has 3 dot-separated parts; this one has ${parts}.`, { parts })
  }
  const headerB64 = t.slice(0, first)
  const payloadB64 = t.slice(first + 1, second)
  const signatureB64 = t.slice(second + 1)
  // base64url carries 3 bytes per 4 characters: check the size before decoding anything.
  if (Math.floor((headerB64.length * 3) / 4) > MAX_HEADER_BYTES)
    fail('JWT_MALFORMED', `The token's header is larger than ${MAX_HEADER_BYTES / 1024} KiB and is refused unread.`, {
      part: 'header'
    })
  const header = parsedHeader(headerB64)
  // Decoded once here (strictness is checked by decoding); parsed as JSON after the signature check (by jose, verify.ts).
  const payloadBytes = b64urlDecode(payloadB64, 'payload')
  const signature = b64urlDecode(signatureB64, 'signature')
  if (typeof header.alg !== 'string') fail('JWT_MALFORMED', 'The token header has no "alg".', { part: 'header' })
  // A slice of the token, not a concatenation: the signing input is exactly the text before the second dot.
  return {
    header,
    headerB64,
    payloadB64,
    signatureB64,
    signature,
    signingInput: t.slice(0, second),
    payloadBytes,
    alg: header.alg
  }
}

// Tokens from one issuer share their header segment: parse each distinct one once (a copy goes to the caller). The
// last one used is checked first by plain string equality, which skips hashing the segment for the Map.
const headerCache = new Map<string, Record<string, unknown>>()
let lastHeaderB64 = ''
let lastHeader: Record<string, unknown> | null = null
function parsedHeader(headerB64: string): Record<string, unknown> {
  if (lastHeader !== null && headerB64 === lastHeaderB64) return { ...lastHeader }
  let h = headerCache.get(headerB64)
  if (!h) {
    h = parseJsonObject(b64urlDecode(headerB64, 'header'), 'header')
    // Only flat headers are shared: a copy of one with nested values (crit, x5c, jwk) would still share those.
    if (headerB64.length <= 1024 && Object.values(h).every((v) => v === null || typeof v !== 'object')) {
      if (headerCache.size >= 256) headerCache.clear()
      headerCache.set(headerB64, h)
    } else return h
  }
  lastHeaderB64 = headerB64
  lastHeader = h
  return { ...h }
}

export function parseJsonObject(bytes: Buffer, part: 'header' | 'payload'): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(bytes.toString('utf8'))
  } catch {
    fail('JWT_MALFORMED', `The token's ${part} is not JSON.`, { part })
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    fail('JWT_MALFORMED', `The token's ${part} is not a JSON object.`, { part })
  return v as Record<string, unknown>
}
