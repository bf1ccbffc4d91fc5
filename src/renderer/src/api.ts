import type { Channel, Input, Output, TokenDeskApi } from '../../shared/contract'
import type { AppErrorShape, Result } from '../../shared/errors'
import { CHANNEL_MUTATES } from './channels'

/**
 * The renderer's one door to main: IPC through the preload's `window.tokendesk` inside Electron, or
 * `POST /rpc/<channel>` in the web mode. Both expose the same `api.<domain>.<verb>(input)` shape (TokenDeskApi), built
 * from the contract's channel list so no channel name is written by hand here.
 */

function splitChannel(name: string): { domain: string; verb: string } {
  const i = name.indexOf(':')
  return { domain: name.slice(0, i), verb: name.slice(i + 1) }
}

export type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>

function netError(code: AppErrorShape['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

/** Web mode: the session cookie (set when the page was opened with ?token=) authenticates every call. */
const rpcInvoke: Invoke = async (channel, input) => {
  let res: Response
  try {
    // Channel names are `domain:verb` in plain letters: safe in a path as they are.
    res = await fetch(`/rpc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: input === undefined ? '' : JSON.stringify(input),
      credentials: 'same-origin'
    })
  } catch {
    return netError('NETWORK', 'The TokenDesk server cannot be reached. Is `tokendesk serve` still running?')
  }
  if (res.status === 401)
    return netError(
      'AUTH',
      'This browser session has no valid session token. Open the URL printed by `tokendesk serve` again.'
    )
  if (res.status === 403) return netError('FORBIDDEN', await res.text())
  const type = res.headers.get('content-type') ?? ''
  if (!type.startsWith('application/json')) return netError('PROTOCOL', `Unexpected answer (HTTP ${res.status})`)
  try {
    return (await res.json()) as Result<unknown>
  } catch {
    return netError('PROTOCOL', `The answer to ${channel} was not valid JSON`)
  }
}

function ipcInvokeFrom(bridge: TokenDeskApi): Invoke {
  return async (channel, input) => {
    const { domain, verb } = splitChannel(channel)
    const fn = (bridge as unknown as Record<string, Record<string, (i: unknown) => Promise<Result<unknown>>>>)[
      domain
    ]?.[verb]
    if (!fn) return netError('NOT_FOUND', `The desktop bridge has no method for ${channel}`)
    try {
      return await fn(input)
    } catch {
      return netError('INTERNAL', `The call to ${channel} failed inside the desktop bridge`)
    }
  }
}

/**
 * A second identical mutation (same channel, same input) sent while the first is in flight joins the first: a double
 * click or a retried submit cannot create two records. Reads are never joined (they may be polled on purpose).
 */
function joinInFlightMutations(inner: Invoke, mutates: (channel: Channel) => boolean): Invoke {
  const inFlight = new Map<string, Promise<Result<unknown>>>()
  return (channel, input) => {
    if (!mutates(channel)) return inner(channel, input)
    const key = `${channel}\u0000${stableKey(input)}`
    const running = inFlight.get(key)
    if (running) return running
    const p = inner(channel, input).finally(() => inFlight.delete(key))
    inFlight.set(key, p)
    return p
  }
}

/** JSON with sorted object keys, so {a,b} and {b,a} are the same input. */
function stableKey(v: unknown): string {
  return (
    JSON.stringify(v, (_k, val: unknown) =>
      val && typeof val === 'object' && !Array.isArray(val)
        ? Object.fromEntries(
            Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          )
        : val
    ) ?? 'undefined'
  )
}

const bridge = typeof window !== 'undefined' ? window.tokendesk : undefined
export const transport: 'ipc' | 'rpc' = bridge ? 'ipc' : 'rpc'
const invoke: Invoke = joinInFlightMutations(bridge ? ipcInvokeFrom(bridge) : rpcInvoke, (c) => CHANNEL_MUTATES[c])

/** Reads the entry module started before the first render, each waiting for the first identical call to take it. */
const early = new Map<string, { answer: Promise<Result<unknown>>; at: number }>()
/** A started read serves only the first screens' calls: one made later asks again and gets fresh data. */
const EARLY_FOR_MS = 10_000

/**
 * Starts a read now, before React has rendered: the first call of the same channel with the same input (within a few
 * seconds) gets its answer instead of asking again. Mutations are never started early.
 */
export function prefetch<C extends Channel>(channel: C, input: Input<C>): void {
  if (CHANNEL_MUTATES[channel]) return
  early.set(`${channel}\u0000${stableKey(input)}`, { answer: invoke(channel, input), at: performance.now() })
}

function takeEarly(channel: Channel, input: unknown): Promise<Result<unknown>> | undefined {
  if (!early.size) return undefined
  const key = `${channel}\u0000${stableKey(input)}`
  const hit = early.get(key)
  if (!hit) return undefined
  early.delete(key)
  return performance.now() - hit.at <= EARLY_FOR_MS ? hit.answer : undefined
}

/** Typed call by channel; stores mostly use `api.<domain>.<verb>` instead. */
export function call<C extends Channel>(channel: C, input?: Input<C>): Promise<Result<Output<C>>> {
  return (takeEarly(channel, input) ?? invoke(channel, input)) as Promise<Result<Output<C>>>
}

function buildApi(): TokenDeskApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {}
  for (const name of Object.keys(CHANNEL_MUTATES) as Channel[]) {
    const { domain, verb } = splitChannel(name)
    api[domain] ??= {}
    api[domain][verb] = (input?: unknown) => call(name, input as never)
  }
  return api as unknown as TokenDeskApi
}

export const api: TokenDeskApi = buildApi()

/**
 * Long work: a channel answers `{ jobId }`; poll 'jobs:get' until the job ends. `onProgress` sees every poll. The
 * signal stops polling (it does not cancel the job: use api.jobs.cancel for that).
 */
export async function waitForJob(
  jobId: string,
  onProgress: (job: Output<'jobs:get'>) => void,
  opts: { intervalMs?: number; signal?: AbortSignal } = {}
): Promise<Result<Output<'jobs:get'>>> {
  const interval = opts.intervalMs ?? 150
  for (;;) {
    const r = await api.jobs.get({ id: jobId })
    if (!r.ok) return r
    onProgress(r.value)
    if (r.value.state !== 'running') return r
    if (opts.signal?.aborted) return r
    await new Promise((ok) => setTimeout(ok, interval))
  }
}
