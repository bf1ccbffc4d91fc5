import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { toErrorShape } from '../../src/main/core/dispatch'
import { runCliAsync } from '../remote/helpers'
import { claimFlags, SEED_CLAIMS } from '../helpers/claims'

const built = existsSync(join(__dirname, '..', '..', 'out', 'main', 'cli.js'))
const CLAIMS = claimFlags(SEED_CLAIMS)

const ADD = SEED_CLAIMS
const cores: TestCore[] = []
const children: ChildProcess[] = []
const newCore = (opts: Parameters<typeof makeCore>[0] = {}) => {
  const c = makeCore(opts)
  cores.push(c)
  return c
}
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  while (cores.length) cores.pop()!.cleanup()
})

/** A child process running a fixture; `line(text)` resolves when it has printed a line starting with text. */
function child(fixture: string, args: string[]) {
  const p = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', fixture), ...args], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  children.push(p)
  const lines: string[] = []
  let err = ''
  const waiters: Array<() => void> = []
  let buf = ''
  p.stdout!.on('data', (d) => {
    buf += String(d)
    const parts = buf.split('\n')
    buf = parts.pop()!
    lines.push(...parts)
    for (const w of waiters.splice(0)) w()
  })
  p.stderr!.on('data', (d) => (err += String(d)))
  const exited = new Promise<void>((res) => p.on('exit', () => res()))
  const line = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const l = lines.find((x) => x.startsWith(text))
        if (l !== undefined) return resolve(l)
        if (p.exitCode !== null) return reject(new Error(`child exited without "${text}": ${err}`))
        waiters.push(check)
      }
      check()
      void exited.then(check)
    })
  return { p, lines, line, exited, stderr: () => err }
}

const turn = () => new Promise((r) => setImmediate(r))

