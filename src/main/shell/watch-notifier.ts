import type { ShellEvent } from '../../shared/shell-events'
import type { WatchReport } from '../hygiene/watch'

/** The part of Electron's Notification the watch uses (a recording stand-in in tests). */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown
  show(): void
}
export interface NotificationCtor {
  new (options: { title: string; body: string }): NotificationLike
  isSupported(): boolean
}

/** How many token names a notification lists before "and N more". */
const NAMED = 3

export function describeWatchReport(r: WatchReport): { title: string; body: string } | null {
  const n = r.entered.length
  if (!n) return null
  const title = `TokenDesk: ${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'} expiring within ${r.windowDays} days`
  const names = r.entered.slice(0, NAMED).map((t) => `${t.name} (${t.server})`)
  const more = n > NAMED ? ` and ${(n - NAMED).toLocaleString('en-US')} more` : ''
  return { title, body: `${names.join(', ')}${more}. Click to open them in the Inventory.` }
}

/**
 * Turns the expiry watch's reports into native notifications: one per report that has tokens entering the window; a
 * click brings the window up on the Inventory filtered to tokens expiring within that window. Pure: Electron's
 * Notification and the shell's event sender are injected.
 */
export function createWatchNotifier(opts: {
  Notification: NotificationCtor
  send(event: ShellEvent): void
  focus(): void
}) {
  return (r: WatchReport): void => {
    const text = describeWatchReport(r)
    if (!text || !opts.Notification.isSupported()) return
    const note = new opts.Notification(text)
    note.on('click', () => {
      opts.send({ type: 'openInventory', expiringWithin: r.windowDays })
      opts.focus()
    })
    note.show()
  }
}
