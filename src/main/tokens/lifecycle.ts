import { fail } from '../../shared/errors'
import {
  TOKEN_STATE_TABLE,
  verbsFrom,
  type LifeState,
  type TokenRecord,
  type TokenVerb,
  type TokenVerbResult,
  type TokenAddInput,
  type TokenSetInput
} from '../../shared/contract'
import type { z } from 'zod'
import type { CoreDeps } from '../core/types'
import type { Derived } from './bulk/derived'
import { parseIpm, toUnixSeconds, uniqueName } from './util'
import { randomAlnum } from '../ids'
import { assertVersion } from '../secrets/rotate'
import { packClaims, rowLifeState, toRecord, tokenFinder, type TokenRow } from './row'

type AddInput = z.output<typeof TokenAddInput>
type SetInput = z.output<typeof TokenSetInput>

/** An HMAC key makes every HS*, an RSA key RS* and PS*, an EC key only its curve's ES*, an Ed25519 key EdDSA. */
function algFitsKey(keyAlg: string, alg: string): boolean {
  if (keyAlg.startsWith('HS')) return alg.startsWith('HS')
  if (keyAlg.startsWith('RS') || keyAlg.startsWith('PS')) return /^(RS|PS)/.test(alg)
  return alg === keyAlg
}

/** The alg and key reference a token signs with: a named key must exist and be able to make the alg. */
function signingKeys(db: CoreDeps['db']) {
  const keyAlg = db.prepare<[string], { alg: string }>('SELECT alg FROM keys WHERE name = ?')
  return function signingKey(
    alg: string | null | undefined,
    keyName: string | null | undefined
  ): { alg: string | null; key_ref: string | null } {
    if (!keyName) return { alg: alg ?? null, key_ref: null }
    const k = keyAlg.get(keyName)
    if (!k)
      fail('VALIDATION', `keyName: no key named "${keyName}" in this store (make or import it first)`, {
        path: 'keyName',
        rule: 'exists'
      })
    if (alg && !algFitsKey(k.alg, alg))
      fail(
        'VALIDATION',
        `alg: key "${keyName}" (${k.alg}) cannot sign ${alg}; choose one of the algorithms that key makes`,
        { path: 'alg', rule: 'key' }
      )
    return { alg: alg ?? k.alg, key_ref: keyName }
  }
}

/** Checks in this order: writable (not a pulled copy), version, state table. */
function guard(row: TokenRow, verb: TokenVerb, version: number | null): LifeState {
  if (verb !== 'GET' && verb !== 'GIT' && row.origin_connection_id !== null)
    fail('READ_ONLY', `Token ${row.id} is a copy pulled from a server: change it there, then pull again`, {
      id: row.id,
      connectionId: row.origin_connection_id
    })
  if (version !== null) assertVersion(`Token ${row.id}`, version, row.version, { id: row.id })
  const state = rowLifeState(row)
  const t = TOKEN_STATE_TABLE[state][verb]
  if (t.kind === 'refused')
    fail('INVALID_STATE', `${verb} is not allowed on token ${row.id}: ${t.reason}`, {
      id: row.id,
      verb,
      state,
      allowed: verbsFrom(state)
    })
  return state
}

/** The columns a SET changes (only those that differ from the row) and the same change in the contract's names. */
function setChanges(
  input: SetInput,
  row: TokenRow,
  signingKey: ReturnType<typeof signingKeys>,
  derived: Pick<Derived, 'assertWritable'>
) {
  const sets: Record<string, unknown> = {}
  for (const f of ['name', 'brief', 'avatar'] as const)
    if (input[f] !== undefined && input[f] !== row[f]) sets[f] = input[f]
  // A new name needs the unique index; a new name or brief, the search index a bulk load is building.
  if (sets.name !== undefined || sets.brief !== undefined) derived.assertWritable()
  if (input.keyName !== undefined || input.alg !== undefined) {
    const k = signingKey(
      input.alg === undefined ? row.alg : input.alg,
      input.keyName === undefined ? row.key_ref : input.keyName
    )
    if (k.alg !== row.alg) sets.alg = k.alg
    if (k.key_ref !== row.key_ref) sets.key_ref = k.key_ref
  }
  const expire = toUnixSeconds(input.expire, 'expire')
  if (expire !== undefined && expire !== row.expire) sets.expire = expire
  const updates: Record<string, unknown> = { ...sets }
  if ('key_ref' in updates) {
    updates.keyName = updates.key_ref
    delete updates.key_ref
  }
  return { sets, updates }
}

const INSERT_SQL = `INSERT INTO tokens (id, name, brief, avatar, claims, state, stato, published, expire, alg, key_ref,
    creator, updater, cstamp, istamp, version)
    VALUES (@id, @name, @brief, @avatar, @claims, 0, 'enabled', 0, @expire, @alg, @key_ref, @creator, @creator, @now, @now, 1)`

/** Writes the changed columns at the row's version; a row changed meanwhile is a CONFLICT. */
function writeSets(deps: CoreDeps, row: TokenRow, sets: Record<string, unknown>): void {
  const cols = Object.keys(sets)
  const sql = `UPDATE tokens SET ${cols.map((c) => `${c} = @${c}`).join(', ')}${cols.length ? ', ' : ''}
      version = version + 1, updater = @updater__, istamp = @istamp__ WHERE rid = @rid__ AND version = @version__`
  const r = deps.db
    .prepare(sql)
    .run({ ...sets, updater__: deps.actor(), istamp__: deps.now(), rid__: row.rid, version__: row.version })
  if (r.changes !== 1)
    fail('CONFLICT', `Token ${row.id} changed while it was being updated; reload and retry`, { id: row.id })
}

