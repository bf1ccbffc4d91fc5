import type { z } from 'zod'
import { CLAIM_FIELDS, TokenLine, tokenValuesOk } from '../../../shared/contract'
import { packClaims, TOKEN_COLUMNS } from '../row'

/**
 * Column order of the bulk insert (positional parameters bind faster than named ones): the columns a reader selects,
 * but for the rowid and the generated `bin`.
 */
export const INSERT_COLUMNS = TOKEN_COLUMNS.filter((c) => c !== 'rid' && c !== 'bin')

export type TokenLineData = z.infer<typeof TokenLine>
/** A token row's insert arguments, in INSERT_COLUMNS order. */
export type Args = Array<string | number | null>
/** Index of key_ref in the insert arguments (the import reports names of keys the store lacks). */
export const KEY_ARG = INSERT_COLUMNS.indexOf('key_ref')
const MAX_STR = 10000
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_STR
const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v)
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isIntOrNull = (v: unknown): v is number | null => v === null || Number.isSafeInteger(v)
const ID_RE = /^[A-Za-z0-9]{8}$/

/** The insert arguments of a token line, in INSERT_COLUMNS order. */
export function tokenArgs(l: TokenLineData): Args {
  const o = l.origin
  return [
    l.id,
    l.name,
    l.brief,
    l.avatar,
    packClaims(l),
    l.state,
    l.stato || (l.state === 0 ? 'enabled' : 'disabled'),
    l.published ? 1 : 0,
    l.deletedAt,
    l.expire,
    l.alg,
    l.keyName,
    l.creator,
    l.updater,
    l.cstamp,
    l.istamp,
    l.version,
    o?.connectionId ?? null,
    o?.remoteId ?? null,
    o?.pulledAt ?? null
  ]
}

/**
 * The common case of a token line (every field present, exactly as export writes it) checked by hand: per-line zod
 * parsing was most of the import's time. Strictly narrower than TokenLine (safe integers only, no defaults to fill), so
 * any line it passes TokenLine passes unchanged; everything else goes through TokenLine for the same verdict and
 * message as before.
 */
export function fastTokenLine(j: Record<string, unknown>): TokenLineData | undefined {
  const o = j.origin
  if (
    typeof j.id === 'string' &&
    ID_RE.test(j.id) &&
    typeof j.name === 'string' &&
    j.name.length >= 1 &&
    j.name.length <= 64 &&
    isStr(j.brief) &&
    isStr(j.avatar) &&
    isStr(j.typ) &&
    isStr(j.aud) &&
    isStr(j.sap) &&
    isStr(j.jti) &&
    isStr(j.ipm) &&
    isStr(j.dvm) &&
    isStr(j.tag) &&
    isStr(j.api) &&
    isStr(j.bug) &&
    isStr(j.shop) &&
    isStr(j.role) &&
    isStr(j.rule) &&
    (j.state === 0 || j.state === 1) &&
    isStr(j.stato) &&
    typeof j.published === 'boolean' &&
    isIntOrNull(j.deletedAt) &&
    isInt(j.expire) &&
    j.expire >= 0 &&
    isStrOrNull(j.alg) &&
    isStrOrNull(j.keyName) &&
    isStr(j.creator) &&
    isStr(j.updater) &&
    isInt(j.cstamp) &&
    isInt(j.istamp) &&
    isInt(j.version) &&
    j.version > 0 &&
    (o === null ||
      (typeof o === 'object' &&
        !Array.isArray(o) &&
        isStr((o as Record<string, unknown>).connectionId) &&
        isStrOrNull((o as Record<string, unknown>).remoteId) &&
        isIntOrNull((o as Record<string, unknown>).pulledAt))) &&
    tokenValuesOk({ ...(j as unknown as TokenLineData), claims: CLAIM_FIELDS.map((f) => j[f] as string) })
  )
    return j as unknown as TokenLineData
  return undefined
}

