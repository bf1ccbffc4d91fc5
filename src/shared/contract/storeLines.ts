import { z } from 'zod'
import {
  ActorName,
  UnixMs,
  UnixSeconds,
  hasControl,
  inUnixMs,
  inUnixSeconds,
  isWellFormed,
  noControls,
  wellFormed,
  Version
} from './fields'
import { AccessTokenId, AccessTokenName, FessExpires, ParameterName } from './accessTokens'
import { SsoAppFields, SsoAppId, SsoAppName } from './ssoApps'
import {
  Avatar,
  Brief,
  CLAIM_FIELDS,
  CLAIM_MAX,
  DVM_RE,
  IPM_RE,
  JTI_RE,
  SIGN_ALGS,
  TOKEN_NAME_RE,
  TYP_RE
} from './tokens'
import { TokenAddInput, TokenId, TokenKeyName, TokenName } from './tokens'
import { lazy } from './define'

/**
 * The stored form of each record kind, as `tokens export` writes a line and `tokens import` and a pull read one. Field
 * rules are the add/set channels' own, so a store never holds what add or set would refuse.
 */

/** An id or reference the store keeps as text: no controls, bounded. */
const RefText = lazy(() => noControls(z.string().min(1).max(200)))
export const StoredOrigin = lazy(() =>
  z
    .object({ connectionId: RefText, remoteId: RefText.nullable(), pulledAt: UnixMs.nullable() })
    .nullable()
    .default(null)
)
const Stato = lazy(() => noControls(z.string().max(64, 'stato is at most 64 characters')))

const claimShape = lazy(
  () =>
    Object.fromEntries(CLAIM_FIELDS.map((f) => [f, TokenAddInput.shape[f]])) as {
      [F in (typeof CLAIM_FIELDS)[number]]: (typeof TokenAddInput.shape)[F]
    }
)

export const TokenLine = lazy(() =>
  z.object({
    kind: z.literal('token'),
    id: TokenId,
    name: TokenName,
    brief: Brief.default(''),
    avatar: Avatar.default(''),
    ...claimShape,
    state: z.union([z.literal(0), z.literal(1)]),
    stato: Stato.default(''),
    published: z.boolean(),
    deletedAt: UnixMs.nullable().default(null),
    expire: UnixSeconds,
    alg: z.enum(SIGN_ALGS).nullable().default(null),
    keyName: TokenKeyName.nullable().default(null),
    creator: ActorName,
    updater: ActorName,
    cstamp: UnixMs,
    istamp: UnixMs,
    version: Version.default(1),
    origin: StoredOrigin
  })
)

export const AccessTokenLine = lazy(() =>
  z.object({
    kind: z.literal('accessToken'),
    id: AccessTokenId,
    name: AccessTokenName.refine((v) => v.trim() === v, 'name has no leading or trailing spaces'),
    parameterName: ParameterName.nullable().default(null),
    /** Fess's own form: permission lines joined by a line break. */
    permissions: wellFormed(z.string().max(10000)).default(''),
    expires: FessExpires.nullable().default(null),
    created: UnixMs,
    updated: UnixMs,
    version: Version.default(1),
    origin: StoredOrigin
  })
)

export const SsoAppLine = lazy(() =>
  z.object({
    kind: z.literal('ssoApp'),
    id: SsoAppId,
    name: SsoAppName,
    ...SsoAppFields,
    signKey: SsoAppFields.signKey.default(null),
    created: UnixMs,
    updated: UnixMs,
    version: Version.default(1),
    origin: StoredOrigin
  })
)

/** A token line's values as the fast import parsers read them; claims in CLAIM_FIELDS order. */
export interface TokenLineValues {
  name: string
  brief: string
  avatar: string
  claims: readonly string[]
  stato: string
  deletedAt: number | null
  expire: number
  alg: string | null
  keyName: string | null
  creator: string
  updater: string
  cstamp: number
  istamp: number
  version: number
  origin: { connectionId: string; remoteId: string | null; pulledAt: number | null } | null
}

const ALGS: ReadonlySet<string> = new Set(SIGN_ALGS)
const text = (v: string, min: number, max: number) => v.length >= min && v.length <= max && !hasControl(v)
const ref = (v: string) => text(v, 1, 200)
const claimOk = (f: keyof typeof CLAIM_MAX, v: string) => text(v, 1, CLAIM_MAX[f])

/**
 * TokenLine's field rules as plain checks, for the import's fast parsers (a zod parse per line would dominate a bulk
 * import). A property test holds it equal to TokenLine: it accepts exactly the values TokenLine accepts.
 */
export function tokenValuesOk(v: TokenLineValues): boolean {
  const [typ, aud, sap, jti, ipm, dvm, tag, api, bug, shop, role, rule] = v.claims
  const o = v.origin
  return (
    TOKEN_NAME_RE.test(v.name) &&
    v.brief.length <= 64 &&
    isWellFormed(v.brief) &&
    v.avatar.length <= 40 &&
    isWellFormed(v.avatar) &&
    TYP_RE.test(typ) &&
    claimOk('aud', aud) &&
    claimOk('sap', sap) &&
    JTI_RE.test(jti) &&
    ipm.length >= 1 &&
    ipm.length <= 2000 &&
    IPM_RE.test(ipm) &&
    dvm.length >= 1 &&
    dvm.length <= 2000 &&
    DVM_RE.test(dvm) &&
    claimOk('tag', tag) &&
    claimOk('api', api) &&
    claimOk('bug', bug) &&
    claimOk('shop', shop) &&
    claimOk('role', role) &&
    claimOk('rule', rule) &&
    text(v.stato, 0, 64) &&
    (v.deletedAt === null || inUnixMs(v.deletedAt)) &&
    inUnixSeconds(v.expire) &&
    (v.alg === null || ALGS.has(v.alg)) &&
    (v.keyName === null || text(v.keyName, 1, 100)) &&
    text(v.creator, 0, 64) &&
    text(v.updater, 0, 64) &&
    inUnixMs(v.cstamp) &&
    inUnixMs(v.istamp) &&
    Number.isSafeInteger(v.version) &&
    v.version > 0 &&
    (o === null ||
      (ref(o.connectionId) &&
        (o.remoteId === null || ref(o.remoteId)) &&
        (o.pulledAt === null || inUnixMs(o.pulledAt))))
  )
}
