import type { CoreDeps } from '../core/types'

/** Distinct creators starting with `prefix` (exact, case-sensitive, as the filter matches), in order. */
export function creatorsWithPrefix(deps: CoreDeps, prefix: string, limit: number): { creators: string[] } {
  const rows = deps.db
    .prepare<{ prefix: string; limit: number }, { creator: string }>(
      'SELECT DISTINCT creator FROM tokens WHERE substr(creator, 1, length(@prefix)) = @prefix ORDER BY creator LIMIT @limit'
    )
    .all({ prefix, limit })
  return { creators: rows.map((r) => r.creator) }
}
