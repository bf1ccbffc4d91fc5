import { InvalidArgumentError, type Command } from 'commander'
import type { KeysetPage } from '../../../../shared/contract'
import { parseDuration } from '../../../jwt/duration'
import { CliFailure, given, parseIntOption, watchJob, type CliContext } from '../../runtime'

/** `--expires-in 30d`, `12h`, `3600`: seconds (a usage error, exit 2, when it does not parse). */
export function durationOption(name: string) {
  return (v: string): number => {
    try {
      const n = parseDuration(v, name)
      if (n <= 0) throw new Error()
      return n
    } catch {
      throw new InvalidArgumentError(
        `${name} must be a positive duration like 90s, 15m, 12h, 30d or seconds, got "${v}"`
      )
    }
  }
}

/** An expiry: `0`/`never`, UNIX seconds, or an ISO date/time. */
export function expireOption(v: string): number | string {
  if (v === 'never') return 0
  if (/^\d+$/.test(v)) return Number(v)
  if (Number.isNaN(Date.parse(v)))
    throw new InvalidArgumentError(`expected an ISO date/time, UNIX seconds or "never", got "${v}"`)
  return v
}

/** Waits for a job (watchJob), then returns its result or fails with its error. */
export async function followJob<T>(ctx: CliContext, jobId: string, label: string): Promise<T> {
  const info = await watchJob(ctx, jobId, label)
  if (info.state !== 'done') throw new CliFailure(info.error ?? { code: 'CANCELLED', message: 'Cancelled' })
  return info.result as T
}

/** A page printed a line a record, then how to ask for the next one. */
export function pageLines<R>(page: KeysetPage<R>, line: (r: R) => string): string[] {
  return [...page.items.map(line), ...(page.nextCursor ? [`next page: --after ${page.nextCursor}`] : [])]
}

/** `list` of an app store: one page by name (--search, --limit, --after), printed with pageLines. */
export function addPagedList<R>(
  parent: Command,
  ctx: CliContext,
  list: (input: { search?: string; limit?: number; cursor?: string }) => Promise<KeysetPage<R>>,
  line: (r: R) => string
): void {
  parent
    .command('list')
    .option('--search <text>', 'substring of the name')
    .option('--limit <n>', 'page size', parseIntOption('--limit'))
    .option('--after <cursor>')
    .action(async (o: { search?: string; limit?: number; after?: string }) => {
      const r = await list(
        given({ search: o.search || undefined, limit: o.limit || undefined, cursor: o.after || undefined })
      )
      ctx.print(r, (v: typeof r) => pageLines(v, line))
    })
}
