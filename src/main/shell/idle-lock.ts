/**
 * The lock after N minutes idle (DESIGN: the renderer never keeps a revealed secret on screen unattended). Main
 * reads the OS idle time, and once it passes the limit sends one `lock` shell event; the renderer then drops every
 * revealed value. It fires once per idle period and re-arms when the user is active again. Timers and the idle clock
 * are injected so tests drive it without waiting.
 */
export const DEFAULT_IDLE_LOCK_MINUTES = 10
const IDLE_CHECK_SECONDS = 15

export interface IdleLockOptions {
  minutes: number
  /** Seconds since the last user input, system-wide (Electron: powerMonitor.getSystemIdleTime). */
  idleSeconds(): number
  onLock(): void
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
}

export interface IdleLock {
  /** One check; index.ts's timer calls it, tests call it directly. */
  check(): boolean
  stop(): void
}

export function createIdleLock(opts: IdleLockOptions): IdleLock {
  const limit = Math.max(1, opts.minutes) * 60
  let locked = false
  const check = (): boolean => {
    const idle = opts.idleSeconds()
    if (idle >= limit) {
      if (!locked) {
        locked = true
        opts.onLock()
        return true
      }
    } else {
      locked = false
    }
    return false
  }
  const every = opts.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms).unref())
  const clear = opts.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout))
  const handle = every(check, IDLE_CHECK_SECONDS * 1000)
  return { check, stop: () => clear(handle) }
}
