import { z } from 'zod'
import { lazy } from './define'
import { writes } from './channel'
import { noControls, wellFormed, searchPage, recordId, Version } from './fields'
import { recordChannels } from './records'

/**
 * Fess-shaped access tokens in the local store (contracts/fess.md). The token value (60 letters/digits from a secure
 * random source) lives in the keychain only; results carry it masked, and only 'accessTokens:reveal' returns it.
 */

export const AccessTokenId = recordId('an access token')
/** True when `yyyy-MM-ddTHH:mm:ss` names a real instant (read as UTC): no 30 February, no hour 24. */
export function isCalendarTime(v: string): boolean {
  const d = new Date(`${v}Z`)
  return Number.isFinite(d.getTime()) && d.toISOString().slice(0, 19) === v
}
/** Fess: `yyyy-MM-ddTHH:mm:ss`, no zone (the server's own time zone). */
export const FessExpires = lazy(() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expires must look like 2026-12-31T23:59:59 (Fess, no zone)')
    // The shape alone lets 2026-02-30 or 24:00 through, which no reader can turn into an instant.
    .refine(isCalendarTime, {
      message: 'expires must be a real date and time, like 2026-12-31T23:59:59'
    })
)
/** One permission per line, as typed: `{role}admin-api`, `{user}bob`, `{group}ops`, `(deny){user}eve` or a plain value. */
export const Permissions = lazy(() =>
  z
    .union([z.array(wellFormed(z.string().max(1000))).max(1000), wellFormed(z.string().max(10000))])
    .transform((v) => (Array.isArray(v) ? v : v.split(/\r?\n/)))
)

/** As stored: trimmed, 1–1000 characters, no controls. Inputs trim first, then check. */
export const AccessTokenName = lazy(() =>
  noControls(z.string().min(1, 'name is required').max(1000, 'name is 1–1000 characters (Fess)'))
)
const NameInput = lazy(() => z.string().trim().pipe(AccessTokenName))
export const ParameterName = lazy(() => wellFormed(z.string().max(10000)))

const AccessTokenIdInput = lazy(() => z.strictObject({ id: AccessTokenId }))

/** The inputs of the access token channels (see recordChannels); reveal takes get's. */
export const AccessTokenInputs = {
  /** The token value is generated (60 letters and digits) into the keychain, never given. */
  add: lazy(() =>
    z.strictObject({
      name: NameInput,
      permissions: Permissions.default([]),
      parameterName: ParameterName.nullable().optional(),
      expires: FessExpires.nullable().optional()
    })
  ),
  /** Name, permissions, parameter name or expiry; or a new token value. */
  update: lazy(() =>
    z.strictObject({
      id: AccessTokenId,
      version: Version,
      name: NameInput.optional(),
      permissions: Permissions.optional(),
      parameterName: ParameterName.nullable().optional(),
      expires: FessExpires.nullable().optional(),
      /** Make a new token value (the old one stops working on the server once pushed). */
      regenerate: z.boolean().optional()
    })
  ),
  get: AccessTokenIdInput,
  delete: lazy(() => z.strictObject({ id: AccessTokenId, version: Version })),
  list: lazy(() => searchPage(200))
}

export interface PermissionLine {
  /** As the user wrote it (trimmed). */
  line: string
  /** As Fess stores it: R/1/2 prefixes, D for deny. */
  encoded: string
  /** What Fess will answer when read back (decoded by the first character). */
  readBack: string
  kind: 'role' | 'user' | 'group' | 'plain'
  deny: boolean
}

export interface AccessTokenRecord {
  id: string
  name: string
  /** e.g. `AbCd…wxYz`: the value itself only through reveal. */
  tokenMasked: string | null
  hasToken: boolean
  permissions: string[]
  permissionLines: PermissionLine[]
  parameterName: string | null
  expires: string | null
  expired: boolean
  created: string
  updated: string
  version: number
  origin: { connectionId: string; remoteId: string | null; pulledAt: string | null } | null
  /** Plain permission values Fess would read back changed (e.g. `Robert` -> `{role}obert`). */
  warnings: string[]
}

export const accessTokensChannels = /* @__PURE__ */ recordChannels<AccessTokenRecord>()(
  'accessTokens',
  AccessTokenInputs,
  {
    /** Show the token value (audited) */
    'accessTokens:reveal': writes<{ id: string; token: string }>()(AccessTokenIdInput)
  }
)
