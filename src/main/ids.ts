import { randomBytes, randomInt } from 'node:crypto'

/** The alphabet of every generated id: xdua's ADD fields (jti, token ids) allow letters and digits only. */
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Random letters/digits from a secure source, without modulo bias (randomInt rejects out-of-range draws). */
export function randomAlnum(length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)]
  return s
}

let pool = Buffer.alloc(0)
let poolAt = 0
/**
 * Fast variant for bulk demo data (ids and jti only, never secrets): draws from a 64 KiB pool of random bytes so a
 * million-row load does not make a million randomBytes calls. Slight modulo bias is harmless here.
 */
export function quickId(length = 8): string {
  if (poolAt + length > pool.length) {
    pool = randomBytes(65536)
    poolAt = 0
  }
  let s = ''
  for (let i = 0; i < length; i++) s += ALNUM[pool[poolAt++] % 62]
  return s
}
