import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { hasControl, noControls, NO_CONTROLS } from './fields'

/**
 * Server connection profiles. A profile names a server (kind, base URL), how to authenticate, the xdua route
 * table, a timeout and TLS options. The credential itself goes straight to the keychain (account `conn/<id>`); no
 * result of these channels ever carries it back (`hasCredential` says whether one is stored).
 */

export const CONNECTION_KINDS = ['fess', 'datafor', 'xdua'] as const
export const ConnectionKind = lazy(() => z.enum(CONNECTION_KINDS))
export type ConnectionKind = z.infer<typeof ConnectionKind>

/**
 * How a client authenticates. fess: `token` (an admin access token, sent as `Authorization: Bearer`). datafor:
 * `basic` (user + password), `session` (form login, then the JSESSIONID cookie) or `bearer` (a JWT). xdua: `jwt` (the
 * raw JWT in `Authorization`, no `Bearer ` prefix: contracts/xdua.md).
 */
export const AUTH_METHODS = { fess: ['token'], datafor: ['basic', 'session', 'bearer'], xdua: ['jwt'] } as const
export const AuthMethod = lazy(() => z.enum(['token', 'basic', 'session', 'bearer', 'jwt']))
export type AuthMethod = z.infer<typeof AuthMethod>

/** The 13 verbs of xdua's token resource (contracts/xdua.md). */
export const XDUA_VERBS = [
  'ADD',
  'DEL',
  'SET',
  'DOL',
  'RCC',
  'DIS',
  'ENB',
  'OFF',
  'PUB',
  'GET',
  'GIT',
  'QRY',
  'QRI'
] as const
export const XduaVerb = lazy(() => z.enum(XDUA_VERBS))
export type XduaVerb = z.infer<typeof XduaVerb>

const Scalar = lazy(() => z.union([z.string().max(2000), z.number()]))

/**
 * One verb's wire form: HTTP method, a path template (`{id}` is replaced by the URL-encoded id) and extra parameters
 * sent in the query string and/or the body. The older SDK form, e.g. `{method:'POST', path:'/token', query:{action:'DIS'}}`,
 * is expressible too.
 */
export const XduaRoute = lazy(() =>
  z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
    path: z.string().min(1).max(500).regex(/^\//, 'must start with /'),
    query: z.record(z.string().max(100), Scalar).optional(),
    body: z.record(z.string().max(100), Scalar).optional()
  })
)
export type XduaRoute = z.infer<typeof XduaRoute>
export type XduaRoutes = Record<XduaVerb, XduaRoute>

/** Defaults from contracts/xdua.md (the emulator serves the same table). */
export const XDUA_DEFAULT_ROUTES: XduaRoutes = {
  ADD: { method: 'POST', path: '/token' },
  DEL: { method: 'DELETE', path: '/token/{id}' },
  SET: { method: 'PUT', path: '/token/{id}' },
  DOL: { method: 'PUT', path: '/token.deleto/{id}' },
  RCC: { method: 'PUT', path: '/token.recycle/{id}' },
  DIS: { method: 'PUT', path: '/token.disable/{id}', body: { state: 1 } },
  ENB: { method: 'PUT', path: '/token.enable/{id}', body: { state: 0 } },
  OFF: { method: 'PUT', path: '/token.offline/{id}' },
  PUB: { method: 'PUT', path: '/token.publish/{id}' },
  GET: { method: 'GET', path: '/token/{id}' },
  GIT: { method: 'GET', path: '/token.git/{id}' },
  QRY: { method: 'GET', path: '/token' },
  QRI: { method: 'GET', path: '/token.queri' }
}

/** The older SDKs' form: every verb on one path with `action=<VERB>` (contracts/xdua.md). */
export function xduaActionRoutes(path = '/token'): XduaRoutes {
  const out = {} as XduaRoutes
  for (const v of XDUA_VERBS) {
    const def = XDUA_DEFAULT_ROUTES[v]
    out[v] = {
      method: def.method,
      path,
      query: { action: v, ...(def.path.includes('{id}') ? { id: '{id}' } : {}) },
      ...(def.body ? { body: def.body } : {})
    }
  }
  return out
}

