import { useEffect, useState } from 'react'
import { Field, ErrorNote } from '../../components/ui'
import { FormShell, SubmitButton } from '../../components/action'
import { useTokensStore } from '../../stores/tokens.store'
import { useUiStore } from '../../stores/ui.store'
import { absolute } from '../../lib/time'
import type { TokenRecord } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'

const PRESETS: { label: string; days: number }[] = [
  { label: '+7 days', days: 7 },
  { label: '+30 days', days: 30 },
  { label: '+90 days', days: 90 },
  { label: '+1 year', days: 365 }
]

/** yyyy-MM-ddTHH:mm in local time, what <input type="datetime-local"> holds. */
function toLocalInput(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

/** Renew: a new expiry for the token from a date/time picker or a preset, saved with SET. */
export function Renew({ rec }: { rec: TokenRecord }) {
  const set = useTokensStore((s) => s.set)
  const toast = useUiStore((s) => s.toast)
  const [value, setValue] = useState(rec.expire ? toLocalInput(rec.expire * 1000) : '')
  const [never, setNever] = useState(false)
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [error, setError] = useState<AppErrorShape | null>(null)
  useEffect(() => {
    setValue(rec.expire ? toLocalInput(rec.expire * 1000) : '')
    setNever(false)
    setFieldError(undefined)
    setError(null)
  }, [rec.id, rec.expire])
  const submit = async () => {
    const ms = never ? 0 : Date.parse(value)
    if (!never && !Number.isFinite(ms)) return setFieldError('Choose a complete date and time, or a preset.')
    if (!never && ms <= Date.now()) return setFieldError('Choose a time in the future.')
    setFieldError(undefined)
    const expire = never ? 0 : Math.floor(ms / 1000)
    const r = await set({ id: rec.id, version: rec.version, expire })
    setError(r.ok ? null : r.error)
    if (r.ok) toast('ok', never ? `Token '${rec.name}' renewed: it never expires` : `Token '${rec.name}' renewed until ${absolute(expire * 1000)}`)
  }
  return (
    <FormShell className="renew" aria-label="Renew" onSubmit={() => submit()}>
      <h3>Renew</h3>
      <Field name="renewExpire" label="New expiry (local time)" error={fieldError}>
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={never ? '' : value}
            disabled={never}
            onChange={(e) => {
              setNever(false)
              setValue(e.target.value)
            }}
          />
        )}
      </Field>
      <div className="row">
        {PRESETS.map((x) => (
          <button
            key={x.label}
            type="button"
            className="btn small"
            onClick={() => {
              setNever(false)
              setValue(toLocalInput(Date.now() + x.days * 86400_000))
            }}
          >
            {x.label}
          </button>
        ))}
        <label className="check">
          <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} /> Never expires
        </label>
      </div>
      <ErrorNote error={error} where="token-renew" />
      <div className="actions left">
        <SubmitButton className="btn primary small">Renew</SubmitButton>
      </div>
    </FormShell>
  )
}
