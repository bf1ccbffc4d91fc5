import { describe, expect, it, vi } from 'vitest'
import { APP_ORIGIN, isTrustedSender } from '../../src/main/shell/sender'
import { bindContract, UNTRUSTED_SENDER, type IpcMainLike } from '../../src/main/shell/ipc'
import { channels, type Channel } from '../../src/shared/contract'

/** A stand-in for Electron's IpcMainInvokeEvent: only senderFrame matters to the check. */
const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } })
const mainFrame = event('app://tokendesk/index.html')

describe('IPC sender check (checklist: validate the sender of every IPC message)', () => {
  it('accepts only the main frame of app://tokendesk', () => {
    expect(APP_ORIGIN).toBe('app://tokendesk')
    expect(isTrustedSender(mainFrame)).toBe(true)
    expect(isTrustedSender(event('app://tokendesk/tokens?x=1#y'))).toBe(true)
  })

  it('refuses a foreign origin', () => {
    for (const url of [
      'https://evil.example/index.html',
      'http://127.0.0.1:5173/',
      'file:///work/main/out/renderer/index.html',
      'app://evil/index.html',
      'app://tokendesk.evil.example/index.html',
      'app://tokendesk:8080/index.html',
      'tokendesk://token/abc',
      'about:blank',
      'data:text/html,<script>1</script>',
      'not a url'
    ])
      expect(isTrustedSender(event(url)), url).toBe(false)
  })

  it('refuses a subframe even when it is of our own origin', () => {
    expect(isTrustedSender(event('app://tokendesk/index.html', { url: 'app://tokendesk/index.html' }))).toBe(false)
  })

  it('refuses an event whose frame is gone', () => {
    expect(isTrustedSender({ senderFrame: null })).toBe(false)
  })
})

describe('bindContract', () => {
  function bind() {
    const handlers = new Map<string, (event: any, input: unknown) => unknown>()
    const ipc: IpcMainLike = { handle: (name, listener) => void handlers.set(name, listener) }
    const dispatch = vi.fn(async (_c: Channel, input: unknown) => ({ ok: true as const, value: input }))
    bindContract(ipc, channels, dispatch)
    return { handlers, dispatch }
  }

  it('binds exactly the contract channels, nothing else', () => {
    const { handlers } = bind()
    expect([...handlers.keys()].sort()).toEqual([...channels].sort())
  })

  it('never runs the dispatch for a foreign or subframe sender, and runs it for our main frame', async () => {
    const { handlers, dispatch } = bind()
    const h = handlers.get('system:status')!
    expect(await h(event('https://evil.example/'), { x: 1 })).toEqual(UNTRUSTED_SENDER)
    expect(await h(event('app://tokendesk/index.html', {}), { x: 1 })).toEqual(UNTRUSTED_SENDER)
    expect(dispatch).not.toHaveBeenCalled()
    expect(await h(mainFrame, { x: 1 })).toEqual({ ok: true, value: { x: 1 } })
    expect(dispatch).toHaveBeenCalledWith('system:status', { x: 1 })
  })

  it('the refusal is a coded error from the closed list', () => {
    expect(UNTRUSTED_SENDER.ok).toBe(false)
    if (!UNTRUSTED_SENDER.ok) expect(UNTRUSTED_SENDER.error.code).toBe('FORBIDDEN')
  })
})
