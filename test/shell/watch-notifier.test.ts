import { describe, expect, it } from 'vitest'
import { createWatchNotifier, describeWatchReport, type NotificationCtor } from '../../src/main/shell/watch-notifier'
import type { WatchReport } from '../../src/main/hygiene/watch'
import type { InventoryRow } from '../../src/shared/contract'
import { ShellEvent } from '../../src/shared/shell-events'

/** A recording stand-in for Electron's Notification: what was constructed, shown, and the click listeners. */
function recordingNotification(supported = true) {
  const made: Array<{ options: { title: string; body: string }; shown: number; click: Array<() => void> }> = []
  const Ctor = class {
    private rec: (typeof made)[number]
    constructor(options: { title: string; body: string }) {
      this.rec = { options, shown: 0, click: [] }
      made.push(this.rec)
    }
    static isSupported() {
      return supported
    }
    on(_event: 'click', listener: () => void) {
      this.rec.click.push(listener)
      return this
    }
    show() {
      this.rec.shown++
    }
  } satisfies NotificationCtor
  return { Ctor, made }
}

const row = (name: string, server = 'local'): InventoryRow => ({
  kind: 'token',
  server,
  connectionId: server === 'local' ? null : 'c1',
  name,
  id: `id-${name}`,
  remoteId: null,
  state: 'enabled',
  expiresAt: '2027-01-10T00:00:00.000Z',
  pulledAt: null,
  findings: [{ rule: 'expires-soon', severity: 'warning' }]
})
const report = (entered: InventoryRow[], windowDays = 14): WatchReport => ({
  at: 0,
  windowDays,
  entered,
  refresh: null
})

describe('expiry watch notifications (desktop shell)', () => {
  it('shows one notification per report with tokens entering the window; its click opens the filtered Inventory', () => {
    const { Ctor, made } = recordingNotification()
    const sent: ShellEvent[] = []
    let focused = 0
    const notify = createWatchNotifier({ Notification: Ctor, send: (e) => sent.push(e), focus: () => focused++ })
    notify(report([row('erp'), row('crawler', 'fess-prod'), row('bi'), row('ops')], 30))
    expect(made).toHaveLength(1)
    expect(made[0].shown).toBe(1)
    expect(made[0].options.title).toBe('TokenDesk: 4 tokens expiring within 30 days')
    expect(made[0].options.body).toBe(
      'erp (local), crawler (fess-prod), bi (local) and 1 more. Click to open them in the Inventory.'
    )
    expect(sent).toEqual([])
    made[0].click.forEach((f) => f())
    expect(sent).toEqual([{ type: 'openInventory', expiringWithin: 30 }])
    // The event is one the preload lets through.
    expect(ShellEvent.safeParse(sent[0]).success).toBe(true)
    expect(focused).toBe(1)
  })

  it('stays quiet for a report with nothing new, and where notifications are not supported', () => {
    const quiet = recordingNotification()
    createWatchNotifier({ Notification: quiet.Ctor, send: () => undefined, focus: () => undefined })(report([]))
    expect(quiet.made).toHaveLength(0)
    const unsupported = recordingNotification(false)
    createWatchNotifier({ Notification: unsupported.Ctor, send: () => undefined, focus: () => undefined })(
      report([row('erp')])
    )
    expect(unsupported.made).toHaveLength(0)
  })

  it('names a single token in the singular', () => {
    expect(describeWatchReport(report([row('erp')]))).toEqual({
      title: 'TokenDesk: 1 token expiring within 14 days',
      body: 'erp (local). Click to open them in the Inventory.'
    })
  })
})
