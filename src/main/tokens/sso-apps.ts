import type { z } from 'zod'
import { fail } from '../../shared/errors'
import type { SsoAppInputs, SsoAppMintInput, SsoAppRecord, SsoAppVerifyInput, KeysetPage } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JwtService } from '../jwt'
import { commitSecrets, type NewSecret } from '../secrets/rotate'
import { appRecordBase, deleteAppRow, guardAppRow, pageByName, uniqueName, updateAppRow, type AppRowBase } from './util'
import { randomAlnum } from '../ids'

export interface SsoRow extends AppRowBase {
  token_name: string
  secret_ref: string | null
  expire: number
  fieldmap: string
  algorithm: SsoAppRecord['algorithm']
  enable: number
  inituser: number
  initroles: string
  initpwd_ref: string | null
  self_service: number
  sign_key: string | null
}

/** The settings an SSO app shares with a Datafor configuration: what a pull copies, a push sends and a diff compares. */
export const SSO_SETTINGS = [
  'tokenName',
  'expire',
  'fieldmap',
  'algorithm',
  'enable',
  'inituser',
  'initroles',
  'selfService'
] as const
export type SsoSettings = Pick<SsoAppRecord, (typeof SSO_SETTINGS)[number]>

/** The settings of a record, an export line or a server's configuration, in SSO_SETTINGS order. */
export function ssoSettings<S extends Record<(typeof SSO_SETTINGS)[number], unknown>>(
  s: S
): Pick<S, (typeof SSO_SETTINGS)[number]> {
  return Object.fromEntries(SSO_SETTINGS.map((k) => [k, s[k]])) as Pick<S, (typeof SSO_SETTINGS)[number]>
}

/** The settings as a row stores them. */
export function ssoSettingsOf(r: SsoRow): SsoSettings {
  return {
    tokenName: r.token_name,
    expire: r.expire,
    fieldmap: JSON.parse(r.fieldmap) as SsoAppRecord['fieldmap'],
    algorithm: r.algorithm,
    enable: r.enable === 1,
    inituser: r.inituser === 1,
    initroles: JSON.parse(r.initroles) as string[],
    selfService: r.self_service === 1
  }
}

/** The values of the columns expire, fieldmap, algorithm, enable, inituser, initroles, in that order. */
export function ssoSettingsArgs(s: {
  expire: number
  fieldmap: unknown
  algorithm: string
  enable: boolean
  inituser: boolean
  initroles: readonly string[]
}) {
  return [
    s.expire,
    JSON.stringify(s.fieldmap),
    s.algorithm,
    s.enable ? 1 : 0,
    s.inituser ? 1 : 0,
    JSON.stringify(s.initroles)
  ] as const
}

type AddInput = z.output<typeof SsoAppInputs.add>
type UpdateInput = z.output<typeof SsoAppInputs.update>
type ListInput = z.output<typeof SsoAppInputs.list>
type MintInput = z.output<typeof SsoAppMintInput>
type VerifyInput = z.output<typeof SsoAppVerifyInput>

export interface SsoWeakKeyWarning {
  code: 'JWT_WEAK_KEY'
  message: string
}

/** RFC 7518 §3.2: an HMAC secret shorter than the hash output is weak; saving is allowed, the user is told. */
function weakSecretWarnings(algorithm: string, secret: string | undefined): SsoWeakKeyWarning[] {
  if (!secret || !algorithm.startsWith('HS')) return []
  const bytes = Buffer.byteLength(secret, 'utf8')
  const need = Number(algorithm.slice(2)) / 8
  if (bytes >= need) return []
  return [
    {
      code: 'JWT_WEAK_KEY',
      message: `Weak secret: ${bytes} bytes, but ${algorithm} needs at least ${need} (RFC 7518 §3.2). Minting test tokens will ask you to allow it.`
    }
  ]
}

function toSsoRecord(r: SsoRow): SsoAppRecord {
  return {
    id: r.id,
    name: r.name,
    ...ssoSettingsOf(r),
    hasSecret: r.secret_ref !== null,
    hasInitpwd: r.initpwd_ref !== null,
    signKey: r.sign_key,
    ...appRecordBase(r)
  }
}

const SSO_NAME_RULE = 'SSO app names are unique'

function insertApp(
  db: CoreDeps['db'],
  id: string,
  input: AddInput,
  sref: string,
  pref: string | null,
  now: number
): void {
  db.prepare(
    `INSERT INTO sso_apps (id, name, token_name, secret_ref, expire, fieldmap, algorithm, enable, inituser, initroles,
     initpwd_ref, self_service, sign_key, created, updated, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`
  ).run(
    id,
    input.name,
    input.tokenName,
    sref,
    ...ssoSettingsArgs(input),
    pref,
    input.selfService ? 1 : 0,
    input.signKey ?? null,
    now,
    now
  )
}

