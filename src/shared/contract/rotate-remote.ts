import { z } from 'zod'
import { lazy } from './define'
import { writes } from './channel'
import { connRef, targeted } from './target'
import { ExpiresAt, RotateFlags, RotateId, type RenewResult, type RotateResult } from './rotate'

/**
 * The remote domain's renew and rotate channels (shapes in rotate.ts), joined to remoteChannels where the contract is
 * assembled (index.ts, domains.ts): a module that imports one remote schema then does not keep these.
 */

export const remoteRotateChannels = {
  /** Fess / xdua: set a token's expiry on its server (read, merge, write; Fess times are written as UTC) */
  'remote:renew': writes<RenewResult>()(targeted(() => ({ id: RotateId, expiresAt: ExpiresAt }))),
  /** Fess / xdua: replace a token with a copy (same permissions or claims); the old one works until retired */
  'remote:rotate': writes<RotateResult>()(
    lazy(() => z.strictObject({ conn: connRef(), id: RotateId, ...RotateFlags }))
  ),
  /** Datafor: a new random secret (or key pair) for an SSO config, verified with a test token */
  'remote:dataforRotateSecret': writes<RotateResult>()(
    lazy(() =>
      z.strictObject({
        conn: connRef(),
        name: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9]+$/, 'letters and digits only'),
        resume: z.boolean().optional()
      })
    )
  )
}
