import { afterEach, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import { buildMenuTemplate } from '../../src/main/shell/menu'
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  saveWindowState
} from '../../src/main/shell/window-state'
import { createIdleLock } from '../../src/main/shell/idle-lock'
import { createJobNotifier } from '../../src/main/shell/job-notifier'
import { SCREENS, ShellEvent } from '../../src/shared/shell-events'
import type { JobInfo } from '../../src/shared/contract'

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])])
}

describe('application menu', () => {
  it('has the usual roles and every main action, each sending a valid shell event', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const sent: unknown[] = []
      const items = flatten(
        buildMenuTemplate({ platform, appName: 'TokenDesk', devTools: false, send: (e) => sent.push(e) })
      )
      const roles = items.map((i) => i.role).filter(Boolean)
      expect(roles, platform).toEqual(
        expect.arrayContaining(['editMenu', 'windowMenu', 'togglefullscreen', 'zoomIn', 'resetZoom'])
      )
      expect(roles, platform).toContain(platform === 'darwin' ? 'about' : 'quit')
      expect(roles).not.toContain('toggleDevTools')
      for (const item of items) (item.click as any)?.()
      for (const e of sent) expect(ShellEvent.safeParse(e).success).toBe(true)
      const screens = sent.filter((e: any) => e.type === 'navigate').map((e: any) => e.screen)
      expect(new Set(screens)).toEqual(new Set(SCREENS))
      expect(sent).toContainEqual({ type: 'lock', reason: 'menu' })
      expect(sent).toContainEqual({ type: 'command', command: 'commandPalette' })
      const accels = items.map((i) => i.accelerator).filter(Boolean)
      expect(new Set(accels).size, `${platform}: duplicate accelerators`).toBe(accels.length)
    }
    const dev = flatten(buildMenuTemplate({ platform: 'linux', appName: 'TokenDesk', devTools: true, send: () => {} }))
    expect(dev.map((i) => i.role)).toContain('toggleDevTools')
  })
})

describe('window state', () => {
  let dir: string | null = null
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

  it('round-trips through its file and rejects a damaged or hostile one', () => {
    dir = mkdtempSync(join(tmpdir(), 'tokendesk-ws-'))
    const file = join(dir, 'sub', 'window-state.json')
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE)
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true })
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true })
    for (const junk of [
      '{',
      '{"width":"1e9","height":1}',
      '{"width":5,"height":5}',
      '[]',
      '{"width":1000,"height":700,"__proto__":{"x":1}}'
    ]) {
      writeFileSync(file, junk)
      const s = loadWindowState(file)
      expect(s.width >= 400 && s.height >= 300, junk).toBe(true)
    }
    expect(() => saveWindowState(file, { width: 10, height: 10, maximized: false })).toThrow()
    expect(JSON.parse(readFileSync(file, 'utf8')).width).toBe(1000)
  })

  it('keeps a position only while it is on a display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }]
    expect(fitToDisplays({ x: 100, y: 100, width: 1200, height: 800, maximized: false }, displays)).toEqual({
      x: 100,
      y: 100,
      width: 1200,
      height: 800,
      maximized: false
    })
    // The second monitor is gone: position dropped, window centred by Electron.
    expect(fitToDisplays({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }, displays)).toEqual({
      width: 1200,
      height: 800,
      maximized: false
    })
    // Title bar above the screen: dropped too; size shrunk to the display.
    expect(fitToDisplays({ x: 0, y: -300, width: 4000, height: 3000, maximized: true }, displays)).toEqual({
      width: 1920,
      height: 1080,
      maximized: true
    })
    expect(fitToDisplays({ x: 5, y: 5, width: 900, height: 600, maximized: false }, [])).toEqual({
      width: 900,
      height: 600,
      maximized: false
    })
  })
})

describe('idle lock', () => {
  it('locks once after N minutes idle and re-arms after activity', () => {
    let idle = 0
    const locks: number[] = []
    let timer: (() => void) | null = null
    let stopped = false
    const lock = createIdleLock({
      minutes: 5,
      idleSeconds: () => idle,
      onLock: () => locks.push(idle),
      setInterval: (fn) => ((timer = fn), 1),
      clearInterval: () => void (stopped = true)
    })
    idle = 299
    timer!()
    expect(locks).toEqual([])
    idle = 300
    timer!()
    idle = 900
    timer!()
    expect(locks).toEqual([300])
    idle = 2
    expect(lock.check()).toBe(false)
    idle = 301
    expect(lock.check()).toBe(true)
    expect(locks).toEqual([300, 301])
    lock.stop()
    expect(stopped).toBe(true)
  })
})

describe('job notifications', () => {
  const job = (id: string, state: JobInfo['state'], extra: Partial<JobInfo> = {}): JobInfo => ({
    id,
    kind: 'jwt.bulkMint',
    state,
    done: 10,
    total: 10,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: state === 'running' ? null : '2025-01-01T00:01:00.000Z',
    ...extra
  })

  it('notifies once per job that ends while the window is in the background', () => {
    let jobs: JobInfo[] = [job('old', 'done')]
    let background = true
    const notify = vi.fn()
    const n = createJobNotifier({ listJobs: () => jobs, inBackground: () => background, notify })
    expect(n.poll()).toBe(0) // jobs finished before the shell started are not news
    jobs = [job('old', 'done'), job('a', 'running')]
    expect(n.poll()).toBe(0)
    jobs = [
      job('old', 'done'),
      job('a', 'done'),
      job('b', 'failed', { error: { code: 'IO', message: 'disk full' } }),
      job('c', 'cancelled')
    ]
    expect(n.poll()).toBe(2)
    expect(n.poll()).toBe(0)
    expect(notify.mock.calls.map((c) => c[1])).toEqual([
      'jwt.bulkMint finished (10 of 10).',
      'jwt.bulkMint failed: disk full'
    ])
    background = false
    jobs = [...jobs, job('d', 'done')]
    expect(n.poll()).toBe(0) // the user is looking at the window
  })
})