/** The columns an update writes, from the fields it gives (secrets aside: they go to the keychain). */
function updateSets(input: UpdateInput): Record<string, unknown> {
  const sets: Record<string, unknown> = {}
  const map = {
    name: 'name',
    tokenName: 'token_name',
    expire: 'expire',
    algorithm: 'algorithm',
    signKey: 'sign_key'
  } as const
  for (const [k, col] of Object.entries(map)) {
    const v = input[k as keyof typeof map]
    if (v !== undefined) sets[col] = v
  }
  if (input.fieldmap) sets.fieldmap = JSON.stringify(input.fieldmap)
  if (input.initroles) sets.initroles = JSON.stringify(input.initroles)
  for (const [k, col] of [
    ['enable', 'enable'],
    ['inituser', 'inituser'],
    ['selfService', 'self_service']
  ] as const)
    if (input[k] !== undefined) sets[col] = input[k] ? 1 : 0
  return sets
}

/** What signs an app's test token: its secret for HS*, or the private key named by signKey for RS* and ES*. */
async function mintKey(row: SsoRow, secrets: CoreDeps['secrets']): Promise<{ secret: string } | { keyName: string }> {
  if (row.algorithm.startsWith('HS')) {
    const secret = row.secret_ref ? await secrets.get(row.secret_ref) : null
    if (secret === null)
      fail('SECRET_MISSING', `SSO app ${row.name} has no secret in the keychain: set one with sso-apps update`, {
        id: row.id
      })
    return { secret }
  }
  // Datafor holds the public key as the app's secret; the matching private key signs (keys table).
  if (!row.sign_key)
    fail(
      'VALIDATION',
      `SSO app ${row.name} uses ${row.algorithm}: give it a signing key (signKey) to mint test tokens`,
      {
        path: 'signKey',
        rule: 'required'
      }
    )
  return { keyName: row.sign_key }
}

const guard = (row: SsoRow, version: number) => guardAppRow(`SSO app ${row.name}`, row, version)

/** A signing key must exist, and only RS* and ES* apps sign with one. */
function checkSignKey(db: CoreDeps['db'], algorithm: string, signKey: string | null | undefined) {
  if (!signKey) return
  const k = db.prepare<[string], { alg: string }>('SELECT alg FROM keys WHERE name = ?').get(signKey)
  if (!k) fail('VALIDATION', `signKey: no key named "${signKey}" in this store`, { path: 'signKey', rule: 'exists' })
  if (algorithm.startsWith('HS'))
    fail('VALIDATION', 'signKey: HS* apps sign with their secret; a signing key is for RS*/ES* apps', {
      path: 'signKey',
      rule: 'alg'
    })
}

/** The keychain items an update writes, the columns that point at them and the accounts they replace. */
function secretChanges(input: UpdateInput, row: SsoRow, sets: Record<string, unknown>) {
  const items: NewSecret[] = []
  const refCols: string[] = []
  const old: Array<string | null> = []
  if (input.secret !== undefined) {
    items.push({ kind: 'ssoApp', id: `${row.id}.secret`, value: input.secret })
    refCols.push('secret_ref')
    old.push(row.secret_ref)
  }
  if (input.initpwd !== undefined) {
    if (input.initpwd === null) sets.initpwd_ref = null
    else {
      items.push({ kind: 'ssoApp', id: `${row.id}.initpwd`, value: input.initpwd })
      refCols.push('initpwd_ref')
    }
    old.push(row.initpwd_ref)
  }
  return { items, refCols, old }
}

