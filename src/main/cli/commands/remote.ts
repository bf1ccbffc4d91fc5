import type { Command } from 'commander'
import { failure, type CliContext, subcommand } from '../runtime'
import { registerDatafor } from './remote-datafor'
import { registerFess } from './remote-fess'
import { registerXdua } from './remote-xdua'
import { topCommand } from '../table'

/**
 * `tokendesk remote fess|datafor|xdua ...`: every command is one contract channel through the same dispatch as the
 * console. Credentials are read from a file, an environment variable or stdin, never from argv.
 */
export function register(program: Command, ctx: CliContext): void {
  const remote = topCommand(program, 'remote')
  registerFess(remote, ctx)
  registerDatafor(remote, ctx)
  registerXdua(remote, ctx)
  subcommand(remote, 'pull', "copy a server's tokens into the local store (read-only copies)")
    .requiredOption('--conn <name>', 'saved connection')
    .option('--keep-secrets', 'Fess: also keep each token value in the keychain')
    .action(async (o: { conn: string; keepSecrets?: boolean }) => {
      const { jobId } = await ctx.call('remote:pull', { conn: o.conn, keepSecrets: o.keepSecrets })
      const info = await ctx.open().deps.jobs.wait(jobId)
      if (info.state !== 'done')
        throw failure(info.error?.code ?? 'INTERNAL', info.error?.message ?? `pull ${info.state}`)
      ctx.print(
        info.result,
        (r: { pulled: number; inserted: number; updated: number; removed: number; truncated: boolean }) =>
          `pulled ${r.pulled} (new ${r.inserted}, updated ${r.updated}, removed ${r.removed})${r.truncated ? '; the server list was cut at 10,000' : ''}`
      )
    })
  subcommand(remote, 'push', 'push a local record to a server (create, or update what an earlier push created)')
    .requiredOption('--conn <name>', 'saved connection')
    .argument('<localId>', 'local record id')
    .action(async (localId: string, o: { conn: string }) => {
      const r = await ctx.call('remote:push', { conn: o.conn, localId })
      ctx.print(r, (v: typeof r) => [
        `${v.action} ${v.kind} ${v.remoteId}`,
        ...(v.token ? [`token: ${v.token}`] : []),
        ...v.notes
      ])
    })
  subcommand(remote, 'diff', 'what differs between local copies and the server now')
    .requiredOption('--conn <name>', 'saved connection')
    .action(async (o: { conn: string }) => {
      const r = await ctx.call('remote:diff', { conn: o.conn })
      ctx.print(r, (v: typeof r) => [
        `same ${v.counts.same}, changed ${v.counts.changed}, only local ${v.counts.onlyLocal}, only on server ${v.counts.onlyRemote}`,
        ...v.items
          .filter((i) => i.status !== 'same')
          .map(
            (i) =>
              `${i.status.padEnd(10)} ${i.name}${i.fields.length ? `: ${i.fields.map((f) => f.field).join(', ')}` : ''}`
          )
      ])
    })
}