/** A JSON string's text with nothing that JSON.stringify would escape (and no surrogates): its value is its text. */
const PLAIN_STR = '"([^"\\\\\\u0000-\\u001f\\ud800-\\udfff]*)"'
const JSON_INT = '(-?(?:0|[1-9][0-9]{0,14}))'
/**
 * A token line exactly as `tokens export` writes it (tokenLine below: this key order, no whitespace), every string plain
 * and every integer at most 15 digits (so safe). One regular expression matches, checks and splits such a line, faster
 * than JSON.parse and the checks after it (string creation is most of both; this creates only the values). Anything
 * else (another order, an escape, a big number) takes the general path.
 */
const EXPORTED_TOKEN_LINE = new RegExp(
  `^\\{"kind":"token","id":"([A-Za-z0-9]{8})","name":${PLAIN_STR},"brief":${PLAIN_STR},"avatar":${PLAIN_STR}` +
    CLAIM_FIELDS.map((f) => `,"${f}":${PLAIN_STR}`).join('') +
    `,"state":([01]),"stato":${PLAIN_STR},"published":(true|false),"deletedAt":(?:null|${JSON_INT}),"expire":(0|[1-9][0-9]{0,14})` +
    `,"alg":(?:null|${PLAIN_STR}),"keyName":(?:null|${PLAIN_STR}),"creator":${PLAIN_STR},"updater":${PLAIN_STR}` +
    `,"cstamp":${JSON_INT},"istamp":${JSON_INT},"version":([1-9][0-9]{0,14})` +
    `,"origin":(?:null|\\{"connectionId":${PLAIN_STR},"remoteId":(?:null|${PLAIN_STR}),"pulledAt":(?:null|${JSON_INT})\\})\\}$`
)

/**
 * The insert arguments of a line in export's own form, read by EXPORTED_TOKEN_LINE; undefined for any other line. A
 * line it reads gives exactly what JSON.parse, fastTokenLine and tokenArgs give (a test holds the two ways to each
 * other over exported and mutated lines): the claims array is the values between quotes, as JSON.stringify writes plain
 * strings.
 */
export function exportedTokenArgs(line: string): Args | undefined {
  const m = EXPORTED_TOKEN_LINE.exec(line)
  if (!m) return undefined
  const name = m[2]
  const int = (s: string | undefined) => (s === undefined ? null : Number(s))
  const values = {
    name,
    brief: m[3],
    avatar: m[4],
    claims: m.slice(5, 17),
    stato: m[18],
    deletedAt: int(m[20]),
    expire: Number(m[21]),
    alg: m[22] ?? null,
    keyName: m[23] ?? null,
    creator: m[24],
    updater: m[25],
    cstamp: Number(m[26]),
    istamp: Number(m[27]),
    version: Number(m[28]),
    origin: m[29] === undefined ? null : { connectionId: m[29], remoteId: m[30] ?? null, pulledAt: int(m[31]) }
  }
  if (!tokenValuesOk(values)) return undefined
  const state = m[17] === '1' ? 1 : 0
  return [
    m[1],
    name,
    m[3],
    m[4],
    `["${m[5]}","${m[6]}","${m[7]}","${m[8]}","${m[9]}","${m[10]}","${m[11]}","${m[12]}","${m[13]}","${m[14]}","${m[15]}","${m[16]}"]`,
    state,
    m[18] || (state === 0 ? 'enabled' : 'disabled'),
    m[19] === 'true' ? 1 : 0,
    int(m[20]),
    Number(m[21]),
    m[22] ?? null,
    m[23] ?? null,
    m[24],
    m[25],
    Number(m[26]),
    Number(m[27]),
    Number(m[28]),
    m[29] ?? null,
    m[30] ?? null,
    int(m[31])
  ]
}

/** The insert arguments of a token line by the general path (JSON.parse, then fastTokenLine or TokenLine); for tests. */
export function parsedTokenArgs(line: string): Args | undefined {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return undefined
  }
  if ((json as { kind?: unknown } | null)?.kind !== 'token') return undefined
  const fast = fastTokenLine(json as Record<string, unknown>)
  if (fast) return tokenArgs(fast)
  const parsed = TokenLine.safeParse(json)
  return parsed.success ? tokenArgs(parsed.data) : undefined
}
