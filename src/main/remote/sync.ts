import type { CoreDeps } from '../core/types'
import type { Derived } from '../tokens/bulk/derived'
import type { ConnectionsStore } from './connections'
import { createDataforSecrets, type DataforSecrets } from './datafor-secrets'
import { createDiff } from './diff'
import { createPull } from './pull'
import { createPush } from './push'

/**
 * Pull, push and diff between a server and the local tables of src/main/tokens/schema.ts: `access_tokens` (Fess),
 * `sso_apps` (Datafor), `tokens` (xdua). A pulled row is a read-only copy marked with origin_connection_id, remote_id
 * and pulled_at, upserted by (origin_connection_id, remote_id). Local records (origin NULL) are pushed; what a push
 * created is remembered in `remote_links`, so the next push updates it.
 *
 * Local column forms used here: access_tokens.permissions = Fess's own form, lines joined by "\n"; expires = Fess's
 * `yyyy-MM-ddTHH:mm:ss`; sso_apps.fieldmap / initroles = JSON; enable/inituser/self_service = 0/1; tokens.cstamp /
 * istamp = epoch ms (xdua's `yyyy-MM-dd HH:mm:ss` read as UTC).
 */

export function createSync(
  deps: CoreDeps,
  connections: ConnectionsStore,
  derived: Pick<Derived, 'assertWritable'>,
  kept: DataforSecrets = createDataforSecrets(deps.db, deps.secrets, deps.now)
) {
  const { pull, pullOne } = createPull(deps, connections, derived, kept)
  const { push } = createPush(deps, connections, kept)
  const { diff } = createDiff(deps, connections)
  return { pull, pullOne, push, diff }
}

export type Sync = ReturnType<typeof createSync>
