import type { Db } from '../db'
import type { SecretStore } from '../secrets'

/**
 * A SecretStore that records each secret's byte length (never its value) in `secret_lengths`, so the weak-secret rules
 * can judge a secret without reading the keychain. Writers set the secret before pointing a row at it, so the length
 * is there when the row's triggers run. The store is taken on first write: a command that writes no secret opens none.
 */
export function measuredSecrets(store: SecretStore, db: () => Db): SecretStore {
  const put = (account: string, bytes: number) =>
    db()
      .prepare(
        'INSERT INTO secret_lengths (ref, bytes) VALUES (?, ?) ON CONFLICT(ref) DO UPDATE SET bytes = excluded.bytes'
      )
      .run(account, bytes)
  const drop = (account: string) => db().prepare('DELETE FROM secret_lengths WHERE ref = ?').run(account)
  return {
    get backend() {
      return store.backend
    },
    get: (a) => store.get(a),
    list: () => store.list(),
    check: () => store.check(),
    async set(account, secret) {
      await store.set(account, secret)
      put(account, Buffer.byteLength(secret, 'utf8'))
    },
    async delete(account) {
      const r = await store.delete(account)
      drop(account)
      return r
    }
  }
}
