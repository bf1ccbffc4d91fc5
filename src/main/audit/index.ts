import type { Db } from '../db'
import type { AuditEntry } from '../../shared/contract'
import { redactDetails, redactText } from './redact'
import { createTargetNames } from './names'

export interface AuditRecord {
  actor: string
  action: string
  target?: string | null
  outcome: string
  details?: Record<string, unknown> | null
}

export { redactDetails as redact } from './redact'

export interface AuditLog {
  record(r: AuditRecord): void
  list(q: { target?: string; action?: string; outcome?: string; limit: number; before?: number }): {
    items: AuditEntry[]
    nextCursor: number | null
  }
}

export function createAuditLog(db: Db, now: () => number = Date.now): AuditLog {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?)')
  // Built on first read: the domain tables are created after the audit log in some start orders.
  let names: ReturnType<typeof createTargetNames> | null = null
  return {
    record(r) {
      const details = redactDetails(r.details)
      insert.run(
        new Date(now()).toISOString(),
        r.actor,
        r.action,
        r.target ? redactText(r.target) : null,
        r.outcome,
        details ? JSON.stringify(details) : null
      )
    },
    list(q) {
      const where: string[] = []
      const args: unknown[] = []
      names ??= createTargetNames(db)
      // The target filter takes an id or a name: a name stands for every record that carries it.
      if (q.target) {
        const targets = [q.target, ...names.idsNamed(q.target)]
        where.push(`target IN (${targets.map(() => '?').join(', ')})`)
        args.push(...targets)
      }
      const filters: Array<[string, unknown]> = [
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
      const nameOf = new Map<string, string | null>()
      const items = rows.slice(0, q.limit).map((r) => {
        if (r.target && !nameOf.has(r.target)) nameOf.set(r.target, names!.nameOf(r.target))
        return {
          ...r,
          details: r.details ? JSON.parse(r.details) : null,
          targetName: r.target ? (nameOf.get(r.target) ?? null) : null
        }
      })
      return { items, nextCursor: more ? items[items.length - 1].id : null }
    }
  }
}
