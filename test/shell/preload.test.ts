import { beforeAll, describe, expect, it, vi } from 'vitest'
import { channels, splitChannel } from '../../src/shared/contract'
import { SHELL_EVENT } from '../../src/shared/shell-events'

// A stand-in `electron` for the sandboxed preload: records what it exposes and what it sends.
const exposed: Record<string, any> = {}
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }))
const listeners = new Map<string, Set<(...a: any[]) => void>>()
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
  ipcRenderer: {
    invoke,
    on: (ch: string, l: (...a: any[]) => void) =>
      void (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(l),
    removeListener: (ch: string, l: (...a: any[]) => void) => void listeners.get(ch)?.delete(l)
  }
}))

beforeAll(async () => {
  await import('../../src/preload/index')
})

function expected(): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const c of channels) {
    const { domain, verb } = splitChannel(c)
    ;(out[domain] ??= []).push(verb)
  }
  for (const d of Object.keys(out)) out[d].sort()
  return out
}

describe('preload exposure (spine acceptance: window.tokendesk is the contract, nothing else)', () => {
  it('exposes exactly two globals: the contract and the shell event listener', () => {
    expect(Object.keys(exposed).sort()).toEqual(['tokendesk', 'tokendeskShell'])
    expect(Object.keys(exposed.tokendeskShell)).toEqual(['onShellEvent'])
  })

  it("window.tokendesk's domains and verbs are the contract's channels, one to one", () => {
    const actual: Record<string, string[]> = {}
    for (const [domain, verbs] of Object.entries(exposed.tokendesk as Record<string, Record<string, unknown>>)) {
      actual[domain] = Object.keys(verbs).sort()
      for (const fn of Object.values(verbs)) expect(typeof fn).toBe('function')
    }
    expect(actual).toEqual(expected())
    expect(channels.length).toBeGreaterThan(0)
  })

  it('has no raw invoke, send, on or ipcRenderer anywhere', () => {
    const forbidden = ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'require', 'process']
    const walk = (o: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(o)) {
        expect(forbidden, k).not.toContain(k)
        if (v && typeof v === 'object') walk(v as Record<string, unknown>)
      }
    }
    walk(exposed.tokendesk)
    expect(Object.values(exposed).some((v) => v && (v as any).invoke)).toBe(false)
  })

  it('each method invokes its own channel and nothing else', async () => {
    for (const c of channels) {
      const { domain, verb } = splitChannel(c)
      await exposed.tokendesk[domain][verb]({ probe: c })
      expect(invoke).toHaveBeenLastCalledWith(c, { probe: c })
    }
    expect(invoke).toHaveBeenCalledTimes(channels.length)
  })

  it('onShellEvent forwards only valid shell events, without the IPC event object, and unsubscribes', () => {
    const fire = (payload: unknown) => {
      for (const l of listeners.get(SHELL_EVENT) ?? []) l({ sender: { send: 'ipcRenderer!' } }, payload)
    }
    expect(listeners.get(SHELL_EVENT)?.size).toBe(1)
    // Before anyone subscribes (a deep link at launch): kept, then handed to the first subscriber.
    fire({ type: 'openToken', id: 'tok_1' })
    fire({ type: 'openToken', id: '../../etc' })
    const got: unknown[] = []
    const off = exposed.tokendeskShell.onShellEvent((e: unknown) => got.push(e))
    expect(got).toEqual([{ type: 'openToken', id: 'tok_1' }])
    fire({ type: 'lock', reason: 'idle' })
    fire({ type: 'lock', reason: 'idle', extra: 1 })
    fire({ type: 'exec', cmd: 'rm -rf' })
    fire('lock')
    expect(got).toEqual([
      { type: 'openToken', id: 'tok_1' },
      { type: 'lock', reason: 'idle' }
    ])
    for (const e of got) expect(Object.keys(e as object)).not.toContain('sender')
    off()
    fire({ type: 'lock', reason: 'menu' })
    expect(got).toHaveLength(2)
  })
})
