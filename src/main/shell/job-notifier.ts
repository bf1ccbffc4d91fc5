import type { JobInfo } from '../../shared/contract'

/**
 * OS notification when a long job (bulk mint, pull, import) ends while the window is in the background. Main polls
 * the job list (the same `jobs` service the `jobs:*` channels read), and notifies once per job that finished since the
 * notifier started (cancelled jobs were the user's own doing and stay quiet). Pure: clock and notifier injected.
 */
export interface JobNotifierOptions {
  listJobs(): JobInfo[]
  /** True when the window is hidden, minimized or not focused. */
  inBackground(): boolean
  notify(title: string, body: string): void
}

function describeFinishedJob(job: JobInfo): { title: string; body: string } {
  const what = job.kind
  switch (job.state) {
    case 'done':
      return {
        title: 'TokenDesk: job finished',
        body: `${what} finished (${job.done}${job.total ? ` of ${job.total}` : ''}).`
      }
    case 'failed':
      // The error message is already safe for people (no secrets, no stack traces: errors.ts).
      return { title: 'TokenDesk: job failed', body: `${what} failed: ${job.error?.message ?? 'unknown error'}` }
    default:
      return { title: 'TokenDesk: job cancelled', body: `${what} was cancelled.` }
  }
}

export function createJobNotifier(opts: JobNotifierOptions): { poll(): number } {
  // Jobs already finished at the first poll belong to the past; every later finish is news (even a job that started
  // and ended between two polls).
  let seen: Set<string> | null = null
  return {
    /** Returns how many notifications this poll sent. */
    poll() {
      const jobs = opts.listJobs()
      if (seen === null) {
        seen = new Set(jobs.filter((j) => j.state !== 'running').map((j) => j.id))
        return 0
      }
      let sent = 0
      for (const job of jobs) {
        if (job.state === 'running' || seen.has(job.id)) continue
        seen.add(job.id)
        if (job.state === 'cancelled' || !opts.inBackground()) continue
        const { title, body } = describeFinishedJob(job)
        opts.notify(title, body)
        sent++
      }
      return sent
    }
  }
}