/** DIS and ENB: the same state change in the row's columns and the contract's names. */
function stateChange(state: 0 | 1, stato: string) {
  return { sets: { state, stato }, updates: { state, stato } }
}

/** GIT is the private detail of one's own token (seed 002: XduaApiSubject i, creator only). */
function assertOwnToken(row: TokenRow, actor: string): void {
  if (row.creator !== actor)
    fail('FORBIDDEN', `GIT shows your own tokens only: ${row.id} was created by ${row.creator}; use GET`, {
      id: row.id,
      creator: row.creator
    })
}

/** The lifecycle verbs over the tokens table. Every write runs in one IMMEDIATE transaction: read, check, write. */
export function createLifecycle(deps: CoreDeps, derived: Pick<Derived, 'assertWritable'>) {
  const { db } = deps
  const find = tokenFinder(db)
  const signingKey = signingKeys(db)
  const insert = db.prepare(INSERT_SQL)
  const del = db.prepare('DELETE FROM tokens WHERE rid = ? AND version = ?')

  function read(id: string): TokenRow {
    return find(id) ?? fail('NOT_FOUND', `No token with id ${id}`, { id })
  }

  function update(
    row: TokenRow,
    verb: TokenVerb,
    sets: Record<string, unknown>,
    updates: Record<string, unknown>
  ): TokenVerbResult {
    writeSets(deps, row, sets)
    return { id: row.id, verb, updates, record: toRecord(read(row.id)) }
  }

  function verb(
    verbName: TokenVerb,
    id: string,
    version: number,
    change: (row: TokenRow) => { sets: Record<string, unknown>; updates: Record<string, unknown> }
  ): TokenVerbResult {
    return db
      .transaction(() => {
        // Every write waits for a bulk load, state changes too: the load's end may remove the row it would change.
        derived.assertWritable()
        const row = read(id)
        guard(row, verbName, version)
        const { sets, updates } = change(row)
        return update(row, verbName, sets, updates)
      })
      .immediate()
  }

  return {
    find,
    read,
    guard,
    add(input: AddInput): TokenVerbResult {
      parseIpm(input.ipm)
      const { alg, key_ref } = signingKey(input.alg, input.keyName)
      const now = deps.now()
      const expire = input.expiresIn
        ? Math.floor(now / 1000) + input.expiresIn
        : (toUnixSeconds(input.expire, 'expire') ?? 0)
      return db
        .transaction(() => {
          derived.assertWritable()
          // 62^8 ids: a clash is rare, but retry rather than fail.
          for (let attempt = 0; attempt < 5; attempt++) {
            const id = randomAlnum(8)
            if (find(id)) continue
            const name = input.name ?? `token_${id}`
            uniqueName(name, () =>
              insert.run({
                id,
                name,
                brief: input.brief,
                avatar: input.avatar,
                claims: packClaims(input),
                expire,
                alg,
                key_ref,
                creator: deps.actor(),
                now
              })
            )
            const record = toRecord(read(id))
            return { id, verb: 'ADD' as const, updates: { ...input, name, id }, record }
          }
          return fail('INTERNAL', 'Could not draw a free token id')
        })
        .immediate()
    },
    set(input: SetInput): TokenVerbResult {
      // The UPDATE is where the unique index refuses a taken name.
      return uniqueName(input.name ?? '', () =>
        verb('SET', input.id, input.version, (row) => setChanges(input, row, signingKey, derived))
      )
    },
    dol: (id: string, version: number) =>
      verb('DOL', id, version, () => ({ sets: { deleted_at: deps.now() }, updates: { deleted: true } })),
    rcc: (id: string, version: number) =>
      verb('RCC', id, version, () => ({ sets: { deleted_at: null }, updates: { deleted: false } })),
    dis: (id: string, version: number, reason?: string) =>
      verb('DIS', id, version, () => stateChange(1, reason ?? 'disabled')),
    enb: (id: string, version: number) => verb('ENB', id, version, () => stateChange(0, 'enabled')),
    off: (id: string, version: number) =>
      verb('OFF', id, version, () => ({ sets: { published: 0 }, updates: { published: false } })),
    pub: (id: string, version: number) =>
      verb('PUB', id, version, () => ({ sets: { published: 1 }, updates: { published: true } })),
    get(id: string): TokenRecord {
      const row = read(id)
      guard(row, 'GET', null)
      return toRecord(row)
    },
    git(id: string): TokenRecord {
      const row = read(id)
      guard(row, 'GIT', null)
      assertOwnToken(row, deps.actor())
      return toRecord(row)
    },
    del(id: string, version: number): { id: string; verb: 'DEL' } {
      return db
        .transaction(() => {
          const row = read(id)
          guard(row, 'DEL', version)
          // The search index a bulk load is building would keep the deleted row.
          derived.assertWritable()
          if (del.run(row.rid, row.version).changes !== 1)
            fail('CONFLICT', `Token ${id} changed while it was being deleted`, { id })
          return { id, verb: 'DEL' as const }
        })
        .immediate()
    }
  }
}

export type Lifecycle = ReturnType<typeof createLifecycle>
