import { useEffect, useState } from 'react'
import { Field, ErrorNote } from './ui'
import { localInputValue } from '../lib/format'
import { FormShell, SubmitButton } from './action'
import type { AppErrorShape } from '../../../shared/errors'

export interface Preset {
  label: string
  ms: number
}

const DAY = 86400_000
const EXPIRY_PRESETS: Preset[] = [
  { label: '+7 days', ms: 7 * DAY },
  { label: '+30 days', ms: 30 * DAY },
  { label: '+90 days', ms: 90 * DAY },
  { label: '+1 year', ms: 365 * DAY }
]

/** yyyy-MM-ddTHH:mm in local time, what <input type="datetime-local"> holds. */
export const toLocalInput = localInputValue

interface Props {
  /** The current expiry (epoch ms), or null when it never expires. */
  current: number | null
  /** Resets the form when the record changes. */
  resetKey: string
  label: string
  presets?: Preset[]
  /** Offer "Never expires" (saved as null). */
  allowNever?: boolean
  /** Saves the chosen expiry; answers the error to show, or null when saved. */
  onSave: (ms: number | null) => Promise<AppErrorShape | null>
  where: string
}

/** Renew from a detail pane: a date/time picker plus presets, refused when incomplete or in the past. */
export function RenewExpiry({
  current,
  resetKey,
  label,
  presets = EXPIRY_PRESETS,
  allowNever = true,
  onSave,
  where
}: Props) {
  const [value, setValue] = useState(current ? toLocalInput(current) : '')
  const [never, setNever] = useState(false)
  // A preset's exact instant: the picker shows whole minutes, and "+7 days" must not save 7 days less a few seconds.
  const [presetMs, setPresetMs] = useState<number | null>(null)
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<AppErrorShape | null>(null)
  useEffect(() => {
    setValue(current ? toLocalInput(current) : '')
    setNever(false)
    setPresetMs(null)
    setFieldError(undefined)
    setError(null)
  }, [resetKey, current])
  const submit = async () => {
    const ms = never ? 0 : (presetMs ?? Date.parse(value))
    if (!never && !Number.isFinite(ms)) return setFieldError('Choose a complete date and time, or a preset.')
    if (!never && ms <= Date.now()) return setFieldError('Choose a time in the future.')
    setFieldError(undefined)
    setError(await onSave(never ? null : ms))
  }
  return (
    <FormShell className="renew" aria-label="Renew" onSubmit={() => submit()}>
      <h3>Renew</h3>
      <Field name={`${where}-renew`} label={label} error={fieldError}>
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={never ? '' : value}
            disabled={never}
            onChange={(e) => {
              setNever(false)
              setPresetMs(null)
              setValue(e.target.value)
            }}
          />
        )}
      </Field>
      <div className="row">
        {presets.map((x) => (
          <button
            key={x.label}
            type="button"
            className="btn small"
            onClick={() => {
              const at = Date.now() + x.ms
              setNever(false)
              setPresetMs(at)
              setValue(toLocalInput(at))
            }}
          >
            {x.label}
          </button>
        ))}
        {allowNever ? (
          <label className="check">
            <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} /> Never expires
          </label>
        ) : null}
      </div>
      <ErrorNote error={error} where={where} />
      <div className="actions left">
        <SubmitButton className="btn primary small">Renew</SubmitButton>
      </div>
    </FormShell>
  )
}
