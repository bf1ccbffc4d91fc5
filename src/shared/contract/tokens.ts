import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import type { JwtVerifyWarning } from './jwt'
import { UnixSeconds, isoInRange, noControls, wellFormed, noInput, Version, type KeysetPage } from './fields'
import { JWT_ALGORITHMS } from './algorithms'
import type { LifeState, RecordVerb, TokenVerb, TOKEN_STATE_TABLE } from './token-states'

/**
 * The local store's lifecycle tokens, shaped like xdua's token resource (seeds/002, contracts/xdua.md).
 * Field rules come from the seed's ADD and SET tables; a violation is VALIDATION naming the field and the rule.
 */

// ---------------------------------------------------------------------------------------------------------------
// Field rules (seed 002: ADD and SET tables)

/** 8 letters/digits, like xdua's `rYub4wrT`. */
export const TokenId = lazy(() => z.string().regex(/^[A-Za-z0-9]{8}$/, 'a token id is 8 letters or digits'))
export const NAME_RULE =
  '4–32 characters: letters, digits, CJK or underscore, starting with a letter or CJK (seed 002, SET)'
export const TOKEN_NAME_RE = /^[A-Za-z\p{Script=Han}][A-Za-z0-9_\p{Script=Han}]{3,31}$/u
export const TokenName = lazy(() => z.string().regex(TOKEN_NAME_RE, `name must be ${NAME_RULE}`))
export const Brief = lazy(() => wellFormed(z.string().max(64, 'brief is at most 64 characters (seed 002, SET)')))
export const Avatar = lazy(() => wellFormed(z.string().max(40, 'avatar is at most 40 characters (seed 002, SET)')))
export const JTI_RE = /^[A-Za-z0-9]{1,8}$/
export const Jti = lazy(() => z.string().regex(JTI_RE, 'jti is 1–8 letters or digits (seed 002, ADD)'))
/** `*` or a list of IPv4/IPv6 addresses and CIDR blocks (checked precisely in the service with node:net). */
// Separators are commas, spaces and tabs only: a line break or another control in a list would reach the terminal.
export const IPM_RE = /^(\*|[0-9A-Fa-f:./]+([, \t]+[0-9A-Fa-f:./]+)*)$/
export const DVM_RE = /^(\*|[A-Za-z0-9._:-]{1,64}([, \t]+[A-Za-z0-9._:-]{1,64})*)$/
export const Ipm = lazy(() =>
  z
    .string()
    .min(1, 'ipm is required: `*` or a list of IPs/CIDRs')
    .max(2000)
    .regex(IPM_RE, 'ipm is `*` or a comma-separated list of IPs/CIDRs (seed 002, ADD)')
)
export const Dvm = lazy(() =>
  z
    .string()
    .min(1, 'dvm is required: `*` or a list of device ids')
    .max(2000)
    .regex(DVM_RE, 'dvm is `*` or a comma-separated list of device ids (letters, digits, . _ : -)')
)
export const TYP_RE = /^[A-Za-z]{1,8}$/
/** Longest value of each free-text claim field (the others have their own rule above). */
export const CLAIM_MAX = { aud: 64, sap: 64, tag: 64, api: 256, bug: 64, shop: 64, role: 256, rule: 256 } as const
const Field = (name: keyof typeof CLAIM_MAX) =>
  noControls(
    z
      .string()
      .min(1, `${name} is required (seed 002, ADD)`)
      .max(CLAIM_MAX[name], `${name} is at most ${CLAIM_MAX[name]} characters`)
  )
/** The algorithms a token may be signed with: every one the app supports. */
export const SIGN_ALGS = JWT_ALGORITHMS
// In a module of their own: the JWT templates use them without building the tokens domain's schemas.
export { CLAIM_FIELDS, type ClaimField } from './claims'

export const TokenKeyName = lazy(() => noControls(z.string().min(1).max(100)))
const KeyName = TokenKeyName
const IN_RANGE = 'must lie between 1970 and the end of the year 9999'
/** An ISO date/time or date inside the UNIX-seconds range. */
const IsoTime = lazy(() => z.union([z.iso.datetime({ offset: true }), z.iso.date()]).refine(isoInRange, IN_RANGE))
/** Expiry: ISO date/time, or UNIX seconds (0 = never, as xdua's `expire`). */
const Expire = lazy(() => z.union([UnixSeconds, IsoTime]))
/** Relative expiry in seconds: at most 1,000 years, so now + expiresIn stays inside the UNIX-seconds range. */
const ExpiresIn = lazy(() =>
  z
    .number()
    .int()
    .positive()
    .max(1000 * 366 * 86400, 'expiresIn is at most 1,000 years')
)

