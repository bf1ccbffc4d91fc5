import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { connRef, targeted } from './target'
import { plainRecord, wellFormed } from './fields'
import { ConnectionKind, XduaVerb } from './connections'

/**
 * Remote operations on Fess, Datafor and xdua servers, so the console and the CLI can run every one.
 * Every input names its server by `conn` (a saved profile's id or name) or, for one-off CLI calls, by `adhoc` (a
 * profile that is not saved; its credential is used for this call only). Records use TokenDesk's camelCase names;
 * no result carries a credential. One exception: `remote:fessCreate` returns the new token's
 * value (a server-made secret the user must copy); it is never logged or audited.
 */

// ---------------------------------------------------------------------------------------------------------------- Fess

/** A Fess access token in TokenDesk's names (contracts/fess.md "Item shape"). */
export interface FessToken {
  id: string
  name: string
  /** The last 4 characters of the value; the full value only in fessCreate's result or fessReveal. */
  tokenHint: string | null
  /** One permission per line, as Fess shows them (`{role}admin-api`). */
  permissions: string[]
  parameterName: string | null
  /** `yyyy-MM-ddTHH:mm:ss` in the server's time zone, or null (never expires). */
  expires: string | null
  createdBy: string | null
  createdTime: number | null
  updatedBy: string | null
  updatedTime: number | null
  versionNo: number | null
}

export interface FessListResult {
  items: FessToken[]
  /** Fess's `total`, capped by the server at 10000. */
  total: number
  /** true when total hit Fess's cap of 10000: read it as "10,000 or more". */
  totalCapped: boolean
  /** true when `all` stopped at Fess's 10,000-result window and more tokens may exist. */
  truncated: boolean
  page: number
  size: number
  serverVersion: string
  /** Plain words for the user (e.g. the list is cut at 10,000). */
  notes: string[]
}

const Permissions = lazy(() => z.array(z.string().max(10_000)).max(10_000))
const FessExpires = lazy(() =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'must be yyyy-MM-ddTHH:mm:ss (server time, no zone)')
)
const FessId = lazy(() => wellFormed(z.string().trim().min(1).max(200)))

// ------------------------------------------------------------------------------------------------------------- Datafor

export interface DataforConfig {
  name: string
  tokenName: string
  /** The server never shows a secret (it answers `************`): true when it has one. */
  hasSecret: boolean
  /** true when TokenDesk kept the secret it set in the keychain, so test tokens can be minted offline. */
  secretKept: boolean
  expire: number
  fieldmap: { username: string; name: string; email: string }
  algorithm: string
  enable: boolean
  inituser: boolean
  initroles: string[]
  selfService: boolean
  createdDate: string | null
  lastModifiedDate: string | null
  creatorId: string | null
}