export const TlsOptions = lazy(() =>
  z.strictObject({
    /** Extra trusted CA certificate(s), PEM text (public, so it may live in the store). */
    ca: z.string().max(200_000).optional(),
    /** Pinned server certificate: SHA-256 fingerprint of its DER, hex (colons allowed) or base64. */
    pinSha256: z.string().max(200).optional()
  })
)
export type TlsOptions = z.infer<typeof TlsOptions>

const Name = lazy(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\s/\\]+(?: [^\s/\\]+)*$/, 'no slashes, no leading/trailing or double spaces')
    .refine((v) => !hasControl(v), NO_CONTROLS)
)
const BaseUrl = lazy(() =>
  z
    .string()
    .trim()
    .max(2000)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be http:// or https://')
)

/** A profile as the user types it. `credential` (token, password or JWT) goes to the keychain, never to SQLite. */
export const ConnectionDraft = lazy(() =>
  z.strictObject({
    name: Name,
    kind: ConnectionKind,
    baseUrl: BaseUrl,
    authMethod: AuthMethod,
    username: noControls(z.string().max(200)).optional(),
    credential: z.string().max(100_000).optional(),
    /** xdua only: overrides of the default route table, per verb. */
    routes: z.partialRecord(XduaVerb, XduaRoute).optional(),
    timeoutMs: z.number().int().min(100).max(600_000).default(15_000),
    tls: TlsOptions.optional(),
    /** Plain http to a host other than loopback is refused (INSECURE_URL) unless this is set. */
    allowInsecure: z.boolean().default(false)
  })
)
export type ConnectionDraft = z.input<typeof ConnectionDraft>

export interface Connection {
  id: string
  name: string
  kind: ConnectionKind
  baseUrl: string
  authMethod: AuthMethod
  username: string | null
  hasCredential: boolean
  /** xdua: the effective route table (defaults merged with the profile's overrides); null for other kinds. */
  routes: XduaRoutes | null
  timeoutMs: number
  tls: TlsOptions | null
  allowInsecure: boolean
  created: number
  updated: number
  version: number
}

export interface ConnectionTestResult {
  ok: true
  kind: ConnectionKind
  /** Fess: the envelope's `version` (e.g. "15.7"); others: null. */
  serverVersion: string | null
  /** Who the server says we are, when it says. */
  user: string | null
  latencyMs: number
  message: string
}

/** Profile by id or by name. */
const Ref = lazy(() => z.strictObject({ id: z.string().trim().min(1).max(200) }))

export const ConnectionUpdateInput = lazy(() =>
  z.strictObject({
    id: z.string().trim().min(1).max(200),
    /** The version the user last saw: a stale one is refused with CONFLICT. */
    version: z.number().int().optional(),
    name: Name.optional(),
    baseUrl: BaseUrl.optional(),
    authMethod: AuthMethod.optional(),
    username: noControls(z.string().max(200)).nullable().optional(),
    credential: z.string().max(100_000).optional(),
    clearCredential: z.boolean().optional(),
    routes: z.partialRecord(XduaVerb, XduaRoute).nullable().optional(),
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
    tls: TlsOptions.nullable().optional(),
    allowInsecure: z.boolean().optional()
  })
)

export const connectionsChannels = {
  /** Add a server profile (the credential goes to the keychain) */
  'connections:add': writes<Connection>()(ConnectionDraft),
  /** Server profiles */
  'connections:list': reads<Connection[]>()(
    lazy(() => z.strictObject({ kind: ConnectionKind.optional() }).default({}))
  ),
  /** One server profile by id or name */
  'connections:get': reads<Connection>()(Ref),
  /** Change a server profile */
  'connections:update': writes<Connection>()(ConnectionUpdateInput),
  /** Remove a server profile and its keychain credential */
  'connections:remove': writes<{ id: string; name: string; removed: true }>()(Ref),
  /** Check that a profile (saved, or a draft) reaches its server and authenticates */
  'connections:test': reads<ConnectionTestResult>()(
    lazy(() =>
      z
        .strictObject({ id: z.string().trim().min(1).max(200).optional(), draft: ConnectionDraft.optional() })
        .refine((v) => Boolean(v.id) !== Boolean(v.draft), 'give either id or draft')
    )
  )
}
