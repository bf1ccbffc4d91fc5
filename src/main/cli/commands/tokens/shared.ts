import { InvalidArgumentError } from 'commander'
import { parseDuration } from '../../../jwt/duration'
import { CliFailure, watchJob, type CliContext } from '../../runtime'

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
