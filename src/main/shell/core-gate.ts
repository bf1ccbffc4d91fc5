import type { Channel } from '../../shared/contract'
import type { Result } from '../../shared/errors'
import type { DispatchLike } from './ipc'

/** The answer to calls made while the store could not be opened (the app is quitting after its error dialog). */
export const STORE_UNAVAILABLE: Result<never> = {
  ok: false,
  error: { code: 'IO', message: 'The TokenDesk store could not be opened' }
}

export interface CoreGate {
  /** Bound to IPC before the window loads: a call that arrives before the store is open waits for it. */
  dispatch: DispatchLike
  /** Called once with the opened core, or null when it failed to open. */
  open(core: { dispatch: DispatchLike } | null): void
  readonly settled: boolean
}

/** Lets the window paint before the store and keychain are ready: the IPC handlers exist at once and wait here. */
export function createCoreGate(): CoreGate {
  let settle!: (core: { dispatch: DispatchLike } | null) => void
  let settled = false
  const ready = new Promise<{ dispatch: DispatchLike } | null>((r) => (settle = r))
  return {
    dispatch: async (name: Channel, input: unknown) => {
      const core = await ready
      return core ? core.dispatch(name, input) : STORE_UNAVAILABLE
    },
    open(core) {
      if (settled) return
      settled = true
      settle(core)
    },
    get settled() {
      return settled
    }
  }
}
