import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { noInput, type KeysetPage } from './fields'
import { ExpiresAt, RotateFlags, RotateId, type RenewResult, type RotateResult } from './rotate'

/**
 * Token hygiene: one inventory over every token the store knows (local records and the last pull of each connection),
 * the findings rules, and a refresh that pulls every connection.
 */
export const INVENTORY_KINDS = ['token', 'access-token', 'sso-app', 'key'] as const
export type InventoryKind = (typeof INVENTORY_KINDS)[number]

export const FINDING_RULE_IDS = [
  'never-expires',
  'expires-soon',
  'expired-active',
  'fess-admin',
  'fess-readback',
  'datafor-short-secret',
  'datafor-admin-autocreate',
  'xdua-open',
  'weak-key'
] as const
export type FindingRuleId = (typeof FINDING_RULE_IDS)[number]
export type FindingSeverity = 'high' | 'warning'

export interface FindingRule {
  id: FindingRuleId
  severity: FindingSeverity
  /** One line: why it matters. */
  why: string
  /** One line: what to do. */
  fix: string
  /** True when the rule depends on the clock (answered at read time). */
  time: boolean
}

export interface InventoryRow {
  kind: InventoryKind
  /** The connection's name, or "local". */
  server: string
  connectionId: string | null
  name: string
  /** The local record id (tokens: the token id; keys: the kid). */
  id: string
  /** The server's id of a pulled copy. */
  remoteId: string | null
  state: string
  /** ISO 8601, null when it never expires (or the kind has no expiry). */
  expiresAt: string | null
  /** ISO 8601 of the last pull, null for a local record. */
  pulledAt: string | null
  findings: Array<{ rule: FindingRuleId; severity: FindingSeverity }>
}

/** Durations: `30d`, `12h`, `90m`, or a bare number of days. */
const Within = lazy(() =>
  z
    .union([z.number().int().min(0).max(36500), z.string().regex(/^\d{1,6}[dhm]?$/, 'a duration like 30d, 12h or 90m')])
    .transform((v) => {
      if (typeof v === 'number') return v * 86400
      const n = Number(v.replace(/[dhm]$/, ''))
      return v.endsWith('h') ? n * 3600 : v.endsWith('m') ? n * 60 : n * 86400
    })
)

export const InventoryFilter = lazy(() =>
  z.strictObject({
    /** A connection name or id, or "local". */
    server: z.string().min(1).max(200).optional(),
    kind: z.enum(INVENTORY_KINDS).optional(),
    /** Expiring between now and now + this (seconds once parsed). */
    expiringWithin: Within.optional(),
    expired: z.boolean().optional(),
    neverExpires: z.boolean().optional(),
    findings: z.boolean().optional(),
    rule: z.enum(FINDING_RULE_IDS).optional()
  })
)

export const InventoryListInput = lazy(() =>
  InventoryFilter.extend({
    limit: z.number().int().min(1).max(1000).default(100),
    /** The `nextCursor` of the previous page. */
    cursor: z.string().max(200).optional()
  }).strict()
)

export interface InventoryPage extends KeysetPage<InventoryRow> {
  /** Epoch ms the time rules were judged at. */
  at: number
  windowDays: number
}

export interface InventoryCounts {
  at: number
  windowDays: number
  /** Tokens with each finding (time rules judged at `at`). */
  byRule: Record<FindingRuleId, number>
  high: number
  warning: number
}

export interface RefreshServerResult {
  connection: string
  kind: 'fess' | 'datafor' | 'xdua'
  ok: boolean
  pulled?: number
  error?: { code: string; message: string }
}
export interface RefreshResult {
  servers: RefreshServerResult[]
  failed: number
}

/** One inventory row by kind and local id (what `InventoryRow` carries). */
const InventoryRef = lazy(() => z.strictObject({ kind: z.enum(INVENTORY_KINDS), id: RotateId }))

export const inventoryChannels = {
  /** Every token the store knows, soonest expiry first, with its findings */
  'inventory:list': reads<InventoryPage>()(lazy(() => InventoryListInput.default({ limit: 100 }))),
  /** How many tokens trip each finding */
  'inventory:counts': reads<InventoryCounts>()(
    lazy(() => z.strictObject({ server: z.string().min(1).max(200).optional() }).default({}))
  ),
  /** The hygiene rules: id, severity, why and fix */
  'inventory:findings': reads<FindingRule[]>()(noInput()),
  /** One inventory row with its findings by kind and local id (null when the store has no such row) */
  'inventory:row': reads<InventoryRow | null>()(InventoryRef),
  /** Pull every connection (a job; one failing server does not stop the others) */
  'inventory:refresh': writes<{ jobId: string }>()(
    lazy(() => z.strictObject({ servers: z.array(z.string().min(1).max(200)).max(100).optional() }).default({}))
  ),
  /** The inventory with findings as CSV or JSON */
  'inventory:export': reads<{ format: 'csv' | 'json'; rows: number; text: string }>()(
    lazy(() =>
      InventoryFilter.extend({ format: z.enum(['csv', 'json']).default('csv') })
        .strict()
        .default({ format: 'csv' })
    )
  ),

  // Renew and rotate (shapes in rotate.ts)
  /** Set a new expiry on an inventory row: locally, or on its server for a pulled copy */
  'inventory:renew': writes<RenewResult>()(lazy(() => InventoryRef.extend({ expiresAt: ExpiresAt }).strict())),
  /** Renew a selection of inventory rows (a job with progress, result RenewManyResult; one failure does not stop the rest) */
  'inventory:renewMany': writes<{ jobId: string }>()(
    lazy(() => z.strictObject({ items: z.array(InventoryRef).min(1).max(100_000), expiresAt: ExpiresAt }))
  ),
  /** Rotate an inventory row: a local token, or a pulled Fess / xdua token or Datafor config on its server */
  'inventory:rotate': writes<RotateResult>()(lazy(() => InventoryRef.extend(RotateFlags).strict()))
}
