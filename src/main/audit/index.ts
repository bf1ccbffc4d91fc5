import type { Db } from '../db'
import type { AuditEntry } from '../../shared/contract'

export interface AuditRecord {
  actor: string
  action: string
  target?: string | null
  outcome: string
  details?: Record<string, unknown> | null
}

// Field names whose values are never written to the audit log, whatever channel they come from.
const SENSITIVE = /secret|pass|pwd|token|key|cred|private|jwt|bearer|claims|payload|value|cookie|auth/i
const MAX_LEN = 120

/**
 * Keeps only short scalar fields with harmless names: the audit log says what was done to what, never with which
 * secret. Nested objects are reduced the same way, one level deep.
 */
export function redact(details: Record<string, unknown> | null | undefined, depth = 0): Record<string, unknown> | null {
  if (!details) return null
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(details)) {
    if (SENSITIVE.test(k)) {
      if (v !== undefined && v !== null && v !== '') out[k] = '[redacted]'
      continue
    }
    if (typeof v === 'number' || typeof v === 'boolean') out[k] = v
    else if (typeof v === 'string') out[k] = v.length > MAX_LEN ? `${v.slice(0, MAX_LEN)}…` : v
    else if (v && typeof v === 'object' && !Array.isArray(v) && depth === 0) {
      const inner = redact(v as Record<string, unknown>, 1)
      if (inner && Object.keys(inner).length) out[k] = inner
    } else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
      out[k] = v.length > 20 ? `[${v.length} items]` : v
    }
  }
  return Object.keys(out).length ? out : null
}

export interface AuditLog {
  record(r: AuditRecord): void
  list(q: { target?: string; action?: string; outcome?: string; limit: number; before?: number }): {
    items: AuditEntry[]
    nextCursor: number | null
  }
}

export function createAuditLog(db: Db, now: () => number = Date.now): AuditLog {
  const insert = db.prepare(
    'INSERT INTO audit (at, actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?)'
  )
  return {
    record(r) {
      const details = redact(r.details)
      insert.run(
        new Date(now()).toISOString(),
        r.actor,
        r.action,
        r.target ?? null,
        r.outcome,
        details ? JSON.stringify(details) : null
      )
    },
    list(q) {
      const where: string[] = []
      const args: unknown[] = []
      const filters: Array<[string, unknown]> = [
        ['target = ?', q.target],
        ['action = ?', q.action],
        ['outcome = ?', q.outcome],
        ['id < ?', q.before]
      ]
      for (const [clause, value] of filters) {
        if (value === undefined || value === '') continue
        where.push(clause)
        args.push(value)
      }
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
      const rows = db.prepare(sql).all(...args, q.limit + 1) as Array<{
        id: number
        at: string
        actor: string
        action: string
        target: string | null
        outcome: string
        details: string | null
      }>
      const more = rows.length > q.limit
      const items = rows.slice(0, q.limit).map((r) => ({ ...r, details: r.details ? JSON.parse(r.details) : null }))
      return { items, nextCursor: more ? items[items.length - 1].id : null }
    }
  }
}
