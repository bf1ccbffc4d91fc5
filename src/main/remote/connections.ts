import { randomUUID, X509Certificate } from 'node:crypto'
import { z } from 'zod'
import { fail } from '../../shared/errors'
import {
  AUTH_METHODS,
  ConnectionDraft,
  XDUA_DEFAULT_ROUTES,
  type AuthMethod,
  type Connection,
  type ConnectionKind,
  type TlsOptions,
  type XduaRoutes
} from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import { assertVersion, commitSecrets, removeWithSecrets } from '../secrets/rotate'
import { checkBaseUrl, normalizeFingerprint } from './http'

/**
 * Connection profiles: a `connections` row per server, its credential in the keychain under a fresh account per value
 * (secrets/rotate.ts): keychain first, then the row; an unreachable keychain writes nothing.
 */

interface Row {
  id: string
  name: string
  kind: ConnectionKind
  base_url: string
  auth_method: AuthMethod
  username: string | null
  credential_ref: string | null
  routes: string | null
  timeout_ms: number
  tls: string | null
  allow_insecure: number
  created: number
  updated: number
  version: number
}

/** A resolved profile: what a client is built from (saved, or one-off from the CLI's --url). */
export interface Profile {
  id: string | null
  name: string
  kind: ConnectionKind
  baseUrl: string
  authMethod: AuthMethod
  username: string | null
  routes: XduaRoutes | null
  timeoutMs: number
  tls: TlsOptions | null
  allowInsecure: boolean
  /** Loads the credential only when a client needs it. */
  credential(): Promise<string>
}

function checkDraft(
  kind: ConnectionKind,
  method: AuthMethod,
  username: string | null | undefined,
  baseUrl: string,
  allowInsecure: boolean,
  tls: TlsOptions | null | undefined
): void {
  if (!(AUTH_METHODS[kind] as readonly string[]).includes(method))
    fail('VALIDATION', `authMethod: ${kind} connections use ${AUTH_METHODS[kind].join(' or ')}, not ${method}`, {
      path: 'authMethod'
    })
  if ((method === 'basic' || method === 'session') && !username)
    fail('VALIDATION', 'username: Datafor basic and session logins need a user name', { path: 'username' })
  checkBaseUrl(baseUrl, allowInsecure)
  if (tls?.pinSha256) normalizeFingerprint(tls.pinSha256)
  if (tls?.ca) {
    try {
      new X509Certificate(tls.ca)
    } catch {
      fail('VALIDATION', 'tls.ca: not a PEM certificate', { path: 'tls.ca' })
    }
  }
}

function effectiveRoutes(kind: ConnectionKind, overrides: Partial<XduaRoutes> | null | undefined): XduaRoutes | null {
  return kind === 'xdua' ? { ...XDUA_DEFAULT_ROUTES, ...(overrides ?? {}) } : null
}

/** What a connection record and a client profile both read from a row. */
const settingsOf = (r: Row) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  baseUrl: r.base_url,
  authMethod: r.auth_method,
  username: r.username,
  routes: effectiveRoutes(r.kind, r.routes ? (JSON.parse(r.routes) as Partial<XduaRoutes>) : null),
  timeoutMs: r.timeout_ms,
  tls: r.tls ? (JSON.parse(r.tls) as TlsOptions) : null,
  allowInsecure: Boolean(r.allow_insecure)
})

const toConnection = (r: Row): Connection => ({
  ...settingsOf(r),
  hasCredential: Boolean(r.credential_ref),
  created: r.created,
  updated: r.updated,
  version: r.version
})

/** A one-off profile (CLI --url): never saved, its credential lives only in this call. */
function adhocProfile(draftIn: z.input<typeof ConnectionDraft>): Profile {
  const d = ConnectionDraft.parse(draftIn)
  checkDraft(d.kind, d.authMethod, d.username, d.baseUrl, d.allowInsecure, d.tls)
  return {
    id: null,
    name: d.name,
    kind: d.kind,
    baseUrl: d.baseUrl,
    authMethod: d.authMethod,
    username: d.username ?? null,
    routes: effectiveRoutes(d.kind, d.routes as Partial<XduaRoutes> | undefined),
    timeoutMs: d.timeoutMs,
    tls: d.tls ?? null,
    allowInsecure: d.allowInsecure,
    async credential() {
      if (!d.credential) fail('AUTH', 'No credential given for this server')
      return d.credential
    }
  }
}

const uniqueName = (e: unknown, name: string): never => {
  if (e instanceof Error && /UNIQUE constraint failed: connections.name/.test(e.message))
    fail('CONFLICT', `A connection named "${name}" already exists`, { path: 'name' })
  throw e
}

