import type { StoreState } from '../../../shared/contract'

/** The marker of a bulk load (tokens_meta 'rebuild_due'): committed before the load drops anything, cleared by its end. */
export interface LoadMarker {
  pid?: number
  at?: string
  /** What is running: the load itself, or the repair of one a crash interrupted. */
  state?: 'loading' | 'repairing'
  operation?: string
}

export function parseMarker(value: string): LoadMarker {
  try {
    const m = JSON.parse(value) as LoadMarker
    return m && typeof m === 'object' ? m : {}
  } catch {
    return {}
  }
}

/** The pid a rebuild flag names, if any. */
function loaderPid(value: string): number | null {
  const { pid } = parseMarker(value)
  return typeof pid === 'number' ? pid : null
}
/** True when the flag names another process that is still running (signal 0 only tests for existence). */
export function loaderAlive(value: string): boolean {
  try {
    const pid = loaderPid(value)
    if (pid === null || pid === process.pid) return false
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** The state a marker describes; `runsHere` tells whether this process's own load or repair is running. */
export function markerState(value: string, runsHere: boolean): StoreState {
  const m = parseMarker(value)
  const pid = loaderPid(value)
  const running = pid === process.pid ? runsHere : loaderAlive(value)
  const state = !running ? 'interrupted' : m.state === 'repairing' ? 'repairing' : 'loading'
  return { state, pid, since: typeof m.at === 'string' ? m.at : null, operation: m.operation ?? null }
}

/** What the reason of a BUSY answer says about a store state. */
export function describeStoreState(s: StoreState): string {
  if (s.state === 'loading') return `a bulk load (${s.operation ?? 'import or seed'}) is in progress`
  if (s.state === 'repairing') return 'an interrupted bulk load is being repaired'
  return 'an interrupted bulk load awaits repair, which runs when the store is next opened (run any tokendesk command)'
}

/** The steps of a repair after a crashed load, as they are reported. */
export const REPAIR_STEPS = [
  'unique indexes, removing duplicates the load let in',
  'page indexes',
  'search index and counts'
]

/** The default report of a repair step: a line on stderr, which the CLI shows. */
export function logRepair(step: number, steps: number, what: string): void {
  process.stderr.write(`tokendesk: repairing an interrupted bulk load, step ${step}/${steps}: ${what}\n`)
}
