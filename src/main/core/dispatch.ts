import type { z } from 'zod'
import type { Channel } from '../../shared/contract'
import { channelDef } from '../../shared/contract/domains'
import { AppError, type AppErrorShape, type Result } from '../../shared/errors'
import type { AuditLog } from '../audit'
import type { ErrorLog } from '../audit/logfile'
import { busyError, isSqliteBusy, retryBusy, type RetryBusyOptions } from '../db/busy'
import type { CallCtx, Handler, Handlers } from './types'

export type Dispatch = (channel: string, input: unknown) => Promise<Result<unknown>>

/** The handlers, or a lookup that builds a channel's domain on first use (so a call pays only for its own domain). */
export type HandlerSource = Partial<Handlers> | ((channel: Channel) => Promise<Handler<Channel> | undefined>)

/** Turns zod issues into one VALIDATION error naming the first bad field (details keep them all). */
function validationError(issues: z.core.$ZodIssue[]): AppError {
  const list = issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }))
  const first = list[0]
  return new AppError('VALIDATION', `${first.path}: ${first.message}`, { path: first.path, issues: list })
}

/**
 * Coded errors pass through. Anything else is INTERNAL: its text stays out of the answer (it could carry a path, a
 * query or a secret) and goes, redacted and with its stack, to the error log, whose place the answer names.
 */
export function toErrorShape(e: unknown, log?: ErrorLog, where = 'a call'): AppErrorShape {
  if (e instanceof AppError) return e.toJSON()
  if (isSqliteBusy(e)) return busyError().toJSON()
  const kind = e instanceof Error ? e.name : typeof e
  log?.write('error', `INTERNAL in ${where} (${kind})`, e)
  process.stderr.write(`tokendesk: internal error (${kind})${log ? `, details in ${log.file}` : ''}\n`)
  return {
    code: 'INTERNAL',
    message: log
      ? `Internal error: the operation failed unexpectedly. The details for a bug report (secrets removed) are in ${log.file}.`
      : 'Internal error: the operation failed unexpectedly. Nothing secret was logged.',
    ...(log ? { details: { log: log.file } } : {})
  }
}

function auditTarget(input: unknown, value: unknown, ctx: CallCtx): string | null {
  if (ctx.auditTarget) return ctx.auditTarget
  for (const o of [value, input]) {
    if (o && typeof o === 'object') {
      const r = o as Record<string, unknown>
      for (const k of ['id', 'kid', 'name', 'jobId'])
        if (typeof r[k] === 'string' || typeof r[k] === 'number') return String(r[k])
    }
  }
  return null
}

/**
 * The one dispatch: `(channel, input) -> Result`. Validates the input against the contract before anything runs
 * (a bad input changes nothing), runs the handler, maps thrown errors to coded values, and writes one audit row per
 * mutating call, success or failure. Only the called channel's domain contract is loaded.
 */
export function createDispatch(
  handlers: HandlerSource,
  audit: AuditLog,
  actor: () => string,
  log?: ErrorLog,
  busy: RetryBusyOptions = {}
): Dispatch {
  return async (channel, raw) => {
    const def = await channelDef(channel)
    if (!def) return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown channel "${channel}"` } }
    const parsed = (def.input as z.ZodType).safeParse(raw ?? undefined)
    if (!parsed.success) return { ok: false, error: validationError(parsed.error.issues).toJSON() }
    const ctx: CallCtx = {}
    let result: Result<unknown>
    try {
      const found = typeof handlers === 'function' ? await handlers(channel as Channel) : handlers[channel as Channel]
      const handler = found as (i: unknown, c: CallCtx) => unknown
      // A store locked by another writer is waited for between event-loop turns. Remote calls are not re-run: a
      // server may already have acted on the first attempt.
      const run = () => handler(parsed.data, ctx)
      result = { ok: true, value: await (channel.startsWith('remote:') ? run() : retryBusy(run, busy)) }
    } catch (e) {
      result = { ok: false, error: toErrorShape(e, log, channel) }
    }
    if (def.mutates) {
      const record = () =>
        audit.record({
          actor: actor(),
          action: channel,
          target: auditTarget(parsed.data, result.ok ? result.value : undefined, ctx),
          outcome: result.ok ? 'ok' : result.error.code,
          details: { ...(parsed.data as Record<string, unknown>), ...ctx.auditDetails }
        })
      // The operation's answer stands even if its audit row could not be written (e.g. disk full); say so.
      const lost = () => process.stderr.write(`tokendesk: could not write the audit row for ${channel}\n`)
      try {
        record()
      } catch (e) {
        // A store another process holds: the row waits for the lock in the background, the answer does not.
        if (isSqliteBusy(e)) retryBusy(record).catch(lost)
        else lost()
      }
    }
    return result
  }
}
