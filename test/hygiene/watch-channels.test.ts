import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import type { Scheduler } from '../../src/main/hygiene/watch'
import { QUIET_CLAIMS } from '../helpers/claims'

const DAY = 86_400

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
  return { s, live: () => pending.filter((t) => !t.cleared) }
}

const claims = { ...QUIET_CLAIMS, jti: 'j', dvm: 'd' }

describe('watch channels and settings (what the web banner and the Settings screen use)', () => {
  let core: TestCore
  afterEach(() => core?.cleanup())

  it('settings carry the watch switch, interval and window; a change reschedules a started watch', async () => {
    const sched = manualScheduler()
    core = makeCore({ hygiene: { scheduler: sched.s } })
    expect(await core.call('system:getSettings', {})).toMatchObject({
      watchEnabled: true,
      watchIntervalMinutes: 60,
      watchWindowDays: 14
    })
    core.services.hygiene.watch.start()
    expect(sched.live().map((t) => t.ms)).toEqual([3_600_000])

    await core.call('system:updateSettings', { watchIntervalMinutes: 5, watchWindowDays: 30 })
    expect(sched.live().map((t) => t.ms)).toEqual([300_000])
    expect(core.services.hygiene.settings()).toMatchObject({ intervalMs: 300_000, windowDays: 30 })
    expect((await core.call('inventory:counts', {})).windowDays).toBe(30)

    await core.call('system:updateSettings', { watchEnabled: false })
    expect(sched.live()).toEqual([])
    expect((await core.call('watch:status', {})).scheduled).toBe(false)
    await core.call('system:updateSettings', { watchEnabled: true })
    expect(sched.live()).toHaveLength(1)
    expect(await core.call('system:getSettings', {})).toMatchObject({
      watchEnabled: true,
      watchIntervalMinutes: 5,
      watchWindowDays: 30
    })
  })

  it('refuses an interval or window out of range with the field named', async () => {
    core = makeCore()
    expect(await core.callError('system:updateSettings', { watchIntervalMinutes: 0 })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'watchIntervalMinutes' }
    })
    expect(await core.callError('system:updateSettings', { watchWindowDays: 400 })).toMatchObject({
      code: 'VALIDATION',
      details: { path: 'watchWindowDays' }
    })
  })

  it('watch:check reports tokens entering the window once; watch:status keeps them for the banner', async () => {
    let now = 1_800_000_000_000
    core = makeCore({ now: () => now, hygiene: { scheduler: manualScheduler().s } })
    const at = now / 1000
    await core.call('tokens:add', { name: 'due_soon', ...claims, expire: at + 5 * DAY })
    await core.call('tokens:add', { name: 'due_later', ...claims, jti: 'j2', expire: at + 20 * DAY })
    expect(await core.call('watch:status', {})).toMatchObject({ lastCheck: null, enteredTotal: 0, entered: [] })

    const first = await core.call('watch:check', {})
    expect(first).toMatchObject({ lastCheck: now, enteredTotal: 1, enteredAt: now, windowDays: 14, failed: [] })
    expect(first.entered.map((r) => r.name)).toEqual(['due_soon'])

    now += 7 * DAY * 1000
    const second = await core.call('watch:check', {})
    expect(second.enteredTotal).toBe(2)
    expect(second.entered.map((r) => r.name)).toEqual(['due_later', 'due_soon'])

    now += DAY * 1000
    const third = await core.call('watch:check', {})
    expect(third.enteredTotal).toBe(2)
    expect(third.lastCheck).toBe(now)
  })
})
