import { z } from 'zod'
import { lazy } from './define'
import { reads } from './channel'

export interface AuditEntry {
  id: number
  /** ISO 8601 time. */
  at: string
  actor: string
  action: string
  target: string | null
  /** The current name of the record the target id names (token, access token, SSO app, key, connection), if any. */
  targetName?: string | null
  outcome: 'ok' | string
  details: Record<string, unknown> | null
}

export const AuditListInput = lazy(() =>
  z.strictObject({
    target: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    outcome: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    /** Keyset cursor: entries with id below this one (newest first). */
    before: z.number().int().positive().optional()
  })
)

export const auditChannels = {
  /** The audit log, newest first, filterable by target, action and outcome */
  'audit:list': reads<{ items: AuditEntry[]; nextCursor: number | null }>()(AuditListInput)
}
