import { fail } from '../../shared/errors'
import type { Db } from '../db'
import type { SecretStore } from '../secrets'
import { freshAccount } from '../secrets/rotate'
import { secretRef } from '../secrets'

/**
 * The secret TokenDesk set on a Datafor config, kept so test tokens can be minted offline. Each value lives under a
 * fresh keychain account (`datafor/<conn>/<name>/<random>`); `datafor_secrets` names the current one. A writer claims
 * the config (a pending account, in a version-checking transaction) before it sends anything, so two writers never
 * talk to the server at once: the loser gets CONFLICT and deletes only the account it wrote, and the kept secret is
 * always the one the server holds.
 */

/** The fixed account of stores written before fresh accounts: still read, replaced on the next write. */
export const legacyDataforRef = (connId: string, name: string) => secretRef('datafor', `${connId}/${name}`)

/** A claim older than this is a writer that died mid-way: the next writer may take it over. */
const STALE_CLAIM_MS = 10 * 60_000

interface Row {
  secret_ref: string | null
  pending_ref: string | null
  pending_at: number | null
  version: number
}

export interface DataforSecrets {
  /** The account holding the kept secret, or null when TokenDesk never set one. */
  ref(connId: string, name: string): Promise<string | null>
  get(connId: string, name: string): Promise<string | null>
  /** The current accounts of every kept secret of a connection (name -> account). */
  refs(connId: string): Promise<Map<string, string>>
  /**
   * Sets a new secret: fresh account, claim, `send` (the server write), then switch the ref and delete the old item.
   * If `send` fails, the claim is released and only the new account is deleted; the old secret stays current.
   */
  set<T>(connId: string, name: string, value: string, send: () => Promise<T>): Promise<T>
  /**
   * The same for a value already in `account` (a fresh account the caller wrote): claim, send, switch. Returns the
   * accounts it replaced, for the caller to delete; if `send` fails, the claim is released and `account` left alone.
   */
  adopt<T>(
    connId: string,
    name: string,
    account: string,
    send: () => Promise<T>
  ): Promise<{ result: T; replaced: string[] }>
  /** Forgets the kept secret of a deleted config (its current and legacy accounts). */
  drop(connId: string, name: string): Promise<void>
}

const readRow = (db: Db, connId: string, name: string) =>
  db
    .prepare<[string, string], Row>(
      'SELECT secret_ref, pending_ref, pending_at, version FROM datafor_secrets WHERE connection_id = ? AND name = ?'
    )
    .get(connId, name)

/** Takes the config for this writer (a pending account) unless a live writer holds it. */
function claim(db: Db, now: () => number, connId: string, name: string, account: string): Row {
  return db
    .transaction(() => {
      const r = readRow(db, connId, name)
      if (r?.pending_ref && r.pending_at !== null && now() - r.pending_at < STALE_CLAIM_MS)
        fail('CONFLICT', `Another change of the secret of "${name}" is in progress; try again when it has finished`, {
          name
        })
      if (!r)
        db.prepare(
          'INSERT INTO datafor_secrets (connection_id, name, secret_ref, pending_ref, pending_at, version) VALUES (?, ?, NULL, ?, ?, 1)'
        ).run(connId, name, account, now())
      else
        db.prepare(
          'UPDATE datafor_secrets SET pending_ref = ?, pending_at = ?, version = version + 1 WHERE connection_id = ? AND name = ?'
        ).run(account, now(), connId, name)
      return readRow(db, connId, name)!
    })
    .immediate()
}

/** Switches the ref to `account` if this writer still holds the claim; returns the account it replaced. */
function commit(
  db: Db,
  connId: string,
  name: string,
  account: string,
  version: number,
  legacy: string | null
): string | null {
  return db
    .transaction(() => {
      const r = readRow(db, connId, name)
      if (!r || r.pending_ref !== account || r.version !== version)
        fail('CONFLICT', `The secret of "${name}" was changed by another writer meanwhile; read it again`, { name })
      db.prepare(
        'UPDATE datafor_secrets SET secret_ref = ?, pending_ref = NULL, pending_at = NULL, version = version + 1 WHERE connection_id = ? AND name = ?'
      ).run(account, connId, name)
      // The pulled copy names the kept secret too (findings read its length through it).
      db.prepare('UPDATE sso_apps SET secret_ref = ? WHERE origin_connection_id = ? AND remote_id = ?').run(
        account,
        connId,
        name
      )
      return r.secret_ref ?? legacy
    })
    .immediate()
}

export function createDataforSecrets(db: Db, secrets: SecretStore, now: () => number): DataforSecrets {
  const read = (connId: string, name: string) => readRow(db, connId, name)

  async function ref(connId: string, name: string): Promise<string | null> {
    const r = read(connId, name)
    if (r?.secret_ref) return r.secret_ref
    const legacy = legacyDataforRef(connId, name)
    return (await secrets.get(legacy)) !== null ? legacy : null
  }

  async function refs(connId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    const prefix = `${legacyDataforRef(connId, '')}`
    for (const a of await secrets.list().catch(() => [] as string[])) {
      const rest = a.startsWith(prefix) ? a.slice(prefix.length) : ''
      if (rest && !rest.includes('/')) out.set(rest, a)
    }
    for (const r of db
      .prepare<[string], { name: string; secret_ref: string | null }>(
        'SELECT name, secret_ref FROM datafor_secrets WHERE connection_id = ?'
      )
      .all(connId))
      if (r.secret_ref) out.set(r.name, r.secret_ref)
    return out
  }

  function release(connId: string, name: string, account: string) {
    db.prepare(
      'UPDATE datafor_secrets SET pending_ref = NULL, pending_at = NULL WHERE connection_id = ? AND name = ? AND pending_ref = ?'
    ).run(connId, name, account)
  }

  async function adopt<T>(
    connId: string,
    name: string,
    account: string,
    send: () => Promise<T>
  ): Promise<{ result: T; replaced: string[] }> {
    const claimed = claim(db, now, connId, name, account)
    let result: T
    try {
      result = await send()
    } catch (e) {
      release(connId, name, account)
      throw e
    }
    const legacy =
      (await secrets.get(legacyDataforRef(connId, name)).catch(() => null)) !== null
        ? legacyDataforRef(connId, name)
        : null
    const old = commit(db, connId, name, account, claimed.version, legacy)
    return { result, replaced: [...new Set([old, legacy])].filter((a): a is string => Boolean(a) && a !== account) }
  }

  return {
    ref,
    refs,
    async get(connId, name) {
      const a = await ref(connId, name)
      return a ? secrets.get(a) : null
    },
    adopt,
    async set<T>(connId: string, name: string, value: string, send: () => Promise<T>): Promise<T> {
      const account = freshAccount('datafor', `${connId}/${name}`)
      await secrets.set(account, value)
      let out: { result: T; replaced: string[] }
      try {
        out = await adopt(connId, name, account, send)
      } catch (e) {
        await secrets.delete(account).catch(() => false)
        throw e
      }
      for (const a of out.replaced) await secrets.delete(a).catch(() => false)
      return out.result
    },
    async drop(connId, name) {
      const r = read(connId, name)
      db.prepare('DELETE FROM datafor_secrets WHERE connection_id = ? AND name = ?').run(connId, name)
      for (const a of [r?.secret_ref, legacyDataforRef(connId, name)]) if (a) await secrets.delete(a).catch(() => false)
    }
  }
}
