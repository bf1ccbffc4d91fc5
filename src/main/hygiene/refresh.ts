import type { ConnectionKind, PullResult } from '../../shared/contract'
import type { RefreshResult, RefreshServerResult } from '../../shared/contract/inventory'
import { toErrorShape } from '../core/dispatch'
import type { JobContext } from '../jobs'

export interface RefreshTarget {
  id: string
  name: string
  kind: ConnectionKind
}

/**
 * Pulls every connection (or the named ones) at once: each server's failure is caught and reported with its code, so
 * one server down never stops the others. Progress counts servers finished.
 */
export async function refreshAll(
  targets: RefreshTarget[],
  pull: (connId: string, job: JobContext) => Promise<PullResult>,
  job: Pick<JobContext, 'signal' | 'progress'>
): Promise<RefreshResult> {
  let done = 0
  job.progress(0, targets.length)
  const quiet: JobContext = { signal: job.signal, progress: () => undefined, stage: () => undefined }
  const servers = await Promise.all(
    targets.map(async (t): Promise<RefreshServerResult> => {
      try {
        const r = await pull(t.id, quiet)
        return { connection: t.name, kind: t.kind, ok: true, pulled: r.pulled }
      } catch (e) {
        const err = toErrorShape(e)
        return { connection: t.name, kind: t.kind, ok: false, error: { code: err.code, message: err.message } }
      } finally {
        job.progress(++done, targets.length)
      }
    })
  )
  return { servers, failed: servers.filter((s) => !s.ok).length }
}
