import type { Channel } from '../../shared/contract'
import type { Result } from '../../shared/errors'
import { isTrustedSender, type SenderLike } from './sender'

/** A stand-in for Electron's ipcMain: only `handle` is used. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: any, ...args: any[]) => unknown): void
}

export type DispatchLike = (channel: Channel, input: unknown) => Promise<Result<unknown>>

/** The answer to a call from any frame other than our own main frame: a coded error, and the dispatch never runs. */
export const UNTRUSTED_SENDER: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'IPC refused: the call did not come from the TokenDesk window' }
}

/**
 * Binds one `ipcMain.handle` per contract channel (nothing else is listened to). The sender frame is checked first,
 * before the payload is looked at; the dispatch then validates the payload against the channel's zod schema.
 */
export function bindContract(
  ipc: IpcMainLike,
  channelNames: readonly Channel[],
  dispatch: DispatchLike,
  allowedOrigins?: readonly string[]
): void {
  for (const name of channelNames) {
    ipc.handle(name, (event: SenderLike, input: unknown) => {
      if (!isTrustedSender(event, allowedOrigins)) return UNTRUSTED_SENDER
      return dispatch(name, input)
    })
  }
}
