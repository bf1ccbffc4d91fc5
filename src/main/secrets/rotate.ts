import { randomUUID } from 'node:crypto'
import { fail } from '../../shared/errors'
import type { SecretStore } from './index'

/** A keychain account no other writer can hold: `<kind>/<id>/<random>`, so a losing writer never touches a winner's item. */
export function freshAccount(kind: string, id: string): string {
  return `${kind}/${id}/${randomUUID()}`
}

/** The optimistic lock: CONFLICT unless the row is still at the version the caller read. */
export function assertVersion(
  what: string,
  expected: number,
  current: number,
  details: Record<string, unknown> = {}
): void {
  if (current !== expected)
    fail('CONFLICT', `${what} changed since you read it (version ${expected}, now ${current}); reload and retry`, {
      ...details,
      expected,
      current
    })
}

export interface NewSecret {
  kind: string
  id: string
  value: string
}

/**
 * Changes a row's secrets: each new value goes to a fresh account, then `commit` (the SQLite transaction that checks
 * the version and points the row at those accounts) runs, and only after it the accounts it replaced are deleted.
 * If anything fails before the commit returns, only the accounts written here are removed.
 */
export async function commitSecrets<T>(
  store: SecretStore,
  write: NewSecret[],
  replaced: Array<string | null | undefined>,
  commit: (accounts: string[]) => T | Promise<T>
): Promise<T> {
  const old = replaced.filter((a): a is string => Boolean(a))
  // Nothing to write but something to delete: refuse up front rather than commit and orphan the old items.
  if (write.length === 0 && old.length) await store.check()
  const written: string[] = []
  let result: T
  try {
    for (const s of write) {
      const account = freshAccount(s.kind, s.id)
      await store.set(account, s.value)
      written.push(account)
    }
    result = await commit(written)
  } catch (e) {
    for (const a of written) await store.delete(a).catch(() => false)
    throw e
  }
  for (const a of old) await store.delete(a).catch(() => false)
  return result
}

/**
 * Deletes a row, then its keychain items. With items to delete, an unreachable keychain refuses first
 * (KEYCHAIN_UNAVAILABLE) and the row stays: a delete never orphans a secret.
 */
export async function removeWithSecrets<T>(
  store: SecretStore,
  accounts: Array<string | null | undefined>,
  commit: () => T | Promise<T>
): Promise<T> {
  return commitSecrets(store, [], accounts, () => commit())
}
