import { randomUUID } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { Alg } from './algorithms'
import { signCompact } from './codec'

/** What every bulk-mint worker gets once: the key, the encoded header, and the claim set minus the per-token jti. */
export interface MintPlan {
  alg: Alg
  key: KeyObject
  headerB64: string
  /** JSON of the shared claims, without jti (each token appends its own, last, as engine.buildPayload does). */
  baseJson: string
  format: 'jsonl' | 'csv'
}

export const CSV_HEADER = 'n,jti,token\n'

/** Lines start..start+n-1 of a mint run, as one string of whole lines. Pure and synchronous. */
export function mintLines(plan: MintPlan, start: number, n: number): string {
  return mintChunk(plan, start, n).toString('latin1')
}

/**
 * The same lines as bytes, written straight into one buffer: no string of the whole chunk is built and re-encoded.
 * Every line is ASCII (numbers, UUIDs, base64url tokens), so latin1 writes each character as its byte.
 */
export function mintChunk(plan: MintPlan, start: number, n: number): Buffer {
  const open = plan.baseJson.length > 2 ? `${plan.baseJson.slice(0, -1)},"jti":` : '{"jti":'
  let buf = Buffer.allocUnsafe(Math.max(n, 1) * (plan.headerB64.length + plan.baseJson.length * 2 + 300))
  let off = 0
  for (let i = start; i < start + n; i++) {
    const jti = randomUUID()
    const token = signCompact(plan.alg, plan.key, plan.headerB64, `${open}"${jti}"}`)
    // Tokens and UUIDs need no quoting in JSON or CSV (base64url, dots, hex and dashes only).
    const line =
      plan.format === 'csv' ? `${i + 1},${jti},${token}\n` : `{"n":${i + 1},"jti":"${jti}","token":"${token}"}\n`
    // write() truncates silently when full: grow first (only if the size estimate was short).
    if (off + line.length > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, off + line.length))
      buf.copy(bigger, 0, 0, off)
      buf = bigger
    }
    off += buf.write(line, off, 'latin1')
  }
  return buf.subarray(0, off)
}
