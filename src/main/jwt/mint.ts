import { existsSync, promises as fsp } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { JwtMintResult } from '../../shared/contract'
import { fail } from '../../shared/errors'
import { CSV_HEADER, type MintPlan } from './mint-format'

/** Tokens per chunk: ~300 KB of lines for HS256, big enough to amortize messages, small enough to keep RSS flat. */
const CHUNK = 1000
/** Chunks each worker may have in flight (one being signed, one queued) and chunks waiting for the disk. */
const IN_FLIGHT_PER_WORKER = 2
const MAX_PENDING_WRITES = 4

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

/**
 * The worker entry. Built: out/main/mint-worker.js beside the CLI and shell (electron.vite.config.ts input
 * 'mint-worker'), or one level up from a shared chunk. From source (vitest, tsx): the .ts file run through tsx.
 */
function workerEntry(): { file: string; eval?: boolean } {
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const js = join(dir, 'mint-worker.js')
    if (existsSync(js)) return { file: js }
  }
  const ts = join(__dirname, 'mint-worker.ts')
  // tsx's CommonJS hook compiles the worker's TypeScript in the worker thread (dev and tests only).
  if (existsSync(ts)) return { file: `require('tsx/cjs'); require(${JSON.stringify(ts)})`, eval: true }
  return fail('INTERNAL', 'The bulk-mint worker file is missing from this build.')
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 16))
}

/** Opens the output (refusing to clobber a file unless asked): done before the job starts, so errors come back at once. */
export async function openMintOutput(out: string, overwrite: boolean): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(out, overwrite ? 'w' : 'wx', 0o600)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return fail('CONFLICT', `${out} already exists; pass --overwrite to replace it.`, { path: 'out' })
    return fail('IO', `Cannot create ${out} (${code ?? 'error'}).`, { path: 'out' })
  }
}

async function writeAll(fh: fsp.FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0
  while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten
}

/**
 * Streams `count` tokens to `out` on worker threads. Main only dispatches chunk ranges and appends each finished
 * chunk (whole lines) to the file, so a cancel leaves whole lines only and memory stays bounded by
 * workers x IN_FLIGHT_PER_WORKER + MAX_PENDING_WRITES chunks, whatever the count.
 */
export async function runMint(run: MintRun, fh: fsp.FileHandle, ctx: MintCtx): Promise<JwtMintResult> {
  const nWorkers = Math.max(1, Math.min(run.workers ?? defaultWorkers(), Math.ceil(run.count / CHUNK)))
  const entry = workerEntry()
  let bytes = 0
  let written = 0
  const format = run.plan.format
  if (format === 'csv') {
    const head = Buffer.from(CSV_HEADER)
    await writeAll(fh, head)
    bytes += head.length
  }
  const workers: Array<{ w: Worker; inflight: number }> = []
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0
      let pendingWrites = 0
      let chain: Promise<void> = Promise.resolve()
      let failed = false
      const inflight = () => workers.reduce((s, x) => s + x.inflight, 0)
      const maybeDone = () => {
        if (failed) return
        const stopped = ctx.signal.aborted || next >= run.count
        if (stopped && inflight() === 0 && pendingWrites === 0) resolve()
      }
      const onError = (e: unknown) => {
        if (failed) return
        failed = true
        reject(e)
      }
      const pump = () => {
        for (const x of workers) {
          while (!ctx.signal.aborted && next < run.count && x.inflight < IN_FLIGHT_PER_WORKER && pendingWrites < MAX_PENDING_WRITES) {
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
        const w = new Worker(entry.file, { workerData: run.plan, eval: Boolean(entry.eval) })
        const x = { w, inflight: 0 }
        workers.push(x)
        w.on('error', onError)
        w.on('message', (m: { n: number; buf?: ArrayBuffer; error?: string }) => {
          x.inflight--
          if (m.error || !m.buf) return onError(new Error(m.error ?? 'worker'))
          // After a cancel, chunks still arriving are dropped: the file keeps what was written, all whole lines.
          if (ctx.signal.aborted) return pump()
          const buf = new Uint8Array(m.buf)
          pendingWrites++
          chain = chain.then(async () => {
            try {
              await writeAll(fh, buf)
              written += m.n
              bytes += buf.length
              ctx.progress(written, run.count)
            } catch (e) {
              onError(e)
            } finally {
              pendingWrites--
              pump()
            }
          })
          pump()
        })
      }
      pump()
    })
  } finally {
    await Promise.all(workers.map((x) => x.w.terminate()))
    await fh.close()
  }
  return { out: run.out, format, written, requested: run.count, cancelled: ctx.signal.aborted, workers: nWorkers, bytes }
}
