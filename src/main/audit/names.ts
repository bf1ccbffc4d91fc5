import type { Db } from '../db'

/** The things an audit target id can name: each table's id column and name column. */
const NAMED = [
  ['tokens', 'id'],
  ['access_tokens', 'id'],
  ['sso_apps', 'id'],
  ['keys', 'kid'],
  ['connections', 'id']
] as const
/** A name shared by many records (pulled token copies) still finds at most this many ids per table. */
const MAX_IDS_PER_NAME = 50

/**
 * Joins names to audit targets (the log keeps ids only, so a rename shows the current name). A store without one of
 * the tables (a bare audit database in tests) simply has no names from it.
 */
export function createTargetNames(db: Db) {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
  )
  const present = NAMED.filter(([t]) => tables.has(t))
  const byId = present.map(([t, col]) =>
    db.prepare<[string], { name: string }>(`SELECT name FROM ${t} WHERE ${col} = ?`)
  )
  const byName = present.map(([t, col]) =>
    db.prepare<[string, number], { id: string }>(`SELECT ${col} AS id FROM ${t} WHERE name = ? LIMIT ?`)
  )
  return {
    /** The current name of the record with this id, if any. */
    nameOf(id: string): string | null {
      for (const s of byId) {
        const r = s.get(id)
        if (r) return r.name
      }
      return null
    },
    /** The ids of records with exactly this name. */
    idsNamed(name: string): string[] {
      return byName.flatMap((s) => s.all(name, MAX_IDS_PER_NAME).map((r) => r.id))
    }
  }
}
