import { useEffect, useRef, useState } from 'react'
import { Screen } from '../components/Screen'
import { ErrorNote } from '../components/ui'
import { useSystemStore } from '../stores/system.store'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { SettingsUpdateInput } from '../../../shared/contract'
import { validate, serverFieldError, type FieldErrors } from '../lib/form'
import type { AppErrorShape } from '../../../shared/errors'
import { ActionButton, SubmitButton, FormShell } from '../components/action'
import { WatchSettings } from './settings/WatchSettings'
import { TextField } from '../components/fields'

const THEMES = ['light', 'dark', 'system'] as const

export function SettingsScreen() {
  const { status, settings, loadStatus, loadSettings, updateSettings, saving } = useSystemStore()
  const toast = useUiStore((s) => s.toast)
  const [operator, setOperator] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)

  useEffect(() => {
    void loadStatus()
    void loadSettings()
  }, [loadStatus, loadSettings])
  // The saved name fills the field until the user types: a later load or a theme change leaves typed text alone.
  const shown = useRef('')
  useEffect(() => {
    if (!settings) return
    const before = shown.current
    shown.current = settings.operator
    setOperator((typed) => (typed === before ? settings.operator : typed))
  }, [settings])

  const save = async (patch: { operator?: string; theme?: (typeof THEMES)[number] }) => {
    const v = validate(SettingsUpdateInput, patch)
    if (!v.ok) {
      setErrors(v.errors)
      return
    }
    setErrors({})
    const e = await updateSettings(v.data)
    setError(e)
    if (e) setErrors(serverFieldError(e))
    else {
      toast('ok', 'Settings saved')
      void loadStatus()
    }
  }

  return (
    <Screen id="settings" title="Settings">
      <div className="cards">
        <section className="card" aria-labelledby="set-store">
          <h2 id="set-store">Store</h2>
          <dl className="kv">
            <dt>Data folder</dt>
            <dd className="mono" data-testid={T.settingsDataDir}>
              {status?.dataDir ?? '…'}
            </dd>
            <dt>Database file</dt>
            <dd className="mono">{status?.dbFile ?? '…'}</dd>
            <dt>Schema version</dt>
            <dd>{status ? `v${status.schemaVersion}` : '…'}</dd>
            <dt>Mode</dt>
            <dd>{status?.mode ?? '…'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="set-keychain">
          <h2 id="set-keychain">Keychain</h2>
          <div data-testid={T.settingsKeychain}>
            {status ? (
              status.keychain.available ? (
                <p className="ok">
                  Reachable through <span className="mono">{status.keychain.backend}</span>. Secrets (HMAC secrets,
                  private keys, token values, credentials) live there, never in the store file.
                </p>
              ) : (
                <div className="bad">
                  <p>
                    Not reachable (<span className="mono">{status.keychain.backend}</span>). {status.keychain.message}
                  </p>
                  <p>
                    How to fix it: on Linux install and unlock a Secret Service (GNOME Keyring or KWallet, e.g.{' '}
                    <code>sudo apt-get install gnome-keyring</code> and log in to a desktop session); macOS and Windows
                    have one built in. TokenDesk never falls back to storing secrets on disk.
                  </p>
                </div>
              )
            ) : (
              '…'
            )}
          </div>
          <ActionButton className="btn" onClick={() => loadStatus()}>
            Check again
          </ActionButton>
        </section>
        <section className="card" aria-labelledby="set-op">
          <h2 id="set-op">Operator</h2>
          <FormShell errors={errors} onSubmit={() => save({ operator })} noValidate>
            <TextField
              name="operator"
              label="Operator name (recorded in the audit log)"
              value={operator}
              onChange={setOperator}
            />
            <SubmitButton className="btn primary" data-testid={T.settingsSave} disabled={saving}>
              Save
            </SubmitButton>
            <ErrorNote error={error} where="settings" />
          </FormShell>
        </section>
        <section className="card" aria-labelledby="set-theme">
          <h2 id="set-theme">Theme</h2>
          <div role="radiogroup" aria-labelledby="set-theme" className="segmented">
            {THEMES.map((t) => (
              <label key={t} className={settings?.theme === t ? 'active' : ''}>
                <input
                  type="radio"
                  name="theme"
                  value={t}
                  data-testid={T.settingsTheme(t)}
                  checked={settings?.theme === t}
                  onChange={() => void save({ theme: t })}
                />
                {t}
              </label>
            ))}
          </div>
        </section>
        <WatchSettings />
      </div>
    </Screen>
  )
}
