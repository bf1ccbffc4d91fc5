import type { z } from 'zod'
import type { KeyMaterialSource, SecretEncodingName } from '../../../shared/contract'

export type KeySource = z.input<typeof KeyMaterialSource>

export interface DetectedKey {
  kind: 'pem' | 'jwk' | 'jwks' | 'secret'
  /** For a JWKS: the kids it holds, so the user picks one. */
  kids: string[]
  label: string
}

/** Says what pasted or dropped key text is: PEM, a JWK, a JWKS, or (anything else) a raw HMAC secret. */
export function detectKeyText(text: string): DetectedKey | null {
  const t = text.trim()
  if (!t) return null
  if (t.startsWith('-----BEGIN')) {
    const m = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(t)
    return { kind: 'pem', kids: [], label: m ? `PEM (${m[1].toLowerCase()})` : 'PEM' }
  }
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>
      if (Array.isArray(o.keys)) {
        const kids = (o.keys as Record<string, unknown>[]).map((k, i) => (typeof k.kid === 'string' ? k.kid : `#${i}`))
        return { kind: 'jwks', kids, label: `JWKS with ${kids.length} key${kids.length === 1 ? '' : 's'}` }
      }
      return { kind: 'jwk', kids: [], label: `JWK (kty ${String(o.kty ?? '?')})` }
    } catch {
      return null
    }
  }
  return { kind: 'secret', kids: [], label: 'raw secret (HMAC)' }
}

export function keySourceFrom(
  text: string,
  detected: DetectedKey,
  opts: { kid?: string; encoding?: SecretEncodingName }
): KeySource {
  const t = text.trim()
  switch (detected.kind) {
    case 'pem':
      return { pem: t }
    case 'jwk':
      return { jwk: JSON.parse(t) as Record<string, unknown> }
    case 'jwks':
      return { jwk: JSON.parse(t) as Record<string, unknown>, ...(opts.kid ? { kid: opts.kid } : {}) }
    case 'secret':
      return { secret: text, ...(opts.encoding ? { encoding: opts.encoding } : {}) }
  }
}