export const TokenAddInput = lazy(() =>
  z
    .strictObject({
      name: TokenName.optional(),
      brief: Brief.default(''),
      avatar: Avatar.default(''),
      typ: z.string().regex(TYP_RE, 'typ is 1–8 letters (L = login token, seed 002)'),
      aud: Field('aud'),
      sap: Field('sap'),
      jti: Jti,
      ipm: Ipm,
      dvm: Dvm,
      tag: Field('tag'),
      api: Field('api'),
      bug: Field('bug'),
      shop: Field('shop'),
      role: Field('role'),
      rule: Field('rule'),
      alg: z.enum(SIGN_ALGS).optional(),
      keyName: KeyName.optional(),
      /** Absolute expiry, or `expiresIn` seconds from now; neither = never. */
      expire: Expire.optional(),
      expiresIn: ExpiresIn.optional()
    })
    // Both would leave one silently unused: the record must read back what was sent.
    .refine((v) => v.expire === undefined || v.expiresIn === undefined, {
      message: 'give expire or expiresIn, not both',
      path: ['expiresIn']
    })
)

const IdVersion = { id: TokenId, version: Version }

export const TokenSetInput = lazy(() =>
  z.strictObject({
    ...IdVersion,
    name: TokenName.optional(),
    brief: Brief.optional(),
    avatar: Avatar.optional(),
    alg: z.enum(SIGN_ALGS).nullable().optional(),
    keyName: KeyName.nullable().optional(),
    expire: Expire.optional()
  })
)

export const TokenVerbInput = lazy(() => z.strictObject(IdVersion))
export const TokenDisInput = lazy(() =>
  z.strictObject({
    ...IdVersion,
    reason: noControls(z.string().max(64, 'reason (stato) is at most 64 characters')).optional()
  })
)
export const TokenIdInput = lazy(() => z.strictObject({ id: TokenId }))

export const TOKEN_SORTS = ['name', 'created', 'updated', 'expiry'] as const
export const TokenListInput = lazy(() =>
  z.strictObject({
    state: z.enum(['enabled', 'disabled']).optional(),
    published: z.boolean().optional(),
    /** true: the recycle bin; false (default): live tokens. */
    bin: z.boolean().default(false),
    creator: noControls(z.string().max(64)).optional(),
    /** Tokens whose creator starts with this text (the console's Creator filter). */
    creatorPrefix: noControls(z.string().max(64)).optional(),
    /** Tokens with an expiry before this time (ISO or UNIX seconds); never-expiring tokens are not included. */
    expiringBefore: z.union([UnixSeconds.positive(), IsoTime]).optional(),
    /**
     * Tokens with an expiry after this time (same forms): with `now`, the tokens not yet expired; with expiringBefore,
     * a window (the dashboard's "expiring in 7 days" opens the list with exactly the tokens it counted).
     */
    expiringAfter: z.union([UnixSeconds, IsoTime]).optional(),
    /** Substring of name or brief (case-insensitive for ASCII). */
    search: wellFormed(z.string().min(1).max(64)).optional(),
    origin: z.enum(['local', 'pulled']).optional(),
    sort: z.enum(TOKEN_SORTS).default('updated'),
    dir: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    /** Opaque keyset cursor from a previous page's `nextCursor`. */
    cursor: z.string().max(500).optional()
  })
)
export const TokenQueryInput = lazy(() => TokenListInput.omit({ bin: true }))
/**
 * A keyset cursor for an absolute row position under tokens:list's filters and sort (a far jump in the console): the
 * page is then read by tokens:list with this cursor, so paging stays keyset.
 */
export const TokenSeekInput = lazy(() =>
  TokenListInput.omit({ limit: true, cursor: true })
    .extend({ position: z.number().int().min(0).max(100_000_000) })
    .strict()
)

export const TokenCheckInput = lazy(() =>
  z.strictObject({
    token: z.string().min(1).max(16384),
    ip: z.string().max(64).optional(),
    device: z.string().max(64).optional()
  })
)

export const TokenMintInput = lazy(() =>
  z.strictObject({
    id: TokenId,
    expiresIn: ExpiresIn.optional(),
    /** Sign even with an HMAC secret shorter than the hash (RFC 7518 §3.2); the answer carries a warning. */
    allowWeakKey: z.boolean().optional()
  })
)

export const TokenSeedInput = lazy(() =>
  z.strictObject({
    count: z.number().int().min(1).max(5_000_000),
    /** Deterministic demo data for benchmarks. */
    seed: z.number().int().optional()
  })
)

