import { useEffect, useState } from 'react'
import { type WatchStatus, SettingsUpdateInput } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { api } from '../../api'
import { ActionButton, FormShell, SubmitButton } from '../../components/action'
import { Time } from '../../components/Time'
import { ErrorNote } from '../../components/ui'
import { bindField, validate, type FieldErrors } from '../../lib/form'
import { num } from '../../lib/format'
import { useSystemStore } from '../../stores/system.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { TextField } from '../../components/fields'

/** The watch's two numeric settings, kept as typed text until save; only the interval stops with the watch. */
const NUMBERS = [
  { name: 'watchIntervalMinutes', label: 'Check every (minutes)', offWithWatch: true },
  { name: 'watchWindowDays', label: 'Window (days)', offWithWatch: false }
] as const
type Numbers = Record<(typeof NUMBERS)[number]['name'], string>

/** The expiry watch: on/off, how often it refreshes every server, its window; and a check run now. */
export function WatchSettings() {
  const settings = useSystemStore((s) => s.settings)
  const updateSettings = useSystemStore((s) => s.updateSettings)
  const toast = useUiStore((s) => s.toast)
  const [enabled, setEnabled] = useState(true)
  const [numbers, setNumbers] = useState<Numbers>({ watchIntervalMinutes: '60', watchWindowDays: '14' })
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [status, setStatus] = useState<WatchStatus | null>(null)
  // Settings that arrive (or are read again) while the user has unsaved edits never overwrite what they typed.
  const [dirty, setDirty] = useState(false)
  useEffect(() => {
    if (!settings || dirty) return
    setEnabled(settings.watchEnabled)
    setNumbers({
      watchIntervalMinutes: String(settings.watchIntervalMinutes),
      watchWindowDays: String(settings.watchWindowDays)
    })
  }, [settings, dirty])
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setDirty(true)
      set(v)
    }
  const putNumbers = edit((patch: Partial<Numbers>) => setNumbers((n) => ({ ...n, ...patch })))
  useEffect(() => {
    void api.watch.status({}).then((r) => r.ok && setStatus(r.value))
  }, [])
  const save = async () => {
    const v = validate(SettingsUpdateInput, {
      watchEnabled: enabled,
      watchIntervalMinutes: Number(numbers.watchIntervalMinutes),
      watchWindowDays: Number(numbers.watchWindowDays)
    })
    if (!v.ok) return setErrors(v.errors)
    setErrors({})
    const e = await updateSettings(v.data)
    setError(e)
    if (e) return
    setDirty(false)
    toast('ok', 'Expiry watch settings saved')
  }
  const check = async () => {
    const r = await api.watch.check({})
    if (!r.ok) return setError(r.error)
    setStatus(r.value)
    toast(
      'ok',
      `Checked: ${num(r.value.enteredTotal)} token${r.value.enteredTotal === 1 ? '' : 's'} reported in the window so far`
    )
  }
  return (
    <section className="card" aria-labelledby="set-watch">
      <h2 id="set-watch">Expiry watch</h2>
      <p className="muted">
        While TokenDesk runs it refreshes every server on a schedule and tells you once about each token entering the
        window.
      </p>
      <FormShell errors={errors} onSubmit={() => save()} aria-label="Expiry watch">
        <label className="check">
          <input
            type="checkbox"
            data-testid={T.settingsWatch('enabled')}
            checked={enabled}
            onChange={(e) => edit(setEnabled)(e.target.checked)}
          />{' '}
          Watch for expiring tokens
        </label>
        <div className="row">
          {NUMBERS.map((f) => (
            <TextField
              key={f.name}
              name={f.name}
              label={f.label}
              {...bindField(numbers, putNumbers, f.name)}
              inputMode="numeric"
              className="days-input"
              disabled={f.offWithWatch && !enabled}
            />
          ))}
        </div>
        <ErrorNote error={error} where="settings-watch" />
        <div className="actions left">
          <SubmitButton className="btn primary" testId={T.settingsWatch('save')}>
            Save
          </SubmitButton>
          <ActionButton className="btn" testId={T.settingsWatch('check')} onClick={() => check()}>
            Check now
          </ActionButton>
          <span className="muted">
            Last check: <Time value={status?.lastCheck ?? null} empty="not yet" />
          </span>
        </div>
      </FormShell>
    </section>
  )
}
