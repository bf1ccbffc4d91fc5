import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Dispatch } from '../core/dispatch'
import { isAppError, type AppErrorShape, type Result } from '../../shared/errors'
import { startWebServer, type WebServer } from './server'

export interface ServeConsoleOptions {
  /** Opens the store; called only after the URL is printed. */
  open: () => { dispatch: Dispatch } | Promise<{ dispatch: Dispatch }>
  rendererDir: string
  port?: number
  /** Where the URL line (stdout) and the human notes (stderr) go. */
  out: (line: string) => void
  err: (line: string) => void
  sessionToken?: string
}

export interface ServingConsole {
  web: WebServer
  /** Settles once the store is open (or failed to open); RPCs wait for it. */
  ready: Promise<void>
}

function openFailure(e: unknown): AppErrorShape {
  if (isAppError(e)) return e.toJSON()
  return { code: 'INTERNAL', message: 'The store could not be opened' }
}

/**
 * Web mode start: listen first and print the URL at once, then open the store in the background. Every RPC waits for
 * the store, so a browser opened on the URL straight away gets real answers, not errors.
 */
export async function serveConsole(opts: ServeConsoleOptions): Promise<ServingConsole> {
  let settle!: (r: { dispatch: Dispatch } | { error: AppErrorShape }) => void
  const store = new Promise<{ dispatch: Dispatch } | { error: AppErrorShape }>((ok) => (settle = ok))
  const dispatch: Dispatch = async (channel, input): Promise<Result<unknown>> => {
    const s = await store
    return 'error' in s ? { ok: false, error: s.error } : s.dispatch(channel, input)
  }
  const web = await startWebServer({
    dispatch,
    rendererDir: opts.rendererDir,
    port: opts.port,
    sessionToken: opts.sessionToken
  })
  // First line: the full URL with the session token, so scripts can read it.
  opts.out(`${web.sessionUrl}\n`)
  // A turn of the event loop first, so the line leaves before the synchronous open holds the thread.
  const ready = yieldToLoop().then(async () => {
    try {
      settle({ dispatch: (await opts.open()).dispatch })
    } catch (e) {
      const error = openFailure(e)
      opts.err(`The store could not be opened: ${error.message}\n`)
      settle({ error })
    }
  })
  return { web, ready }
}
