import type { Command } from 'commander'
import { INVENTORY_KINDS, type InventoryRow, type RefreshResult } from '../../../shared/contract/inventory'
import { cliIo, jsonText, writeErr, writeOut } from '../io'
import { collect, failure, watchJob, type CliContext, subcommand } from '../runtime'
import { csvHeader, csvLine } from '../../hygiene/report'
import { addInventoryRenew } from './rotate'

/** Exit code of `inventory --expiring-within` when it found rows (cron jobs alert on it). */
const EXIT_FOUND = 3

interface ListOptions {
  server?: string
  kind?: 'token' | 'access-token' | 'sso-app' | 'key'
  expiringWithin?: string
  expired?: boolean
  neverExpires?: boolean
  findings?: boolean
  rule?: string
  csv?: boolean
}

const human = (r: InventoryRow) =>
  [
    r.kind,
    r.server,
    r.name,
    r.id,
    r.state,
    r.expiresAt ?? 'never',
    r.findings.map((f) => `${f.rule}(${f.severity})`).join(',') || '-'
  ].join('\t')

/** `tokendesk inventory`: every token across the store and the servers, with findings. */
export function register(program: Command, ctx: CliContext): void {
  const inv = subcommand(
    program,
    'inventory',
    'every token TokenDesk knows (local and the last pull of each connection), soonest expiry first, with findings'
  )
    .option('--server <name>', 'one connection by name, or "local"')
    .option('--kind <kind>', 'token, access-token, sso-app or key')
    .option('--expiring-within <duration>', 'expiring between now and now + this: 30d, 12h, 90m')
    .option('--expired', 'already expired')
    .option('--never-expires', 'without an expiry')
    .option('--findings', 'only rows with findings')
    .option('--rule <id>', 'only rows with this finding (see `inventory rules`)')
    .option('--csv', 'CSV on stdout (kind,server,name,id,remote_id,state,expires_at,pulled_at,findings)')
    .addHelpText(
      'after',
      `\nExit codes: 0 ok; 1 failed; 2 usage; ${EXIT_FOUND} when --expiring-within found any token (for cron:\n` +
        '  tokendesk inventory --expiring-within 14d --json || notify ...).'
    )
    .action(async (o: ListOptions) => {
      if (o.csv && ctx.json) throw failure('VALIDATION', 'Give --json or --csv, not both')
      const filter = {
        server: o.server,
        kind: o.kind,
        expiringWithin: o.expiringWithin,
        expired: o.expired,
        neverExpires: o.neverExpires,
        findings: o.findings,
        rule: o.rule
      } as Record<string, unknown>
      const out = cliIo().stdout
      let n = 0
      let cursor: string | undefined
      if (o.csv) out.write(csvHeader())
      else if (ctx.json) out.write('[')
      do {
        const page = await ctx.call('inventory:list', { ...filter, limit: 1000, cursor } as never)
        for (const r of page.items) {
          if (o.csv) out.write(csvLine(r))
          else if (ctx.json) out.write(`${n ? ',' : ''}${jsonText(r)}`)
          else writeOut(`${human(r)}\n`)
          n++
        }
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      if (ctx.json) out.write(']\n')
      else if (!o.csv && n === 0) writeErr('no tokens match\n')
      if (o.expiringWithin !== undefined && n > 0) ctx.exitCode = EXIT_FOUND
    })

  addInventoryRenew(inv, ctx, INVENTORY_KINDS)

  subcommand(inv, 'rules', 'the findings rules: id, severity, why and fix').action(async () => {
    const rules = await ctx.call('inventory:findings', {})
    ctx.print(rules, (v: typeof rules) => v.map((r) => `${r.id}\t${r.severity}\t${r.why}\n\tfix: ${r.fix}`))
  })

  subcommand(inv, 'counts', 'how many tokens trip each finding')
    .option('--server <name>', 'one connection by name, or "local"')
    .action(async (o: { server?: string }) => {
      const c = await ctx.call('inventory:counts', o)
      ctx.print(c, (v: typeof c) => Object.entries(v.byRule).map(([k, n]) => `${k}\t${n}`))
    })

  subcommand(
    inv,
    'refresh',
    'pull every connection (progress on stderr); a failing server is reported and the others still refresh'
  )
    .option('--server <name>', 'only this connection (repeatable)', collect)
    .action(async (o: { server?: string[] }) => {
      const { jobId } = await ctx.call('inventory:refresh', { servers: o.server })
      const info = await watchJob(ctx, jobId, 'refreshing servers')
      if (info.state !== 'done')
        throw failure(info.error?.code ?? 'INTERNAL', info.error?.message ?? 'refresh did not finish')
      const r = info.result as RefreshResult
      ctx.print(r, (v: RefreshResult) =>
        v.servers.map((s) =>
          s.ok
            ? `${s.connection}\t${s.kind}\tok\tpulled ${s.pulled}`
            : `${s.connection}\t${s.kind}\tFAILED\t${s.error?.code}: ${s.error?.message}`
        )
      )
      if (r.failed) {
        const first = r.servers.find((s) => !s.ok)!
        throw failure(first.error!.code as never, `${r.failed} of ${r.servers.length} connections failed to refresh`, {
          failed: r.servers.filter((s) => !s.ok).map((s) => s.connection)
        })
      }
    })
}
