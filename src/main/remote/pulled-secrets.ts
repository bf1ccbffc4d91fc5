import type { SecretStore } from '../secrets'
import { freshAccount } from '../secrets/rotate'

/** What a pull's write transaction did with keychain accounts: the ones its rows now name, the ones they stopped naming. */
export interface AccountSwitch {
  used: Set<string>
  replaced: string[]
}

/**
 * The keychain side of a pull that keeps values: each value goes to a fresh account before the rows are written, the
 * rows switch to those accounts in their transaction, and only after commit are the accounts they stopped naming (and
 * the ones written here but not used) deleted. Two racing pulls never share an account, so neither deletes the other's.
 */
export async function pulledSecrets<T extends AccountSwitch>(
  secrets: SecretStore,
  values: Array<{ key: string; id: string; value: string }>,
  dropsRefs: boolean,
  commit: (accounts: Map<string, string>) => T
): Promise<T> {
  // A pull that may drop rows holding secrets needs the keychain up front, or it would orphan their items.
  if (dropsRefs && values.length === 0) await secrets.check()
  const written = new Map<string, string>()
  let result: T
  try {
    for (const v of values) {
      const account = freshAccount('access-token', v.id)
      await secrets.set(account, v.value)
      written.set(v.key, account)
    }
    result = commit(written)
  } catch (e) {
    for (const a of written.values()) await secrets.delete(a).catch(() => false)
    throw e
  }
  const unused = [...written.values()].filter((a) => !result.used.has(a))
  for (const a of [...result.replaced, ...unused]) await secrets.delete(a).catch(() => false)
  return result
}
