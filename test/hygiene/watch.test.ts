import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { makeCore, type TestCore } from '../helpers/core'
import { dataforConnection, fessConnection, xduaConnection } from '../helpers/servers'
import type { RefreshResult } from '../../src/shared/contract'
import type { Scheduler, WatchReport } from '../../src/main/hygiene/watch'

const DAY_MS = 86_400_000
const fessStamp = (ms: number) => new Date(ms).toISOString().slice(0, 19)

/** A scheduler the test runs by hand: it remembers the one pending timer. */
function manualScheduler() {
  const pending: Array<{ fn: () => void; ms: number; cleared: boolean }> = []
  const s: Scheduler = {
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false }
      pending.push(t)
      return t
    },
    clearTimeout: (h) => void ((h as { cleared: boolean }).cleared = true)
  }
  return { s, pending, next: () => pending.filter((t) => !t.cleared).pop() }
}

describe('expiry watch and refresh against the emulators', () => {
  let fess: FessEmulator
  let x: XduaEmulator
  let df: DataforEmulator
  let core: TestCore
  let now = Math.floor(Date.now() / 1000) * 1000
  const start = now
  const reports: WatchReport[] = []
  const sched = manualScheduler()
  beforeAll(async () => {
    fess = await startFessEmulator({ tokens: 3 })
    x = await startXduaEmulator({ tokens: 3 })
    df = await startDataforEmulator({ configs: 1 })
    core = makeCore({ now: () => now, hygiene: { scheduler: sched.s, onWatchReport: (r) => reports.push(r) } })
    // Added in this order (f, x, d): the watch reports servers in the order they were added.
    await core.call('connections:add', fessConnection('f', fess.url, fess.adminToken))
    await core.call('connections:add', xduaConnection('x', x))
    await core.call('connections:add', dataforConnection('d', df))
    // A Fess token that will cross the 14-day window after a week, and a local one that crosses with it.
    const item = [...fess.state.items.values()].find((i) => i.name === 'token-00001')!
    item.expires = fessStamp(start + 18 * DAY_MS)
    fess.state.changed()
    await core.call('tokens:add', {
      name: 'local_due',
      typ: 'L',
      aud: 'a',
      sap: 's',
      jti: 'j1',
      ipm: '*',
      dvm: 'd',
      tag: 't',
      api: '*',
      bug: '0',
      shop: 's',
      role: 'r',
      rule: 'x',
      expire: Math.floor((start + 20 * DAY_MS) / 1000)
    })
  })
  afterAll(async () => {
    core.cleanup()
    await Promise.all([fess.close(), x.close(), df.close()])
  })

  it('refresh pulls every connection; a failing one is reported with its code and the others still refresh', async () => {
    df.setFault({ kind: 'status', status: 502 })
    const { jobId } = await core.call('inventory:refresh', {})
    const info = await core.deps.jobs.wait(jobId)
    expect(info.state).toBe('done')
    expect(info).toMatchObject({ done: 3, total: 3 })
    const r = info.result as RefreshResult
    expect(r.failed).toBe(1)
    const byName = Object.fromEntries(r.servers.map((s) => [s.connection, s]))
    expect(byName.d).toMatchObject({ ok: false, error: { code: 'SERVER' } })
    expect(byName.f).toMatchObject({ ok: true, pulled: 4 })
    expect(byName.x).toMatchObject({ ok: true, pulled: 3 })
    const pulled = await core.call('inventory:list', { server: 'f', limit: 100 })
    expect(pulled.items).toHaveLength(4)
  })

  it('reports a token entering the window once, on the schedule, while one server keeps failing', async () => {
    core.services.hygiene.watch.start()
    const first = sched.next()!
    expect(first.ms).toBe(3_600_000)
    first.fn()
    await core.services.hygiene.watch.tick()
    expect(reports.at(-1)!.entered).toEqual([])
    expect(reports.at(-1)!.refresh!.failed).toBe(1)

    now = start + 7 * DAY_MS
    sched.next()!.fn()
    await core.services.hygiene.watch.tick()
    const crossed = reports.flatMap((r) => r.entered.map((e) => e.name))
    expect(crossed.sort()).toEqual(['local_due', 'token-00001'])

    now = start + 8 * DAY_MS
    await core.services.hygiene.watch.tick()
    expect(reports.at(-1)!.entered).toEqual([])
    expect(reports.flatMap((r) => r.entered)).toHaveLength(2)
    core.services.hygiene.watch.stop()
    expect(core.services.hygiene.watch.running).toBe(false)
  })

  it('the off switch keeps it from scheduling', () => {
    core.settings.update({ 'hygiene.watchEnabled': false } as never)
    const before = sched.pending.length
    core.services.hygiene.watch.start()
    expect(sched.pending.length).toBe(before)
    expect(core.services.hygiene.watch.running).toBe(false)
  })
})
