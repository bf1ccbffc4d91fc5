import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createErrorLog, LOG_DIR, LOG_FILE } from '../../src/main/audit/logfile'
import { bindContract, UNTRUSTED_SENDER, type IpcListener, type IpcMainLike } from '../../src/main/shell/ipc'
import { channels } from '../../src/shared/contract'
import { makeCore, tempDir, type TestCore } from '../helpers/core'

const PLANTED = 'Pl4ntedS3cret'

describe('INTERNAL errors go to the error log', () => {
  let core: TestCore
  afterEach(() => {
    vi.restoreAllMocks()
    core?.cleanup()
  })

  it('a failing service answers INTERNAL naming the log, which holds the stack without the planted secret', async () => {
    core = makeCore()
    const file = join(core.dataDir, LOG_DIR, LOG_FILE)
    expect(existsSync(file)).toBe(false)
    function explodingConnectionList(): never {
      const cause = new Error(`socket said Bearer ${PLANTED}-bearer`)
      throw new TypeError(`fetch https://admin:${PLANTED}@h.example/?x=1&token=${PLANTED}-q failed`, { cause })
    }
    vi.spyOn(core.services.remote.connections, 'list').mockImplementation(explodingConnectionList)
    const r = await core.dispatch('connections:list', {})
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('INTERNAL')
    expect(r.error.message).toContain(file)
    expect(JSON.stringify(r.error)).not.toContain(PLANTED)

    const log = readFileSync(file, 'utf8')
    expect(log).toContain('INTERNAL in connections:list (TypeError)')
    expect(log).toContain('explodingConnectionList')
    expect(log).toContain('Caused by: Error: socket said Bearer [redacted]')
    expect(log).toContain('https://[redacted]@h.example/?x=1&token=[redacted]')
    expect(log).not.toContain(PLANTED)
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(statSync(join(core.dataDir, LOG_DIR)).mode & 0o777).toBe(0o700)
    }
  })
})

describe('error log rotation', () => {
  it('keeps at most three files, each under the cap, the newest entries in the current file', () => {
    const dir = tempDir()
    const log = createErrorLog(dir, { maxBytes: 4096, keep: 3 })
    for (let i = 0; i < 300; i++) log.write('error', `entry ${String(i).padStart(4, '0')} ${'x'.repeat(200)}`)
    expect(readdirSync(dir).sort()).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`])
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(4096)
    const current = readFileSync(join(dir, LOG_FILE), 'utf8')
    expect(current).toContain('entry 0299')
    const all = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('')
    expect(all).not.toContain('entry 0000')
    // Entries are whole lines in order across the files: .2 older than .1 older than the current file.
    const order = [`${LOG_FILE}.2`, `${LOG_FILE}.1`, LOG_FILE].flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/entry (\d{4})/g)].map((m) => Number(m[1]))
    )
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(order.at(-1)).toBe(299)
  })

  it('cuts one entry larger than the cap instead of growing past it', () => {
    const dir = tempDir()
    const log = createErrorLog(dir, { maxBytes: 1024, keep: 3 })
    log.write('error', 'y'.repeat(10_000))
    expect(statSync(join(dir, LOG_FILE)).size).toBeLessThanOrEqual(1024)
  })
})

describe('refused IPC senders are logged', () => {
  it('writes the channel and the reason, never the frame URL', async () => {
    const dir = tempDir()
    const log = createErrorLog(dir)
    const handlers = new Map<string, IpcListener>()
    const ipc: IpcMainLike = { handle: (name, listener) => void handlers.set(name, listener) }
    const dispatch = vi.fn(async () => ({ ok: true as const, value: null }))
    bindContract(ipc, channels, dispatch, { log })
    const h = handlers.get('system:status')!
    expect(await h({ senderFrame: { url: `https://evil.example/x?token=${PLANTED}`, parent: null } }, {})).toEqual(
      UNTRUSTED_SENDER
    )
    expect(await h({ senderFrame: { url: 'app://tokendesk/index.html', parent: {} } }, {})).toEqual(UNTRUSTED_SENDER)
    expect(await h({ senderFrame: null }, {})).toEqual(UNTRUSTED_SENDER)
    expect(dispatch).not.toHaveBeenCalled()
    const text = readFileSync(join(dir, LOG_FILE), 'utf8')
    expect(text).toContain("WARN IPC system:status refused: origin https://evil.example is not the app's own")
    expect(text).toContain('refused: a subframe (origin app://tokendesk) is not the main frame')
    expect(text).toContain('refused: the sender frame is gone')
    expect(text).not.toContain(PLANTED)
  })
})

describe('one error log per data folder', () => {
  let core: TestCore
  afterEach(() => {
    vi.restoreAllMocks()
    core?.cleanup()
  })

  it('the core writes to the log the shell made for refused senders, not a second one', async () => {
    const dataDir = tempDir()
    const log = createErrorLog(join(dataDir, LOG_DIR))
    const handlers = new Map<string, IpcListener>()
    bindContract({ handle: (name, listener) => void handlers.set(name, listener) }, channels, vi.fn(), { log })
    core = makeCore({ dataDir, log })
    expect(core.log).toBe(log)

    await handlers.get('system:status')!({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})
    vi.spyOn(core.services.remote.connections, 'list').mockImplementation(() => {
      throw new TypeError('boom')
    })
    expect((await core.dispatch('connections:list', {})).ok).toBe(false)
    const text = readFileSync(log.file, 'utf8')
    expect(text).toContain('WARN IPC system:status refused')
    expect(text).toContain('INTERNAL in connections:list (TypeError)')
  })
})
