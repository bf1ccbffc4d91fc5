import { randomUUID } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { toErrorShape } from '../core/dispatch'
import type { JobInfo } from '../../shared/contract'
import type { ErrorLog } from '../audit/logfile'

export interface JobContext {
  signal: AbortSignal
  progress(done: number, total?: number | null): void
  /** Names the step the job is in now (null: back to the counted work); watchers hear of it at once. */
  stage(text: string | null): void
}

export type JobRunner<T> = (ctx: JobContext) => Promise<T>

export interface Jobs {
  /** Starts `run` in the background and returns its id at once. */
  start<T>(kind: string, run: JobRunner<T>, total?: number | null, onFinish?: (info: JobInfo) => void): string
  get(id: string): JobInfo
  list(): JobInfo[]
  cancel(id: string): JobInfo
  /** Resolves when the job ends (tests, CLI). */
  wait(id: string): Promise<JobInfo>
  /**
   * Calls `fn` whenever the job's stage changes, synchronously: a step that then holds the thread (an index build)
   * is still announced before it starts. Returns the unsubscribe.
   */
  watch(id: string, fn: (info: JobInfo) => void): () => void
}

interface Entry {
  info: JobInfo
  controller: AbortController
  finished: Promise<JobInfo>
  watchers: Set<(info: JobInfo) => void>
}

const KEEP_FINISHED = 100

export function createJobs(log?: ErrorLog): Jobs {
  const jobs = new Map<string, Entry>()

  const prune = () => {
    const finished = [...jobs.values()].filter((j) => j.info.state !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(j.info.id)
  }

  const entry = (id: string) => {
    const e = jobs.get(id)
    if (!e) throw new AppError('NOT_FOUND', `No job with id ${id}`)
    return e
  }

  return {
    start(kind, run, total = null, onFinish) {
      const id = randomUUID()
      const controller = new AbortController()
      const info: JobInfo = {
        id,
        kind,
        state: 'running',
        done: 0,
        total,
        startedAt: new Date().toISOString(),
        finishedAt: null
      }
      const watchers = new Set<(info: JobInfo) => void>()
      const ctx: JobContext = {
        signal: controller.signal,
        progress(done, t) {
          info.done = done
          if (t !== undefined) info.total = t
        },
        stage(text) {
          if (text === null) delete info.stage
          else info.stage = text
          for (const w of watchers) w({ ...info })
        }
      }
      const finished = (async () => {
        try {
          info.result = await run(ctx)
          info.state = controller.signal.aborted ? 'cancelled' : 'done'
        } catch (e) {
          info.state = controller.signal.aborted ? 'cancelled' : 'failed'
          // A job may say what its cancel kept (an import's committed rows); else the plain answer.
          const said = e instanceof AppError && e.code === 'CANCELLED'
          info.error =
            controller.signal.aborted && !said
              ? { code: 'CANCELLED', message: 'Cancelled by the user' }
              : toErrorShape(e, log, `job ${kind}`)
        }
        info.finishedAt = new Date().toISOString()
        onFinish?.(info)
        prune()
        return info
      })()
      jobs.set(id, { info, controller, finished, watchers })
      return id
    },
    get: (id) => ({ ...entry(id).info }),
    list: () => [...jobs.values()].map((j) => ({ ...j.info })),
    cancel(id) {
      const e = entry(id)
      if (e.info.state === 'running') e.controller.abort()
      return { ...e.info }
    },
    wait: (id) => entry(id).finished,
    watch(id, fn) {
      const { watchers } = entry(id)
      watchers.add(fn)
      return () => watchers.delete(fn)
    }
  }
}
