import {
  lifeStateOf,
  verbsFrom,
  type LifeState,
  type TokenRecord,
  type ClaimField,
  type RecordVerb
} from '../../shared/contract'
import type { Db } from '../db'
import { clampTime, iso, xduaStamp } from './util'
import { MAX_UNIX_MS, MAX_UNIX_S } from '../../shared/contract/fields'

/**
 * A tokens row with its claims unpacked (tokenRow() makes one of what SQLite returns). Column names are stable: the
 * remote domain writes pulled copies.
 */
export interface TokenRow extends Record<ClaimField, string> {
  rid: number
  id: string
  name: string
  brief: string
  avatar: string
  state: number
  stato: string
  published: number
  deleted_at: number | null
  bin: number
  expire: number
  alg: string | null
  key_ref: string | null
  creator: string
  updater: string
  cstamp: number
  istamp: number
  version: number
  origin_connection_id: string | null
  remote_id: string | null
  pulled_at: number | null
}

/** The `claims` column (schema v3, tokensV3): the claim fields as a JSON array in CLAIM_FIELDS order ('' if absent). */
export function packClaims(c: Readonly<Partial<Record<ClaimField, string>>>): string {
  // Named reads rather than CLAIM_FIELDS.map(f => c[f]): cheaper, and an import calls this per line.
  return JSON.stringify([
    c.typ ?? '',
    c.aud ?? '',
    c.sap ?? '',
    c.jti ?? '',
    c.ipm ?? '',
    c.dvm ?? '',
    c.tag ?? '',
    c.api ?? '',
    c.bug ?? '',
    c.shop ?? '',
    c.role ?? '',
    c.rule ?? ''
  ])
}

/**
 * The columns every reader of a token row selects, in this order: tokenRow() reads them by position. Rows come back
 * as arrays (better-sqlite3's `.raw()`), which skips building an object per row through V8's C++ API, and become one
 * object literal each.
 */
export const TOKEN_COLUMNS = [
  'rid',
  'id',
  'name',
  'brief',
  'avatar',
  'claims',
  'state',
  'stato',
  'published',
  'deleted_at',
  'bin',
  'expire',
  'alg',
  'key_ref',
  'creator',
  'updater',
  'cstamp',
  'istamp',
  'version',
  'origin_connection_id',
  'remote_id',
  'pulled_at'
] as const
/** TOKEN_COLUMNS as a select list, each column qualified by `alias.` when given. */
export function tokenSelect(alias?: string): string {
  return alias ? TOKEN_COLUMNS.map((c) => `${alias}.${c}`).join(', ') : TOKEN_COLUMNS.join(', ')
}

/**
 * A row selected as tokenSelect() lists it, with the claims (schema v3: one JSON array in CLAIM_FIELDS order, as
 * packClaims writes it) unpacked; a test holds both to CLAIM_FIELDS.
 */
export function tokenRow(v: readonly unknown[]): TokenRow {
  // Destructured in CLAIM_FIELDS order (no slower than indexed reads on this per-row path); a missing field reads ''.
  const [
    typ = '',
    aud = '',
    sap = '',
    jti = '',
    ipm = '',
    dvm = '',
    tag = '',
    api = '',
    bug = '',
    shop = '',
    role = '',
    rule = ''
  ] = JSON.parse(v[5] as string) as string[]
  return {
    rid: v[0] as number,
    id: v[1] as string,
    name: v[2] as string,
    brief: v[3] as string,
    avatar: v[4] as string,
    typ,
    aud,
    sap,
    jti,
    ipm,
    dvm,
    tag,
    api,
    bug,
    shop,
    role,
    rule,
    state: v[6] as number,
    stato: v[7] as string,
    published: v[8] as number,
    deleted_at: v[9] as number | null,
    bin: v[10] as number,
    expire: v[11] as number,
    alg: v[12] as string | null,
    key_ref: v[13] as string | null,
    creator: v[14] as string,
    updater: v[15] as string,
    cstamp: v[16] as number,
    istamp: v[17] as number,
    version: v[18] as number,
    origin_connection_id: v[19] as string | null,
    remote_id: v[20] as string | null,
    pulled_at: v[21] as number | null
  }
}

export function rowLifeState(r: TokenRow): LifeState {
  return lifeStateOf({ enabled: r.state === 0, published: r.published === 1, deleted: r.deleted_at !== null })
}

export function toRecord(r: TokenRow): TokenRecord {
  const lifeState = rowLifeState(r)
  // Stored times outside the contract's range read clamped and are named in outOfRange (never a failed page).
  const outOfRange: string[] = []
  const time = (field: string, v: number, max: number) => {
    const c = clampTime(v, max)
    if (c.clamped) outOfRange.push(field)
    return c.value
  }
  const cstamp = time('cstamp', r.cstamp, MAX_UNIX_MS)
  const istamp = time('istamp', r.istamp, MAX_UNIX_MS)
  const expire = time('expire', r.expire, MAX_UNIX_S)
  const deletedAt = r.deleted_at === null ? null : time('deletedAt', r.deleted_at, MAX_UNIX_MS)
  const pulledAt = r.pulled_at === null ? null : time('origin.pulledAt', r.pulled_at, MAX_UNIX_MS)
  const readOnly = r.origin_connection_id !== null
  const verbs: RecordVerb[] = readOnly
    ? verbsFrom(lifeState).filter((v) => v === 'GET' || v === 'GIT')
    : verbsFrom(lifeState)
  return {
    id: r.id,
    name: r.name,
    brief: r.brief,
    avatar: r.avatar,
    typ: r.typ,
    aud: r.aud,
    sap: r.sap,
    jti: r.jti,
    ipm: r.ipm,
    dvm: r.dvm,
    tag: r.tag,
    api: r.api,
    bug: r.bug,
    shop: r.shop,
    role: r.role,
    rule: r.rule,
    state: r.state === 1 ? 1 : 0,
    stato: r.stato,
    published: r.published === 1,
    deleted: r.deleted_at !== null,
    deletedAt: iso(deletedAt),
    expire,
    alg: r.alg,
    keyName: r.key_ref,
    creator: r.creator,
    updater: r.updater,
    cstamp: xduaStamp(cstamp),
    istamp: xduaStamp(istamp),
    version: r.version,
    lifeState,
    verbs,
    origin: readOnly
      ? { connectionId: r.origin_connection_id as string, remoteId: r.remote_id, pulledAt: iso(pulledAt) }
      : null,
    ...(outOfRange.length ? { outOfRange } : {})
  }
}

/** Reads one token by id (undefined if there is none); the lifecycle and the remote push share it. */
export function tokenFinder(db: Db): (id: string) => TokenRow | undefined {
  const byId = db.prepare<[string], unknown[]>(`SELECT ${tokenSelect()} FROM tokens WHERE id = ?`).raw()
  return (id) => {
    const v = byId.get(id)
    return v && tokenRow(v)
  }
}