const DataforName = lazy(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9]+$/, 'letters and digits only (Datafor: no special characters)')
)
const DataforAlg = lazy(() => z.enum(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']))
const DataforFields = lazy(() => ({
  tokenName: wellFormed(z.string().trim().min(1).max(100)).optional(),
  /** The HMAC secret, or for RS/ES the Base64 public key. Kept in the keychain as `datafor/<connId>/<name>`. */
  secret: z.string().min(1).max(100_000).optional(),
  expire: z
    .number()
    .int()
    .min(1)
    .max(100 * 365 * 86400)
    .optional(),
  fieldmap: z
    .object({ username: z.string().min(1).max(100), name: z.string().max(100), email: z.string().max(100) })
    .partial()
    .strict()
    .optional(),
  algorithm: DataforAlg.optional(),
  enable: z.boolean().optional(),
  inituser: z.boolean().optional(),
  initroles: z.array(z.string().min(1).max(200)).max(200).optional(),
  selfService: z.boolean().optional(),
  /** Older Datafor versions: default password of users created at first SSO login. */
  initpwd: z.string().max(1000).optional()
}))

// ---------------------------------------------------------------------------------------------------------------- xdua

export interface XduaToken {
  id: string
  name: string | null
  avatar: string | null
  brief: string | null
  /** 0 enabled, 1 disabled. */
  state: number | null
  stato: string | null
  /** UNIX seconds, 0 = none. */
  expire: number | null
  creatorId: string | null
  creatorName: string | null
  updaterId: string | null
  updaterName: string | null
  cstamp: string | null
  istamp: string | null
  /** The ADD claim fields when the server returns them (typ, aud, sap, jti, ipm, dvm, tag, api, bug, shop, role, rule). */
  claims: Record<string, string>
}

export interface XduaCallResult {
  verb: z.infer<typeof XduaVerb>
  apid: string | null
  apis: string | null
  /** The server's `result`, as sent. */
  result: unknown
  /** GET/GIT: the record. */
  record?: XduaToken
  /** QRY/QRI: the page. */
  list?: { total: number; limit: number; items: XduaToken[] }
  /** ADD/DEL/SET/...: the id the server names. */
  id?: string
  /** SET: the fields the server says it changed. */
  updates?: Record<string, unknown>
}

// --------------------------------------------------------------------------------------------------- pull, push, diff

export interface PullResult {
  connectionId: string
  kind: z.infer<typeof ConnectionKind>
  pulled: number
  inserted: number
  updated: number
  /** Pulled copies whose server record is gone (deleted locally), 0 when the listing was truncated. */
  removed: number
  truncated: boolean
  pulledAt: number
  /** Server records not stored because the contract refuses them (a control character in a name, a time out of range). */
  refused?: Array<{ remoteId: string; reason: string }>
}

export interface PushResult {
  action: 'created' | 'updated'
  kind: z.infer<typeof ConnectionKind>
  localId: string
  remoteId: string
  /** Fess create: the value the server generated (the local value cannot be sent: Fess always makes its own). */
  token?: string
  notes: string[]
}

export interface DiffField {
  field: string
  local: unknown
  remote: unknown
}
export interface DiffItem {
  remoteId: string | null
  localId: string | null
  name: string
  status: 'same' | 'changed' | 'onlyLocal' | 'onlyRemote'
  fields: DiffField[]
}
export interface DiffResult {
  connectionId: string
  kind: z.infer<typeof ConnectionKind>
  items: DiffItem[]
  counts: { same: number; changed: number; onlyLocal: number; onlyRemote: number }
  truncated: boolean
}

export const FessCreateInput = targeted(() => ({
  name: wellFormed(z.string().trim().min(1).max(1000)),
  permissions: Permissions.optional(),
  parameterName: z.string().max(10_000).optional(),
  expires: FessExpires.optional()
}))

export const FessUpdateInput = targeted(() => ({
  id: FessId,
  name: wellFormed(z.string().trim().min(1).max(1000)).optional(),
  permissions: Permissions.optional(),
  parameterName: z.string().max(10_000).nullable().optional(),
  expires: FessExpires.nullable().optional(),
  /** `updatedTime` the user last saw: if the server's moved, CONFLICT (Fess itself does not lock). */
  expectedUpdatedTime: z.number().int().optional()
}))

export const DataforPutInput = targeted(() => ({ name: DataforName, ...DataforFields }))

export const remoteChannels = {
  // Fess (contracts/fess.md)
  /** Fess: list access tokens (one page, or all) */
  'remote:fessList': reads<FessListResult>()(
    targeted(() => ({
      page: z.number().int().min(1).optional(),
      size: z.number().int().min(1).max(10_000).optional(),
      /** Every page, up to Fess's 10,000-result window. */
      all: z.boolean().optional()
    }))
  ),
  /** Fess: one access token */
  'remote:fessGet': reads<FessToken>()(targeted(() => ({ id: FessId }))),
  /** Fess: show an access token's value (audited, the value is not) */
  'remote:fessReveal': writes<{ id: string; token: string }>()(targeted(() => ({ id: FessId }))),
  /** Fess: create an access token (the server makes the 60-character value) */
  'remote:fessCreate': writes<{ item: FessToken; token: string; warnings: string[] }>()(FessCreateInput),
  /** Fess: change an access token (read, merge, write: unchanged fields are kept) */
  'remote:fessUpdate': writes<{ item: FessToken; changed: string[]; warnings: string[] }>()(FessUpdateInput),
  /** Fess: delete an access token */
  'remote:fessDelete': writes<{ id: string; deleted: true }>()(
    targeted(() => ({ id: FessId, expectedUpdatedTime: z.number().int().optional() }))
  ),

  // Datafor (contracts/datafor.md)
  /** Datafor: list JWT-SSO token configurations */
  'remote:dataforList': reads<{ items: DataforConfig[] }>()(targeted(() => ({}))),
  /** Datafor: one token configuration */
  'remote:dataforGet': reads<DataforConfig>()(targeted(() => ({ name: DataforName }))),
  /** Datafor: create a configuration, or change one (read, merge, write; the stored secret is kept) */
  'remote:dataforPut': writes<{ item: DataforConfig; created: boolean; changed: string[] }>()(DataforPutInput),
  /** Datafor: delete a configuration */
  'remote:dataforDelete': writes<{ name: string; deleted: true }>()(targeted(() => ({ name: DataforName }))),
  /** Datafor: delete several configurations (unknown names are skipped; not atomic) */
  'remote:dataforDeleteMany': writes<{ deleted: string[]; missing: string[] }>()(
    targeted(() => ({ names: z.array(DataforName).min(1).max(1000) }))
  ),
  /** Datafor: have the server sign a test JWT (HS* configurations only) */
  'remote:dataforGenerate': writes<{ token: string; expire: number | null }>()(
    targeted(() => ({
      name: DataforName,
      username: z.string().min(1).max(200),
      claims: plainRecord(z.union([z.string(), z.number(), z.boolean()]), z.string().max(100)).optional()
    }))
  ),

  /** Datafor: mint a test JWT offline with the secret TokenDesk set on the server (kept in the keychain) */
  'remote:dataforMint': reads<{
    token: string
    loginUrl: string | null
    payload: Record<string, unknown>
    warnings: string[]
    source: 'pulled' | 'server'
  }>()(
    lazy(() =>
      z.strictObject({
        conn: connRef(),
        name: DataforName,
        username: z.string().min(1).max(256),
        displayName: z.string().max(256).optional(),
        email: z.string().max(256).optional(),
        allowWeakKey: z.boolean().optional()
      })
    )
  ),

  // xdua (contracts/xdua.md)
  // QRY/GET/GIT/QRI read, the rest write: audited as a whole.
  /** xdua: run one of the 13 token verbs through the connection route table */
  'remote:xdua': writes<XduaCallResult>()(
    targeted(() => ({
      verb: XduaVerb,
      id: wellFormed(z.string().trim().min(1).max(200)).optional(),
      /** ADD: the claim fields; SET: name/avatar/brief/igrp/enabled/secret. */
      fields: plainRecord(z.union([z.string().max(10_000), z.number()]), z.string().max(100)).optional(),
      /** QRY/QRI: equality conditions, paging and order. */
      where: plainRecord(z.union([z.string(), z.number(), z.boolean()]), z.string().max(100)).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      page: z.number().int().min(0).optional(),
      order: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*:(ASC|DESC)$/i, 'must be field:ASC or field:DESC')
        .optional()
    }))
  ),

  // Pull, push, diff
  /** Pull a server's tokens into the local store as read-only copies (a job) */
  'remote:pull': writes<{ jobId: string }>()(
    lazy(() =>
      z.strictObject({
        conn: connRef(),
        /** Fess: also keep each token's value in the keychain (a fresh account `access-token/<local id>/<random>` per value); off by default. */
        keepSecrets: z.boolean().optional()
      })
    )
  ),
  /** Push a local record to a server (create, or update what an earlier push created) */
  'remote:push': writes<PushResult>()(
    lazy(() =>
      z.strictObject({
        conn: connRef(),
        /** The local record: tokens (xdua), access_tokens (Fess) or sso_apps (Datafor), by the connection's kind. */
        localId: wellFormed(z.string().trim().min(1).max(200))
      })
    )
  ),
  /** What differs between the local copies (pulled or pushed) and the server's records now */
  'remote:diff': reads<DiffResult>()(lazy(() => z.strictObject({ conn: connRef() })))
}