export const TokenExportInput = lazy(() =>
  z.strictObject({
    file: z.string().min(1).max(4096),
    kinds: z.array(z.enum(['tokens', 'accessTokens', 'ssoApps'])).optional(),
    overwrite: z.boolean().default(false),
    /** jsonl: the whole store, re-importable; csv: the lifecycle tokens as a table for spreadsheets. */
    format: z.enum(['jsonl', 'csv']).default('jsonl')
  })
)
export const TokenImportInput = lazy(() =>
  z.strictObject({
    file: z.string().min(1).max(4096),
    /** Rows per transaction: a crash keeps every committed batch whole. */
    batchSize: z.number().int().min(1).max(100_000).default(10_000)
  })
)

// ---------------------------------------------------------------------------------------------------------------
// Results

export interface TokenRecord {
  id: string
  name: string
  brief: string
  avatar: string
  typ: string
  aud: string
  sap: string
  jti: string
  ipm: string
  dvm: string
  tag: string
  api: string
  bug: string
  shop: string
  role: string
  rule: string
  /** xdua: 0 enabled, 1 disabled; `stato` the status text. */
  state: 0 | 1
  stato: string
  published: boolean
  deleted: boolean
  deletedAt: string | null
  /** UNIX seconds, 0 = never (xdua `expire`). */
  expire: number
  alg: string | null
  keyName: string | null
  creator: string
  updater: string
  /** xdua form `YYYY-MM-DD HH:mm:ss` (UTC). */
  cstamp: string
  istamp: string
  version: number
  lifeState: LifeState
  /** Record verbs allowed from lifeState (read-only copies: only GET/GIT). */
  verbs: RecordVerb[]
  /** Set on a read-only copy pulled from a server. */
  origin: { connectionId: string; remoteId: string | null; pulledAt: string | null } | null
  /**
   * Time fields whose stored value lies outside the contract's range (written before the ranges, or by hand): they
   * read clamped into the range (0 or the year 9999) rather than failing the page. Absent when every time is valid.
   */
  outOfRange?: string[]
}

export interface TokenVerbResult {
  id: string
  verb: TokenVerb
  /** Changed fields (xdua SET answers `{id, updates}`). */
  updates: Record<string, unknown>
  record: TokenRecord
}

export type TokenPage = KeysetPage<TokenRecord>

export interface TokenSeek {
  /** Pass as tokens:list `cursor` to read from `position` on; null at position 0 (the first page has no cursor). */
  cursor: string | null
  /** true: the query has no row at `position` (fewer rows than that). */
  end: boolean
}

export interface TokenCounts {
  /** Live tokens (not in the bin). */
  live: number
  enabled: number
  disabled: number
  online: number
  offline: number
  bin: number
  total: number
}

/** Live tokens expiring per day (tokens:expiry): perDay[d] counts expiries in [from + d days, from + d + 1 days). */
export interface TokenExpiry {
  /** UNIX seconds: now, on the store's clock (an expiry at `from` or before is past). */
  from: number
  perDay: number[]
}
/**
 * How many tokens tokens:list's filters match (tokens:count), counted up to `cap`: a count stops at the cap so a
 * common filter over a large store costs a bounded read, and the console shows "10,000+".
 */
export const TokenCountInput = lazy(() =>
  TokenListInput.omit({ limit: true, cursor: true, sort: true, dir: true })
    .extend({ cap: z.number().int().min(1).max(100_000).default(10_000) })
    .strict()
)
export interface TokenMatchCount {
  /** Matching tokens, at most `cap`. */
  count: number
  /** true: there are more than `count` (the cap was reached). */
  capped: boolean
}
/** A match count in words, as the console and the CLI print it: "1 token matches", "561 tokens match", "10,000+ tokens match". */
export function matchCountText({ count, capped }: TokenMatchCount): string {
  return `${count.toLocaleString('en')}${capped ? '+' : ''} ${count === 1 && !capped ? 'token matches' : 'tokens match'}`
}
export const TokenExpiryInput = lazy(() =>
  z.strictObject({ days: z.number().int().min(1).max(366).default(90) }).default({ days: 90 })
)

export const CHECK_NAMES = [
  'format',
  'record',
  'signature',
  'deleted',
  'enabled',
  'published',
  'expired',
  'ip',
  'device'
] as const
export type CheckName = (typeof CHECK_NAMES)[number]
export interface TokenCheckResult {
  valid: boolean
  /** The first check that failed, or null. */
  failed: CheckName | null
  id: string | null
  checks: Array<{ name: CheckName; ok: boolean | null; detail: string }>
  /** What the signature check accepted with a warning (a weak HMAC key); always present, empty when none. */
  warnings: JwtVerifyWarning[]
}

