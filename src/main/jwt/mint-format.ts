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

/** Lines start..start+n-1 of a mint run, as one string of whole lines. Pure and synchronous: a worker runs it. */
export function mintLines(plan: MintPlan, start: number, n: number): string {
  const open = plan.baseJson.length > 2 ? `${plan.baseJson.slice(0, -1)},"jti":` : '{"jti":'
  let out = ''
  for (let i = start; i < start + n; i++) {
    const jti = randomUUID()
    const token = signCompact(plan.alg, plan.key, plan.headerB64, `${open}"${jti}"}`)
    // Tokens and UUIDs need no quoting in JSON or CSV (base64url, dots, hex and dashes only).
    out += plan.format === 'csv' ? `${i + 1},${jti},${token}\n` : `{"n":${i + 1},"jti":"${jti}","token":"${token}"}\n`
  }
  return out
}
