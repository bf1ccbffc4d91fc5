import type { z } from 'zod'
import { fail } from '../../shared/errors'
import type { AccessTokenInputs, AccessTokenRecord, KeysetPage, PermissionLine } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import { commitSecrets } from '../secrets/rotate'
import { appRecordBase, deleteAppRow, guardAppRow, pageByName, updateAppRow, type AppRowBase } from './util'
import { randomAlnum } from '../ids'
import {
  decodePermission,
  encodePermission,
  permissionWarning,
  fessPermissionLines
} from '../../shared/fess-permissions'

export { decodePermission, encodePermission }

export interface AccessRow extends AppRowBase {
  token_ref: string | null
  parameter_name: string | null
  permissions: string
  expires: string | null
}

/** Fess token values: 60 characters of [A-Za-z0-9] from a secure random source (contracts/fess.md "Auth"). */
const ACCESS_TOKEN_LENGTH = 60

/** Trims lines, drops blanks and duplicates (as Fess does) and explains values Fess would read back changed. */
export function normalizePermissions(lines: string[]): { lines: PermissionLine[]; warnings: string[] } {
  const out = fessPermissionLines(lines)
  const warnings = out.flatMap((p) => permissionWarning(p) ?? [])
  if (out.reduce((n, p) => n + p.encoded.length + 1, 0) > 10000)
    fail('VALIDATION', 'permissions: at most 10000 characters (Fess)', { path: 'permissions', rule: 'max' })
  return { lines: out, warnings }
}

/** The fields a push sends to Fess and a diff compares, as a row stores them. */
export function fessFieldsOf(r: Pick<AccessRow, 'name' | 'permissions' | 'parameter_name' | 'expires'>) {
  return {
    name: r.name,
    permissions: r.permissions ? r.permissions.split('\n').filter(Boolean) : [],
    parameterName: r.parameter_name,
    expires: r.expires
  }
}

function maskToken(value: string | null): string | null {
  if (value === null) return null
  return `${'•'.repeat(8)}${value.slice(-4)}`
}

type AddInput = z.output<typeof AccessTokenInputs.add>
type UpdateInput = z.output<typeof AccessTokenInputs.update>
type ListInput = z.output<typeof AccessTokenInputs.list>

const guard = (row: AccessRow, version: number) => guardAppRow(`Access token ${row.id}`, row, version)

export function createAccessTokens(deps: CoreDeps) {
  const { db, secrets } = deps
  const byId = db.prepare<[string], AccessRow>('SELECT * FROM access_tokens WHERE id = ?')

  function read(id: string): AccessRow {
    return byId.get(id) ?? fail('NOT_FOUND', `No access token with id ${id}`, { id })
  }

  function toRecord(r: AccessRow, value?: string | null): AccessTokenRecord {
    const { lines, warnings } = normalizePermissions(r.permissions ? r.permissions.split('\n') : [])
    // Fess compares in the server's own time zone; the local store reads the stamp in this machine's zone.
    const exp = r.expires ? Date.parse(r.expires) : NaN
    return {
      id: r.id,
      name: r.name,
      tokenMasked: r.token_ref ? (value === undefined ? '•'.repeat(8) : maskToken(value)) : null,
      hasToken: r.token_ref !== null,
      permissions: lines.map((l) => l.line),
      permissionLines: lines,
      parameterName: r.parameter_name,
      expires: r.expires,
      expired: !Number.isNaN(exp) && exp < deps.now(),
      ...appRecordBase(r),
      warnings
    }
  }

  return {
    read,
    async add(input: AddInput): Promise<AccessTokenRecord> {
      const { lines } = normalizePermissions(input.permissions)
      const id = randomAlnum(20)
      const now = deps.now()
      await commitSecrets(
        secrets,
        [{ kind: 'accessToken', id, value: randomAlnum(ACCESS_TOKEN_LENGTH) }],
        [],
        ([ref]) =>
          db
            .prepare(
              `INSERT INTO access_tokens (id, name, token_ref, parameter_name, permissions, expires, created, updated, version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`
            )
            .run(
              id,
              input.name,
              ref,
              input.parameterName ?? null,
              lines.map((l) => l.line).join('\n'),
              input.expires ?? null,
              now,
              now
            )
      )
      return this.get(id)
    },
    async get(id: string): Promise<AccessTokenRecord> {
      const row = read(id)
      let value: string | null | undefined
      try {
        value = row.token_ref ? await secrets.get(row.token_ref) : null
      } catch {
        value = undefined // keychain unreachable: still show the record, masked without a tail
      }
      return toRecord(row, value)
    },
    list(q: ListInput): KeysetPage<AccessTokenRecord> {
      const { rows, nextCursor } = pageByName<AccessRow>(db, 'access_tokens', q)
      return { items: rows.map((r) => toRecord(r)), nextCursor }
    },
    async update(input: UpdateInput): Promise<AccessTokenRecord> {
      const row = read(input.id)
      guard(row, input.version)
      const sets: Record<string, unknown> = {}
      if (input.name !== undefined) sets.name = input.name
      if (input.permissions !== undefined)
        sets.permissions = normalizePermissions(input.permissions)
          .lines.map((l) => l.line)
          .join('\n')
      if (input.parameterName !== undefined) sets.parameter_name = input.parameterName
      if (input.expires !== undefined) sets.expires = input.expires
      // The version is checked in the transaction that switches token_ref: a stale writer changes nothing.
      const write = (extra: Record<string, unknown>) =>
        db
          .transaction(() => {
            guard(read(row.id), input.version)
            updateAppRow(db, 'access_tokens', row.id, { ...sets, ...extra }, deps.now())
          })
          .immediate()
      if (input.regenerate)
        await commitSecrets(
          secrets,
          [{ kind: 'accessToken', id: row.id, value: randomAlnum(ACCESS_TOKEN_LENGTH) }],
          [row.token_ref],
          ([ref]) => write({ token_ref: ref })
        )
      else write({})
      return this.get(row.id)
    },
    async delete(id: string, version: number): Promise<{ id: string }> {
      const row = read(id)
      guard(row, version)
      await deleteAppRow(db, secrets, 'access_tokens', id, [row.token_ref], () => guard(read(id), version))
      return { id }
    },
    async reveal(id: string): Promise<{ id: string; token: string }> {
      const row = read(id)
      const value = row.token_ref ? await secrets.get(row.token_ref) : null
      if (value === null)
        fail('SECRET_MISSING', `Access token ${id} has no value in the keychain (imported records carry none)`, { id })
      return { id, token: value }
    }
  }
}
