import { z } from 'zod'
import { lazy } from './define'
import { reads, writes } from './channel'
import { noInput } from './fields'
import type { AppErrorShape } from '../errors'

/**
 * Long work (bulk mint, pull, import) runs as a job: the starting channel returns `{ jobId }` at once and the caller
 * polls `jobs:get`. The same shape works over IPC, the web mode's RPC and the CLI (which passes a progress callback).
 */
export interface JobInfo {
  id: string
  kind: string
  state: 'running' | 'done' | 'failed' | 'cancelled'
  done: number
  total: number | null
  /** The step a job with steps is in, when it is not the counted one (an import's index build after its lines). */
  stage?: string
  startedAt: string
  finishedAt: string | null
  result?: unknown
  error?: AppErrorShape
}

const JobId = lazy(() => z.strictObject({ id: z.string().min(1).max(64) }))

export const jobsChannels = {
  /** Progress and outcome of a long job */
  'jobs:get': reads<JobInfo>()(JobId),
  /** Jobs of this session */
  'jobs:list': reads<JobInfo[]>()(noInput()),
  /** Cancel a running job */
  'jobs:cancel': writes<JobInfo>()(JobId)
}
