import type { JobInfo } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { waitForJob } from '../api'

/** A request counter: an answer that arrives after a newer request of the same kind was sent is dropped (jwt.io). */
export interface Latest {
  /** Starts a request; the returned check stays true until a newer one starts. */
  start(): () => boolean
}

function counter(): Latest {
  let seq = 0
  return {
    start() {
      const n = ++seq
      return () => n === seq
    }
  }
}

/** One counter per kind of request a store makes. */
export function latest<K extends string>(...kinds: K[]): Record<K, Latest> {
  return Object.fromEntries(kinds.map((k) => [k, counter()])) as Record<K, Latest>
}

type Patch<S> = (patch: Partial<S>) => void

/** One latest-wins request into a store: `before` is set first, then `ok(value)` or `failed(error)`. */
export async function requestInto<S, T>(
  counter: Latest,
  set: Patch<S>,
  r: {
    before?: Partial<S>
    call: () => Promise<Result<T>>
    ok: (value: T) => Partial<S>
    failed: (error: AppErrorShape) => Partial<S>
  }
): Promise<void> {
  const current = counter.start()
  if (r.before) set(r.before)
  const answer = await r.call()
  if (current()) set(answer.ok ? r.ok(answer.value) : r.failed(answer.error))
}

/** Loads a whole list into `items`, with `loading` and `error` beside it. */
export function loadItems<T>(
  counter: Latest,
  set: Patch<{ items: T[]; loading: boolean; error: AppErrorShape | null }>,
  call: () => Promise<Result<T[]>>
): Promise<void> {
  return requestInto(counter, set, {
    before: { loading: true },
    call,
    ok: (items) => ({ items, loading: false, error: null }),
    failed: (error) => ({ error, loading: false })
  })
}

/**
 * Starts a job and follows it into a store: `progress(job)` while it runs, `failed(error)` when the start is refused
 * or the run fails; a newer start of the same counter takes over.
 */
export async function followJobInto<S>(
  counter: Latest,
  set: Patch<S>,
  r: {
    before: Partial<S>
    start: () => Promise<Result<{ jobId: string }>>
    progress: (job: JobInfo) => Partial<S>
    failed: (error: AppErrorShape) => Partial<S>
  }
): Promise<void> {
  const current = counter.start()
  set(r.before)
  const started = await r.start()
  if (!current()) return
  if (!started.ok) return set(r.failed(started.error))
  const done = await waitForJob(started.value.jobId, (job) => {
    if (current()) set(r.progress(job))
  })
  if (!current()) return
  if (!done.ok) set(r.failed(done.error))
  else if (done.value.state === 'failed' && done.value.error) set(r.failed(done.value.error))
}
