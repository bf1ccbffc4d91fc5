import { useEffect, useState } from 'react'
import type { WatchStatus } from '../../../shared/contract'
import { api, transport } from '../api'
import { num } from '../lib/format'
import { showInventory } from '../stores/inventory.store'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'

/** How often the web console asks for new watch reports. */
const POLL_MS = 60_000
const NAMED = 3

/**
 * The web mode's expiry watch banner: tokens the watch reported entering the window, with a link that opens the
 * Inventory filtered to tokens expiring within it. The desktop app shows a native notification instead.
 */
export function WatchBanner() {
  const [status, setStatus] = useState<WatchStatus | null>(null)
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const go = useUiStore((s) => s.go)
  useEffect(() => {
    if (transport !== 'rpc') return
    let live = true
    const poll = () => void api.watch.status({}).then((r) => live && r.ok && setStatus(r.value))
    poll()
    const t = setInterval(poll, POLL_MS)
    window.addEventListener('focus', poll)
    return () => {
      live = false
      clearInterval(t)
      window.removeEventListener('focus', poll)
    }
  }, [])
  if (!status?.enteredTotal || status.enteredAt === dismissedAt) return null
  const n = status.enteredTotal
  const names = status.entered.slice(0, NAMED).map((r) => r.name)
  return (
    <div className="banner warn watch-banner" role="status" data-testid={T.watchBanner}>
      <span>
        <strong>
          {num(n)} token{n === 1 ? '' : 's'} entered the {num(status.windowDays)}-day expiry window:
        </strong>{' '}
        {names.join(', ')}
        {n > NAMED ? ` and ${num(n - NAMED)} more` : ''}.
      </span>
      <button
        type="button"
        className="btn small"
        data-testid={T.watchBannerOpen}
        onClick={() => showInventory({ within: String(status.windowDays) }, go)}
      >
        Show them in the Inventory
      </button>
      <button type="button" className="btn small ghost" onClick={() => setDismissedAt(status.enteredAt)}>
        Dismiss
      </button>
    </div>
  )
}
