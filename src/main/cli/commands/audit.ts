import type { Command } from 'commander'
import type { AuditEntry } from '../../../shared/contract'
import { parseIntOption, type CliContext, subcommand } from '../runtime'
import { topCommand } from '../table'

/** `tokendesk audit list`: the append-only audit log, newest first. */
export function register(program: Command, ctx: CliContext): void {
  const audit = topCommand(program, 'audit')
  subcommand(audit, 'list', 'audit entries, newest first')
    .option('--target <id>', 'only entries about this record')
    .option('--action <channel>', 'only this action, e.g. tokens:dis')
    .option('--outcome <outcome>', 'ok or an error code')
    .option('--limit <n>', 'at most this many entries (1-1000)', parseIntOption('--limit'), 50)
    .option('--before <cursor>', 'entries older than this id (paging)', parseIntOption('--before'))
    .action(async (o: { target?: string; action?: string; outcome?: string; limit: number; before?: number }) => {
      const r = await ctx.call('audit:list', o)
      ctx.print(r, (v: { items: AuditEntry[]; nextCursor: number | null }) => [
        ...v.items.map(
          (e) =>
            `${e.id}\t${e.at}\t${e.actor}\t${e.action}\t${e.target ?? '-'}\t${e.outcome}${e.details ? `\t${JSON.stringify(e.details)}` : ''}`
        ),
        ...(v.nextCursor ? [`(more: --before ${v.nextCursor})`] : [])
      ])
    })
}
