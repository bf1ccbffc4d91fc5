import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { noControls, searchPage, recordId, Version } from './fields'
import { recordChannels } from './records'
import type { JwtVerifyResult } from './jwt'

/**
 * Datafor-shaped SSO apps (token configurations) in the local store (contracts/datafor.md). The secret and the older
 * `initpwd` live in the keychain; results say only whether they are stored. 'ssoApps:mint' signs a test token from the
 * Datafor template; 'ssoApps:reveal' is the only way back to the secret.
 */

export const SSO_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const
export const SsoAppId = recordId('an SSO app')
/** Datafor: unique; letters and digits, no special characters. */
export const SsoAppName = lazy(() =>
  z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'name is 1–64 letters or digits, no special characters (Datafor)')
)
const ClaimName = lazy(() =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a claim name is letters, digits, _ . - (starting with a letter or _)')
)
export const Fieldmap = lazy(() =>
  z.strictObject({ username: ClaimName, name: ClaimName.optional(), email: ClaimName.optional() })
)
const Secret = lazy(() => z.string().min(1, 'secret is required').max(16384))

export const SsoAppFields = lazy(() => ({
  tokenName: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'token_name is a URL parameter name (letters, digits, _)'),
  expire: z
    .number()
    .int()
    .min(1)
    .max(10 * 365 * 86400),
  fieldmap: Fieldmap,
  algorithm: z.enum(SSO_ALGORITHMS),
  enable: z.boolean(),
  inituser: z.boolean(),
  initroles: z.array(noControls(z.string().min(1).max(100))).max(100),
  selfService: z.boolean(),
  /** RS/ES apps: the stored secret is the public key (Datafor checks with it); minting signs with this key (keys table). */
  signKey: noControls(z.string().min(1).max(100)).nullable()
}))

/** By id or by (unique) name. */
export const SsoAppRef = lazy(() =>
  z
    .strictObject({ id: SsoAppId.optional(), name: SsoAppName.optional() })
    .refine((v) => Boolean(v.id) !== Boolean(v.name), { message: 'give id or name (one of them)', path: ['id'] })
)

/** The inputs of the SSO app channels (see recordChannels); reveal takes get's, by id or name. */
export const SsoAppInputs = {
  /** The secret (and initpwd, if given) go into the keychain. */
  add: lazy(() =>
    z.strictObject({
      name: SsoAppName,
      secret: Secret,
      initpwd: z.string().min(1).max(1000).optional(),
      tokenName: SsoAppFields.tokenName.default('token'),
      expire: SsoAppFields.expire.default(86400),
      fieldmap: SsoAppFields.fieldmap.default({ username: 'username' }),
      algorithm: SsoAppFields.algorithm.default('HS256'),
      enable: SsoAppFields.enable.default(false),
      inituser: SsoAppFields.inituser.default(true),
      initroles: SsoAppFields.initroles.default(['SYS_Reader']),
      selfService: SsoAppFields.selfService.default(false),
      signKey: SsoAppFields.signKey.optional()
    })
  ),
  update: lazy(() =>
    z.strictObject({
      id: SsoAppId,
      version: Version,
      name: SsoAppName.optional(),
      secret: Secret.optional(),
      initpwd: z.string().min(1).max(1000).nullable().optional(),
      tokenName: SsoAppFields.tokenName.optional(),
      expire: SsoAppFields.expire.optional(),
      fieldmap: SsoAppFields.fieldmap.optional(),
      algorithm: SsoAppFields.algorithm.optional(),
      enable: SsoAppFields.enable.optional(),
      inituser: SsoAppFields.inituser.optional(),
      initroles: SsoAppFields.initroles.optional(),
      selfService: SsoAppFields.selfService.optional(),
      signKey: SsoAppFields.signKey.optional()
    })
  ),
  get: SsoAppRef,
  delete: lazy(() => z.strictObject({ id: SsoAppId, version: Version })),
  list: lazy(() => searchPage(64))
}

export const SsoAppMintInput = lazy(() =>
  z
    .strictObject({
      id: SsoAppId.optional(),
      name: SsoAppName.optional(),
      username: z.string().min(1, 'username can not be empty').max(200),
      displayName: z.string().max(200).optional(),
      email: z.string().max(200).optional(),
      baseUrl: z.string().max(2000).optional(),
      loginPath: z.string().max(2000).optional(),
      reportId: z.string().trim().min(1, 'give the report id').max(500).optional(),
      allowWeakKey: z.boolean().optional()
    })
    .refine((v) => Boolean(v.id) !== Boolean(v.name), { message: 'give id or name (one of them)', path: ['id'] })
)

export const SsoAppVerifyInput = lazy(() =>
  z.strictObject({
    id: SsoAppId,
    token: z
      .string()
      .trim()
      .min(1)
      .max(64 * 1024),
    clockTolerance: z
      .union([
        z.number().int(),
        z
          .string()
          .trim()
          .regex(/^\d+\s*[smhd]?$/, 'a duration like 30s')
      ])
      .optional()
  })
)

export interface SsoAppRecord {
  id: string
  name: string
  tokenName: string
  hasSecret: boolean
  expire: number
  fieldmap: { username: string; name?: string; email?: string }
  algorithm: (typeof SSO_ALGORITHMS)[number]
  enable: boolean
  inituser: boolean
  initroles: string[]
  hasInitpwd: boolean
  selfService: boolean
  signKey: string | null
  created: string
  updated: string
  version: number
  origin: { connectionId: string; remoteId: string | null; pulledAt: string | null } | null
}

/** A saved app, with a weak-secret warning when its HMAC secret is shorter than the hash (the save still happens). */
export type SsoAppSaved = SsoAppRecord & { warnings: Array<{ code: 'JWT_WEAK_KEY'; message: string }> }

export const ssoAppsChannels = /* @__PURE__ */ recordChannels<SsoAppRecord, SsoAppSaved>()('ssoApps', SsoAppInputs, {
  /** Sign a test SSO token from the Datafor template, with the login URL (audited) */
  'ssoApps:mint': writes<{
    token: string
    loginUrl: string | null
    payload: Record<string, unknown>
    warnings: string[]
  }>()(SsoAppMintInput),
  /** Verify a token with an SSO app's own key (its secret, or its public key for RS/ES) */
  'ssoApps:verify': reads<JwtVerifyResult>()(SsoAppVerifyInput),
  /** Show the secret and initpwd (audited) */
  'ssoApps:reveal': writes<{ id: string; secret: string | null; initpwd: string | null }>()(SsoAppRef)
})
