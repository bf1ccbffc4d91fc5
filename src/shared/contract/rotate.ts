import { z } from 'zod'
import { isoInRange, wellFormed } from './fields'
import type { InventoryKind } from './inventory'
import type { ErrorCode } from '../errors'
import { lazy } from './define'

/**
 * Renew and rotate: set a new expiry on a local record or on its server (through the remote clients' read-merge-write),
 * and replace a token with a copy while the old one keeps working until the user retires it.
 *
 * Rotation steps run in order and each is audited. A step that fails after something changed does not throw: the
 * result carries `failed` and `resumeFrom`, both tokens still work, and the same call with `resume: true` finishes it.
 * A failure before anything changed is an ordinary coded error (nothing to resume: run it again). A create whose answer
 * was lost is looked up by the marker the replacement carries; if that cannot settle it, the rotation stays open and
 * resume looks again before creating, so it never makes a second replacement.
 */

/** The steps of a rotation, in order; each target uses the ones its server has (ROTATE_PLAN). */
export const ROTATE_STEPS = [
  'read-old', // read the old token (or config) whole
  'create-new', // Fess create / xdua ADD / local add: a copy with the same claims, permissions, parameter name
  'copy-fields', // xdua / local: SET what ADD cannot carry (expiry, brief)
  'publish-new', // xdua / local: PUB the replacement
  'keep-secret', // Datafor: the new secret (or private key) into the keychain under a fresh account
  'write-config', // Datafor: the full config with the new secret (read, merge, write)
  'verify', // Datafor: a test token minted and verified with the new secret
  'offline-old', // xdua / local, retire: OFF the old token
  'delete-old' // retire: Fess delete, xdua / local DOL (recoverable), Datafor: delete the old keychain item
] as const
export type RotateStep = (typeof ROTATE_STEPS)[number]
export type RotateTarget = 'fess' | 'xdua' | 'datafor' | 'local'

/** Which steps each target runs; the ones after `retireFrom` run only when the old token is retired. */
export const ROTATE_PLAN: Record<RotateTarget, { steps: RotateStep[]; retireFrom: RotateStep | null }> = {
  fess: { steps: ['read-old', 'create-new', 'delete-old'], retireFrom: 'delete-old' },
  xdua: {
    steps: ['read-old', 'create-new', 'copy-fields', 'publish-new', 'offline-old', 'delete-old'],
    retireFrom: 'offline-old'
  },
  local: {
    steps: ['read-old', 'create-new', 'copy-fields', 'publish-new', 'offline-old', 'delete-old'],
    retireFrom: 'offline-old'
  },
  // The old secret stops working the moment the config is written: there is nothing to keep, only the old item to drop.
  datafor: { steps: ['read-old', 'keep-secret', 'write-config', 'verify', 'delete-old'], retireFrom: null }
}

export interface RotateStepState {
  step: RotateStep
  state: 'done' | 'pending' | 'skipped'
  /** ISO 8601 when done. */
  at: string | null
}

export interface RotateResult {
  /** The rotation's record: `resume` finds it by target + connection + old id. */
  rotationId: string
  target: RotateTarget
  connectionId: string | null
  /** The old token's id on its server (local: the local token id; Datafor: the config name). */
  oldId: string
  /** The replacement's id (null until created; Datafor: the config name). */
  newId: string | null
  /** Fess: the replacement's value, in the result of the call that created it and never again (copy it now). */
  token?: string
  /** Datafor RS/ES: the new public key the server now holds (Base64 SPKI); the private key stays in the keychain. */
  publicKey?: string
  steps: RotateStepState[]
  /** true once the old token is retired (deleted or offline + deleted), or for Datafor once the config is switched. */
  retired: boolean
  /** The step a `resume: true` call runs next; null when nothing is left (complete, or old kept by choice). */
  resumeFrom: RotateStep | null
  /** The step that failed in this call (both tokens still work; resume from `resumeFrom`). */
  failed?: { step: RotateStep; code: ErrorCode; message: string }
  /** Plain words for the user (e.g. "tokens signed with the old secret stop working now"). */
  notes: string[]
}

export interface RenewResult {
  target: Exclude<RotateTarget, 'datafor'>
  connectionId: string | null
  /** Server id (Fess, xdua) or local token / access-token id. */
  id: string
  /** ISO 8601 before and after; null = never expires. */
  before: string | null
  after: string | null
}

export interface RenewManyResult {
  renewed: number
  failed: Array<{ kind: InventoryKind; id: string; code: ErrorCode; message: string }>
}

/** A token id (local or on its server). */
export const RotateId = lazy(() => wellFormed(z.string().trim().min(1).max(200)))

/** The new expiry: an ISO 8601 instant (a zone or Z required) or null for "never expires". */
export const ExpiresAt = lazy(() =>
  z
    .string()
    .datetime({ offset: true, message: 'an ISO 8601 date-time with a zone, e.g. 2027-01-31T00:00:00Z' })
    .refine(isoInRange, 'must lie between 1970 and 9999')
    .nullable()
)

export const RotateFlags = lazy(() => ({
  /** Retire the old token in this call (Fess delete; xdua / local OFF then DOL). Without it the old one keeps working. */
  retireOld: z.boolean().optional(),
  /** Finish the open rotation of this token from the step it stopped at. */
  resume: z.boolean().optional()
}))
