import { z } from 'zod'
import { channel, lazy } from './define'
import { wellFormed } from './fields'
import { ConnectionDraft } from './connections'
import { ExpiresAt, RotateFlags, RotateId, type RenewResult, type RotateResult } from './rotate'

/**
 * The remote domain's renew and rotate channels (shapes in rotate.ts), joined to remoteChannels where the contract is
 * assembled (index.ts, domains.ts): a module that imports one remote schema then does not keep these.
 */

const Target = lazy(() => ({
  conn: wellFormed(z.string().trim().min(1).max(200)).optional(),
  adhoc: ConnectionDraft.optional()
}))
const oneTarget = (v: { conn?: string; adhoc?: unknown }) => Boolean(v.conn) !== Boolean(v.adhoc)
const TARGET_MSG = 'give either conn (a saved connection) or adhoc (a one-off profile)'

export const remoteRotateChannels = {
  'remote:renew': channel<RenewResult>()({
    input: lazy(() =>
      z
        .object({ ...Target, id: RotateId, expiresAt: ExpiresAt })
        .strict()
        .refine(oneTarget, TARGET_MSG)
    ),
    mutates: true,
    summary: "Fess / xdua: set a token's expiry on its server (read, merge, write; Fess times are written as UTC)"
  }),
  'remote:rotate': channel<RotateResult>()({
    input: lazy(() =>
      z.object({ conn: wellFormed(z.string().trim().min(1).max(200)), id: RotateId, ...RotateFlags }).strict()
    ),
    mutates: true,
    summary: 'Fess / xdua: replace a token with a copy (same permissions or claims); the old one works until retired'
  }),
  'remote:dataforRotateSecret': channel<RotateResult>()({
    input: lazy(() =>
      z
        .object({
          conn: wellFormed(z.string().trim().min(1).max(200)),
          name: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .regex(/^[A-Za-z0-9]+$/, 'letters and digits only'),
          resume: z.boolean().optional()
        })
        .strict()
    ),
    mutates: true,
    summary: 'Datafor: a new random secret (or key pair) for an SSO config, verified with a test token'
  })
}
