import type { Channel } from '../../shared/contract'
import type { Result } from '../../shared/errors'
import type { ErrorLog } from '../audit/logfile'
import { senderRefusal, type SenderLike } from './sender'

/** What a contract handler is given: the sender (checked first) and the raw payload (validated by the dispatch). */
export type IpcListener = (event: SenderLike, input: unknown) => unknown

/** A stand-in for Electron's ipcMain: only `handle` is used. */
export interface IpcMainLike {
  handle(channel: string, listener: IpcListener): void
}

export type DispatchLike = (channel: Channel, input: unknown) => Promise<Result<unknown>>

/** The answer to a call from any frame other than our own main frame: a coded error, and the dispatch never runs. */
export const UNTRUSTED_SENDER: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'IPC refused: the call did not come from the TokenDesk window' }
}

/**
 * Binds one `ipcMain.handle` per contract channel (nothing else is listened to). The sender frame is checked first,
 * before the payload is looked at (a refusal is logged with its reason); the dispatch then validates the payload.
 */
export interface BindOptions {
  /** Origins allowed besides app:// (the dev server's, in an unpackaged dev run only). */
  allowedOrigins?: readonly string[]
  /** Where refused senders are logged. */
  log?: ErrorLog
}

export function bindContract(
  ipc: IpcMainLike,
  channelNames: readonly Channel[],
  dispatch: DispatchLike,
  opts: BindOptions = {}
): void {
  for (const name of channelNames) {
    ipc.handle(name, (event: SenderLike, input: unknown) => {
      const refused = senderRefusal(event, opts.allowedOrigins)
      if (refused !== null) {
        opts.log?.write('warn', `IPC ${name} refused: ${refused}`)
        return UNTRUSTED_SENDER
      }
      return dispatch(name, input)
    })
  }
}