function insertRow(db: CoreDeps['db'], id: string, d: z.output<typeof ConnectionDraft>, ref: string | null, t: number) {
  try {
    db.prepare(
      `INSERT INTO connections (id, name, kind, base_url, auth_method, username, credential_ref, routes, timeout_ms, tls, allow_insecure, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ).run(
      id,
      d.name,
      d.kind,
      d.baseUrl,
      d.authMethod,
      d.username ?? null,
      ref,
      d.routes && d.kind === 'xdua' ? JSON.stringify(d.routes) : null,
      d.timeoutMs,
      d.tls ? JSON.stringify(d.tls) : null,
      d.allowInsecure ? 1 : 0,
      t,
      t
    )
  } catch (e) {
    uniqueName(e, d.name)
  }
}

export interface ConnectionUpdate {
  id: string
  version?: number
  name?: string
  baseUrl?: string
  authMethod?: AuthMethod
  username?: string | null
  credential?: string
  clearCredential?: boolean
  routes?: Partial<XduaRoutes> | null
  timeoutMs?: number
  tls?: TlsOptions | null
  allowInsecure?: boolean
}

/** The row's settings after an update (credential aside), checked as a new draft would be. */
function nextSettings(cur: Row, input: ConnectionUpdate) {
  const next = {
    name: input.name ?? cur.name,
    base_url: input.baseUrl ?? cur.base_url,
    auth_method: input.authMethod ?? cur.auth_method,
    username: input.username !== undefined ? input.username : cur.username,
    routes:
      input.routes !== undefined
        ? input.routes && cur.kind === 'xdua'
          ? JSON.stringify(input.routes)
          : null
        : cur.routes,
    timeout_ms: input.timeoutMs ?? cur.timeout_ms,
    tls: input.tls !== undefined ? (input.tls ? JSON.stringify(input.tls) : null) : cur.tls,
    allow_insecure: input.allowInsecure !== undefined ? (input.allowInsecure ? 1 : 0) : cur.allow_insecure
  }
  checkDraft(
    cur.kind,
    next.auth_method,
    next.username,
    next.base_url,
    Boolean(next.allow_insecure),
    next.tls ? (JSON.parse(next.tls) as TlsOptions) : null
  )
  return next
}

export function createConnections(deps: CoreDeps) {
  const { db, secrets } = deps
  const byId = db.prepare<[string], Row>('SELECT * FROM connections WHERE id = ?')
  const byName = db.prepare<[string], Row>('SELECT * FROM connections WHERE name = ?')

  const row = (ref: string): Row => {
    const r = byId.get(ref) ?? byName.get(ref)
    if (!r) fail('NOT_FOUND', `No connection named or with id "${ref}"`)
    return r
  }

  const profileOf = (r: Row): Profile => ({
    ...settingsOf(r),
    async credential() {
      if (!r.credential_ref)
        fail('AUTH', `The connection "${r.name}" has no credential: add one (connections update --credential-file ...)`)
      const v = await secrets.get(r.credential_ref)
      if (v === null)
        fail('SECRET_MISSING', `The credential of the connection "${r.name}" is missing from the keychain`)
      return v
    }
  })

  return {
    row,
    profile: (ref: string) => profileOf(row(ref)),
    adhocProfile,

    async add(d: z.output<typeof ConnectionDraft>): Promise<Connection> {
      checkDraft(d.kind, d.authMethod, d.username, d.baseUrl, d.allowInsecure, d.tls)
      if (byName.get(d.name)) fail('CONFLICT', `A connection named "${d.name}" already exists`, { path: 'name' })
      const id = randomUUID()
      const t = deps.now()
      await commitSecrets(secrets, d.credential ? [{ kind: 'conn', id, value: d.credential }] : [], [], ([ref]) => {
        insertRow(db, id, d, ref ?? null, t)
      })
      return toConnection(byId.get(id)!)
    },

    list(kind?: ConnectionKind): Connection[] {
      const rows = kind
        ? db.prepare<[string], Row>('SELECT * FROM connections WHERE kind = ? ORDER BY name').all(kind)
        : db.prepare<[], Row>('SELECT * FROM connections ORDER BY name').all()
      return rows.map(toConnection)
    },

    get: (ref: string) => toConnection(row(ref)),

    async update(input: ConnectionUpdate): Promise<Connection> {
      const cur = row(input.id)
      const expected = input.version ?? cur.version
      const what = `The connection "${cur.name}"`
      assertVersion(what, expected, cur.version, { id: cur.id })
      if (input.credential !== undefined && input.clearCredential)
        fail('VALIDATION', 'Give a new credential or clear it, not both', { path: 'credential' })
      const next = nextSettings(cur, input)
      const replacing = input.credential !== undefined || input.clearCredential
      const write = input.credential !== undefined ? [{ kind: 'conn', id: cur.id, value: input.credential }] : []
      // The version is checked in the transaction that switches credential_ref: a stale writer changes nothing.
      await commitSecrets(secrets, write, replacing ? [cur.credential_ref] : [], ([ref]) =>
        db
          .transaction(() => {
            const latest = byId.get(cur.id)
            if (!latest) fail('NOT_FOUND', `No connection named or with id "${input.id}"`)
            assertVersion(what, expected, latest.version, { id: cur.id })
            const credential_ref =
              input.credential !== undefined ? ref : input.clearCredential ? null : latest.credential_ref
            try {
              db.prepare(
                `UPDATE connections SET name = ?, base_url = ?, auth_method = ?, username = ?, credential_ref = ?, routes = ?, timeout_ms = ?, tls = ?,
                 allow_insecure = ?, updated = ?, version = version + 1 WHERE id = ?`
              ).run(
                next.name,
                next.base_url,
                next.auth_method,
                next.username,
                credential_ref,
                next.routes,
                next.timeout_ms,
                next.tls,
                next.allow_insecure,
                deps.now(),
                cur.id
              )
            } catch (e) {
              uniqueName(e, next.name)
            }
          })
          .immediate()
      )
      return toConnection(byId.get(cur.id)!)
    },

    async remove(ref: string): Promise<{ id: string; name: string; removed: true }> {
      const cur = row(ref)
      // Its credential and the Datafor secrets kept for offline minting; listing them needs the keychain, so an
      // unreachable one refuses the remove (KEYCHAIN_UNAVAILABLE) and the row stays.
      const kept = (await secrets.list()).filter((a) => a.startsWith(`datafor/${cur.id}/`))
      await removeWithSecrets(secrets, [cur.credential_ref, ...kept], () => {
        db.prepare('DELETE FROM connections WHERE id = ?').run(cur.id)
      })
      return { id: cur.id, name: cur.name, removed: true }
    }
  }
}

export type ConnectionsStore = ReturnType<typeof createConnections>