export interface TokenImportResult {
  imported: { tokens: number; accessTokens: number; ssoApps: number }
  /** A refused line: kind `line`, id its line number, code VALIDATION and the reason naming the field. */
  skipped: Array<{ kind: string; id: string; reason: string; code?: 'VALIDATION' }>
  skippedCount: number
  /** Records whose secrets were not in the file (exports never carry them): add them with update/reveal flows. */
  lackingSecrets: Array<{ kind: 'accessToken' | 'ssoApp'; id: string; name: string; missing: string[] }>
  /** Lifecycle tokens naming a signing key this store does not have. */
  missingKeys: string[]
  batches: number
  rowsPerSecond: number
}

export interface TokenExportResult {
  file: string
  counts: { tokens: number; accessTokens: number; ssoApps: number }
  /** Always true: secrets never leave the keychain through an export. */
  secretsExcluded: true
}

// Lambdas, not writes<O>()/reads<O>() called at load: a call at module level keeps the channel table in the
// renderer's bundle (test/shell/renderer-chunks.test.ts), which imports this module for its forms' schemas.
/** A lifecycle verb (xdua's names): it changes the token and answers with the record after it. */
const verbChannel = <I extends z.ZodType>(input: I) => writes<TokenVerbResult>()(input)
/** One token's detail, read only. */
const readChannel = <I extends z.ZodType>(input: I) => reads<TokenRecord>()(input)
/** A page of tokens, read only. */
const pageChannel = <I extends z.ZodType>(input: I) => reads<TokenPage>()(input)

export const tokensChannels = {
  /** ADD: create a lifecycle token (enabled, offline) */
  'tokens:add': verbChannel(TokenAddInput),
  /** SET: change name, brief, avatar, expiry or signing key */
  'tokens:set': verbChannel(TokenSetInput),
  /** DOL: move to the recycle bin */
  'tokens:dol': verbChannel(TokenVerbInput),
  /** RCC: recover from the recycle bin */
  'tokens:rcc': verbChannel(TokenVerbInput),
  /** DIS: disable (freeze) */
  'tokens:dis': verbChannel(TokenDisInput),
  /** ENB: enable (unfreeze) */
  'tokens:enb': verbChannel(TokenVerbInput),
  /** OFF: take offline */
  'tokens:off': verbChannel(TokenVerbInput),
  /** PUB: publish (online) */
  'tokens:pub': verbChannel(TokenVerbInput),
  /** GET: detail of any token, bin included */
  'tokens:get': readChannel(TokenIdInput),
  /** GIT: private detail of your own token */
  'tokens:git': readChannel(TokenIdInput),
  /** QRY: query your own tokens */
  'tokens:qry': pageChannel(TokenQueryInput),
  /** QRI: query all visible tokens */
  'tokens:qri': pageChannel(TokenQueryInput),
  /** DEL: delete for good */
  'tokens:del': writes<{ id: string; verb: 'DEL' }>()(TokenVerbInput),
  /** Filtered, sorted, keyset-paged list (bin view too) */
  'tokens:list': pageChannel(TokenListInput),
  /** Keyset cursor for a row position under tokens:list filters and sort (far jumps) */
  'tokens:seek': reads<TokenSeek>()(TokenSeekInput),
  /** How many tokens a tokens:list filter matches, counted up to a cap */
  'tokens:count': reads<TokenMatchCount>()(TokenCountInput),
  /** Creators of stored tokens starting with a prefix, in order (filter suggestions) */
  'tokens:creators': reads<{ creators: string[] }>()(
    lazy(() =>
      z.strictObject({
        prefix: noControls(z.string().max(64)).default(''),
        limit: z.number().int().min(1).max(50).default(20)
      })
    )
  ),
  /** Counts per state for the sidebar */
  'tokens:counts': reads<TokenCounts>()(noInput()),
  /** Live tokens expiring per day for the next N days (the dashboard timeline) */
  'tokens:expiry': reads<TokenExpiry>()(TokenExpiryInput),
  /** The lifecycle state machine */
  'tokens:stateTable': reads<{ table: typeof TOKEN_STATE_TABLE; markdown: string }>()(noInput()),
  /** Sign a test JWT from a record with its key (audited; the token is in the answer) */
  'tokens:mint': writes<{ id: string; token: string; payload: Record<string, unknown>; warnings: string[] }>()(
    TokenMintInput
  ),
  /** Check a JWT minted from a record: signature, enabled, published, not deleted, not expired, ip, device */
  'tokens:check': reads<TokenCheckResult>()(TokenCheckInput),
  /** Make realistic demo tokens (job) */
  'tokens:seed': writes<{ jobId: string }>()(TokenSeedInput),
  /** Export the store as JSON lines (or the tokens as CSV), secrets excluded (job) */
  'tokens:export': writes<{ jobId: string }>()(TokenExportInput),
  /** Import JSON lines in transactional batches (job) */
  'tokens:import': writes<{ jobId: string }>()(TokenImportInput)
}
