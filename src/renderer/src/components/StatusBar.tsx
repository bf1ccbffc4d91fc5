import { useEffect } from 'react'
import { T } from '../testids'
import { Time } from './Time'
import { transport } from '../api'
import { consoleMessage } from '../lib/errors'
import { useSystemStore } from '../stores/system.store'

export function StatusBar() {
  const status = useSystemStore((s) => s.status)
  const error = useSystemStore((s) => s.statusError)
  return (
    <footer className="status-bar" data-testid={T.statusBar} aria-label="Status">
      {error ? (
        <span className="status-error" role="alert">
          {error.code}: {consoleMessage(error)}
        </span>
      ) : !status ? (
        <span className="muted">Connecting…</span>
      ) : (
        <>
          <span title="Data folder">
            <span className="muted">data</span>{' '}
            <span className="mono" data-testid={T.statusDataDir}>
              {status.dataDir}
            </span>
          </span>
          <span title="Store schema version">
            <span className="muted">schema</span> <span data-testid={T.statusSchema}>v{status.schemaVersion}</span>
          </span>
          <span
            data-testid={T.statusKeychain}
            className={status.keychain.available ? 'ok' : 'bad'}
            title={status.keychain.message ?? `Keychain backend: ${status.keychain.backend}`}
          >
            <span className="dot" aria-hidden="true" />
            keychain {status.keychain.available ? 'available' : 'unavailable'} ({status.keychain.backend})
          </span>
          <span className="spacer" />
          <span data-testid={T.statusMode} className="muted">
            {status.mode} · {transport} · operator {status.operator} · v{status.appVersion}
          </span>
        </>
      )}
    </footer>
  )
}

export function KeychainBanner() {
  const status = useSystemStore((s) => s.status)
  if (!status || status.keychain.available) return null
  return (
    <div className="banner bad" role="alert" data-testid={T.keychainBanner}>
      <strong>Keychain unavailable.</strong> Secrets cannot be stored or read until it is reachable; nothing is ever
      written to disk in its place. {status.keychain.message}
    </div>
  )
}

const STORE_WORDS = {
  loading: 'Bulk load in progress — writes wait',
  repairing: 'Store repair in progress — writes wait',
  interrupted: 'A bulk load was interrupted — the store is being checked before writes resume'
} as const

/** Another process holds the store (bulk load or repair): say so while writes to tokens answer BUSY. */
export function StoreBanner() {
  const store = useSystemStore((s) => s.status?.store ?? null)
  const loadStatus = useSystemStore((s) => s.loadStatus)
  // Poll while the store is held, so the banner goes away soon after the load ends.
  useEffect(() => {
    if (!store) return
    const t = setInterval(() => void loadStatus(), 3000)
    return () => clearInterval(t)
  }, [store, loadStatus])
  if (!store) return null
  const who = [store.operation, store.pid != null ? `process ${store.pid}` : null].filter(Boolean).join(', ')
  return (
    <div className="banner warn" role="status" data-testid={T.storeBanner}>
      <strong>{STORE_WORDS[store.state]}.</strong>
      {who && <> ({who})</>}
      {store.since && (
        <>
          {' '}
          since <Time value={store.since} />
        </>
      )}
    </div>
  )
}
