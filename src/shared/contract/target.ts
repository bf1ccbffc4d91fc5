import { z } from 'zod'
import { lazy } from './define'
import { wellFormed } from './fields'
import { ConnectionDraft } from './connections'

/** A saved connection, by id or name. */
export const connRef = () => wellFormed(z.string().trim().min(1).max(200))

const oneTarget = (v: { conn?: unknown; adhoc?: unknown }) => Boolean(v.conn) !== Boolean(v.adhoc)
const TARGET_MSG = 'give either conn (a saved connection) or adhoc (a one-off profile)'

/**
 * The input of a call to a server: exactly one of `conn` (a saved profile) or `adhoc` (a one-off profile), with the
 * call's own fields; built on first use.
 */
export function targeted<S extends z.ZodRawShape>(fields: () => S) {
  return lazy(() =>
    z
      .strictObject({ conn: connRef().optional(), adhoc: ConnectionDraft.optional(), ...fields() })
      .refine(oneTarget, TARGET_MSG)
  )
}
