import { closeSync, existsSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { JwtMintResult } from '../../shared/contract'
import { AppError, fail } from '../../shared/errors'
import { workerEntry } from '../core/worker-entry'
import { CSV_HEADER, type MintPlan } from './mint-format'

/** Tokens per chunk: big enough to amortize the worker messages, small enough to keep RSS flat. */
const CHUNK = 1000
/** Chunks each worker may have in flight: one being signed, one queued so it never waits for main. */
const IN_FLIGHT_PER_WORKER = 2
/** A worker only ever holds a chunk or two: a small heap keeps the process's RSS flat however many tokens a job mints. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 }

export interface MintRun {
  plan: MintPlan
  count: number
  out: string
  workers?: number
  overwrite?: boolean
}

export interface MintCtx {
  signal: AbortSignal
  progress(done: number, total?: number | null): void
}

/** The worker entry (electron.vite.config.ts input 'mint-worker'). */
function mintWorkerEntry(): { file: string; eval?: boolean } {
  return (
    workerEntry('mint-worker', __dirname) ?? fail('INTERNAL', 'The bulk-mint worker file is missing from this build.')
  )
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 16))
}

/** Where a mint writes until it ends: beside the output (same folder, so the rename is atomic). */
function mintPartial(out: string): string {
  return `${out}.partial`
}

/**
 * Opens the output's temporary file for appending (each worker appends whole chunks with one write; O_APPEND makes
 * every write land at the end, whole); runMint renames it to `out` when it ends, so a killed mint leaves no torn file
 * under the final name, and the next mint to that name removes the leftover. Refuses to clobber `out` unless asked.
 * Done before the job starts, so errors come back at once.
 */
export function openMintOutput(out: string, overwrite: boolean): number {
  if (!overwrite && existsSync(out))
    return fail('CONFLICT', `${out} already exists; pass --overwrite to replace it.`, { path: 'out' })
  try {
    rmSync(mintPartial(out), { force: true })
    const fd = openSync(mintPartial(out), 'ax', 0o600)
    fchmodSync(fd, 0o600)
    return fd
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return fail('IO', `Cannot create ${out} (${code ?? 'error'}).`, { path: 'out' })
  }
}

/**
 * Streams `count` tokens to `out` on worker threads. Main hands out chunk ranges (at most IN_FLIGHT_PER_WORKER per
 * worker) and counts; workers sign and append. Memory stays bounded by the chunks in flight whatever the count, and
 * a cancel stops handing out chunks, so the file keeps the whole chunks already appended: whole lines only. `fd` is
 * openMintOutput's temporary file: renamed to `out` when the run ends, removed when it fails.
 */
export async function runMint(run: MintRun, fd: number, ctx: MintCtx): Promise<JwtMintResult> {
  const nWorkers = Math.max(1, Math.min(run.workers ?? defaultWorkers(), Math.ceil(run.count / CHUNK)))
  const format = run.plan.format
  let bytes = 0
  let written = 0
  const workers: Array<{ w: Worker; inflight: number }> = []
  try {
    if (format === 'csv') bytes += writeSync(fd, CSV_HEADER)
    const entry = mintWorkerEntry()
    await new Promise<void>((resolve, reject) => {
      let next = 0
      let failed = false
      const inflight = () => workers.reduce((s, x) => s + x.inflight, 0)
      const maybeDone = () => {
        if (!failed && (ctx.signal.aborted || next >= run.count) && inflight() === 0) resolve()
      }
      const onError = (e: unknown) => {
        if (failed) return
        failed = true
        reject(e)
      }
      const pump = () => {
        for (const x of workers) {
          while (!ctx.signal.aborted && next < run.count && x.inflight < IN_FLIGHT_PER_WORKER) {
            const n = Math.min(CHUNK, run.count - next)
            x.w.postMessage({ start: next, n })
            x.inflight++
            next += n
          }
        }
        maybeDone()
      }
      ctx.signal.addEventListener('abort', () => maybeDone(), { once: true })
      for (let i = 0; i < nWorkers; i++) {
        const w = new Worker(entry.file, {
          workerData: { plan: run.plan, fd },
          eval: Boolean(entry.eval),
          resourceLimits: WORKER_LIMITS
        })
        const x = { w, inflight: 0 }
        workers.push(x)
        w.on('error', onError)
        w.on('message', (m: { n: number; bytes?: number; error?: string }) => {
          x.inflight--
          if (m.error !== undefined) {
            const disk = /^E[A-Z]+$/.test(m.error)
            return onError(
              new AppError(
                disk ? 'IO' : 'INTERNAL',
                disk ? `Writing ${run.out} failed (${m.error}).` : 'A mint worker failed.'
              )
            )
          }
          written += m.n
          bytes += m.bytes ?? 0
          ctx.progress(written, run.count)
          pump()
        })
      }
      pump()
    })
  } catch (e) {
    await Promise.all(workers.map((x) => x.w.terminate()))
    closeSync(fd)
    rmSync(mintPartial(run.out), { force: true })
    throw e
  }
  await Promise.all(workers.map((x) => x.w.terminate()))
  closeSync(fd)
  try {
    renameSync(mintPartial(run.out), run.out)
  } catch (e) {
    rmSync(mintPartial(run.out), { force: true })
    return fail('IO', `Cannot write ${run.out} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, { path: 'out' })
  }
  return {
    out: run.out,
    format,
    written,
    requested: run.count,
    cancelled: ctx.signal.aborted,
    workers: nWorkers,
    bytes
  }
}