export function createSsoApps(deps: CoreDeps, jwt: () => Promise<JwtService>) {
  const { db, secrets } = deps
  const byId = db.prepare<[string], SsoRow>('SELECT * FROM sso_apps WHERE id = ?')
  // A pulled copy may share a name with a local app; by name means the local one first.
  const byName = db.prepare<[string], SsoRow>(
    'SELECT * FROM sso_apps WHERE name = ? ORDER BY origin_connection_id IS NOT NULL LIMIT 1'
  )

  function read(ref: { id?: string; name?: string }): SsoRow {
    const row = ref.id ? byId.get(ref.id) : ref.name ? byName.get(ref.name) : undefined
    return row ?? fail('NOT_FOUND', `No SSO app ${ref.id ? `with id ${ref.id}` : `named ${ref.name}`}`, { ...ref })
  }

  return {
    read,
    async add(input: AddInput): Promise<SsoAppRecord & { warnings: SsoWeakKeyWarning[] }> {
      checkSignKey(db, input.algorithm, input.signKey)
      const id = randomAlnum(12)
      const items: NewSecret[] = [{ kind: 'ssoApp', id: `${id}.secret`, value: input.secret }]
      if (input.initpwd) items.push({ kind: 'ssoApp', id: `${id}.initpwd`, value: input.initpwd })
      const now = deps.now()
      await commitSecrets(secrets, items, [], ([sref, pref]) =>
        uniqueName(input.name, () => insertApp(db, id, input, sref, pref ?? null, now), SSO_NAME_RULE)
      )
      return { ...toSsoRecord(read({ id })), warnings: weakSecretWarnings(input.algorithm, input.secret) }
    },
    get: (ref: { id?: string; name?: string }) => toSsoRecord(read(ref)),
    list(q: ListInput): KeysetPage<SsoAppRecord> {
      const { rows, nextCursor } = pageByName<SsoRow>(db, 'sso_apps', q)
      return { items: rows.map(toSsoRecord), nextCursor }
    },
    async update(input: UpdateInput): Promise<SsoAppRecord & { warnings: SsoWeakKeyWarning[] }> {
      const row = read({ id: input.id })
      guard(row, input.version)
      checkSignKey(db, input.algorithm ?? row.algorithm, input.signKey === undefined ? row.sign_key : input.signKey)
      const sets = updateSets(input)
      // New secrets go to fresh accounts; the transaction that checks the version points the row at them.
      const { items, refCols, old } = secretChanges(input, row, sets)
      await commitSecrets(secrets, items, old, (accounts) =>
        uniqueName(
          input.name,
          () =>
            db
              .transaction(() => {
                guard(read({ id: row.id }), input.version)
                const all = { ...sets }
                refCols.forEach((c, i) => (all[c] = accounts[i]))
                updateAppRow(db, 'sso_apps', row.id, all, deps.now())
              })
              .immediate(),
          SSO_NAME_RULE
        )
      )
      return {
        ...toSsoRecord(read({ id: row.id })),
        warnings: weakSecretWarnings(input.algorithm ?? row.algorithm, input.secret)
      }
    },
    async delete(id: string, version: number): Promise<{ id: string }> {
      const row = read({ id })
      guard(row, version)
      await deleteAppRow(db, secrets, 'sso_apps', id, [row.secret_ref, row.initpwd_ref], () =>
        guard(read({ id }), version)
      )
      return { id }
    },
    async reveal(ref: { id?: string; name?: string }) {
      const row = read(ref)
      const secret = row.secret_ref ? await secrets.get(row.secret_ref) : null
      const initpwd = row.initpwd_ref ? await secrets.get(row.initpwd_ref) : null
      return { id: row.id, secret, initpwd }
    },
    /** Checks a token as Datafor would: the app's algorithm only, with its secret (HS) or its Base64 public key. */
    async verify(input: VerifyInput) {
      const row = read({ id: input.id })
      const secret = row.secret_ref ? await secrets.get(row.secret_ref) : null
      if (secret === null) fail('SECRET_MISSING', `SSO app ${row.name} has no secret in the keychain`, { id: row.id })
      const key = row.algorithm.startsWith('HS')
        ? { secret }
        : { pem: `-----BEGIN PUBLIC KEY-----\n${secret.replace(/\s+/g, '')}\n-----END PUBLIC KEY-----` }
      return (await jwt()).verify(input.token, {
        algorithms: [row.algorithm],
        key,
        clockTolerance: input.clockTolerance
      })
    },
    /** The Datafor SSO template (contracts/datafor.md "SSO login with a JWT"), signed by the JWT engine. */
    async mint(input: MintInput) {
      const row = read(input)
      const key = await mintKey(row, secrets)
      const r = await (
        await jwt()
      ).dataforToken({
        algorithm: row.algorithm,
        expire: row.expire,
        fieldmap: JSON.parse(row.fieldmap) as SsoAppRecord['fieldmap'],
        tokenName: row.token_name,
        username: input.username,
        name: input.displayName,
        email: input.email,
        baseUrl: input.baseUrl,
        loginPath: input.loginPath,
        reportId: input.reportId,
        allowWeakKey: input.allowWeakKey,
        key
      })
      return { token: r.token, loginUrl: r.loginUrl, payload: r.payload, warnings: r.warnings }
    }
  }
}