describe('a store another process holds', () => {
  it('maps SQLITE_BUSY to the coded error BUSY with a retry hint, never INTERNAL', () => {
    const e = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
    const shape = toErrorShape(e)
    expect(shape.code).toBe('BUSY')
    expect(shape.message).toMatch(/retry/)
    expect(shape.details).toMatchObject({ retryAfterMs: expect.any(Number) })
  })

  it('a write waits for the lock off the event loop: reads keep answering, then the write goes in', async () => {
    const a = newCore()
    // Held until the reads below have been answered while the write waits (or 10 s, which fails the test).
    const holder = child('lock-child.ts', [a.deps.dbFile, '10000'])
    await holder.line('locked')
    let writeDone = false
    const write = a.dispatch('tokens:add', { ...ADD, name: 'after_the_lock' }).then((r) => {
      writeDone = true
      return r
    })
    let readsWhileWaiting = 0
    let releasedBeforeWrite = false
    while (!writeDone) {
      const r = await a.dispatch('tokens:list', { limit: 5 })
      expect(r.ok).toBe(true)
      if (!writeDone) readsWhileWaiting++
      if (readsWhileWaiting === 4) holder.p.stdin!.write('release\n')
      releasedBeforeWrite = holder.lines.includes('released')
      await turn()
    }
    const r = await write
    expect(r).toMatchObject({ ok: true, value: { record: { name: 'after_the_lock' } } })
    // The write went in only once the other process let go, and reads were answered all the while before.
    expect(releasedBeforeWrite || holder.lines.includes('released')).toBe(true)
    expect(readsWhileWaiting).toBeGreaterThan(3)
  }, 30_000)

  it('a write still locked out after the wait answers BUSY with a retry hint, and is audited as BUSY', async () => {
    const a = newCore({ busyWaitMs: 300 })
    const holder = child('lock-child.ts', [a.deps.dbFile, '3000'])
    await holder.line('locked')
    const r = await a.dispatch('tokens:add', { ...ADD, name: 'locked_out' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('BUSY')
    expect(r.error.message).toMatch(/retry/)
    expect(r.error.details).toMatchObject({ retryAfterMs: expect.any(Number) })
    expect(holder.lines).not.toContain('released')
    // The other process goes away (its lock with it).
    holder.p.kill('SIGKILL')
    await holder.exited
    // The refusal's audit row waits for the lock in the background, after the answer.
    const audited = async () => (await a.call('audit:list', { action: 'tokens:add' })).items.map((x) => x.outcome)
    for (let i = 0; i < 200 && !(await audited()).includes('BUSY'); i++) await new Promise((res) => setTimeout(res, 50))
    expect(await audited()).toEqual(['BUSY'])
  }, 30_000)
})

describe.skipIf(!built)('the CLI against a store another process holds', () => {
  it('answers error BUSY with the retry hint (exit 1), not INTERNAL', async () => {
    const a = newCore()
    a.close()
    cores.pop()
    const holder = child('lock-child.ts', [join(a.dataDir, 'tokendesk.db'), '6000'])
    await holder.line('locked')
    const env = { ...process.env, TOKENDESK_BUSY_WAIT_MS: '300' }
    const r = await runCliAsync(
      ['--data', a.dataDir, '--json', 'tokens', 'add', '--name', 'cli_locked_out', ...CLAIMS],
      { env }
    )
    expect(holder.lines).not.toContain('released')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error BUSY: The store is busy \(.*\): retry in a moment/m)
    expect(r.json().error.code).toBe('BUSY')
  }, 60_000)
})

describe('a bulk load another process runs', () => {
  it('is seen by a process already open: writes answer BUSY naming the load, status shows it, a crash keeps writes refused until the repair', async () => {
    const a = newCore()
    const kept = (await a.call('tokens:add', { ...ADD, name: 'before_the_load' })).record
    const loader = child('load-child.ts', [a.dataDir, '500'])
    await loader.line('loading')

    const status = await a.call('system:status', {})
    expect(status.store).toMatchObject({ state: 'loading', operation: 'import', pid: loader.p.pid })
    const refused = await a.callError('tokens:add', { ...ADD, name: 'during_the_load' })
    expect(refused.code).toBe('BUSY')
    expect(refused.message).toMatch(/bulk load \(import\) is in progress/)
    expect((await a.callError('tokens:dis', { id: kept.id, version: 1 })).code).toBe('BUSY')
    expect((await a.call('tokens:list', { limit: 5 })).items.length).toBeGreaterThan(0)

    loader.p.kill('SIGKILL')
    await loader.exited
    expect((await a.call('system:status', {})).store).toMatchObject({ state: 'interrupted' })
    // A name the load wrote, with its unique index down: an add now would be removed by the repair as a duplicate.
    const afterCrash = await a.callError('tokens:add', { ...ADD, name: 'loaded_7' })
    expect(afterCrash.code).toBe('BUSY')
    expect(afterCrash.message).toMatch(/awaits repair/)

    // The next open repairs it; the open store then sees the repaired store and writes again.
    const b = newCore({ dataDir: a.dataDir })
    expect(b.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((await a.call('system:status', {})).store).toBeNull()
    expect((await a.call('tokens:get', { id: kept.id })).name).toBe('before_the_load')
    expect((await a.call('tokens:count', {})).count).toBe(501)
    expect((await a.callError('tokens:add', { ...ADD, name: 'loaded_7' })).code).toBe('VALIDATION')
    expect((await a.call('tokens:dis', { id: kept.id, version: 1 })).record.state).toBe(1)
  }, 60_000)

  it('its repair says what it does, step by step, and meanwhile other writers get BUSY naming the repair', async () => {
    const a = newCore({ busyWaitMs: 300 })
    await a.call('tokens:add', { ...ADD, name: 'before_the_load' })
    const loader = child('load-child.ts', [a.dataDir, '200'])
    await loader.line('loading')
    loader.p.kill('SIGKILL')
    await loader.exited

    const go = join(a.dataDir, 'go')
    const repairer = child('repair-child.ts', [a.dataDir, go])
    await repairer.line('step 2/3')
    expect((await a.call('system:status', {})).store).toMatchObject({ state: 'repairing', pid: repairer.p.pid })
    const refused = await a.callError('tokens:add', { ...ADD, name: 'during_the_repair' })
    expect(refused.code).toBe('BUSY')
    expect(refused.message).toMatch(/being repaired/)
    writeFileSync(go, '')
    await repairer.line('repaired')
    expect(repairer.lines).toEqual([
      'step 1/3: unique indexes, removing duplicates the load let in',
      'step 2/3: page indexes',
      'step 3/3: search index and counts',
      'repaired true'
    ])
    expect((await a.call('tokens:add', { ...ADD, name: 'after_the_repair' })).record.name).toBe('after_the_repair')
  }, 60_000)
})
