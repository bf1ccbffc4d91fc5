import { useEffect, useState } from 'react'
import { ErrorNote, Field } from '../../components/ui'
import { SubmitButton, FormShell } from '../../components/action'
import { useTokensStore } from '../../stores/tokens.store'
import { useKeysStore, algorithmsFor } from '../../stores/keys.store'
import { useUiStore } from '../../stores/ui.store'
import { SigningKeyOptions } from '../../components/KeyPicker'
import { T } from '../../testids'
import { SIGN_ALGS, TokenAddInput, TokenSetInput, type TokenRecord } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { compact, type FieldErrors, sendForm } from '../../lib/form'
import { SelectField, TextField, Options } from '../../components/fields'

const ADD_FIELDS: { name: string; label: string; hint?: string; def?: string }[] = [
  { name: 'name', label: 'Name', hint: '4–32: letters, digits, CJK, _ ; starts with a letter' },
  { name: 'brief', label: 'Brief', hint: '≤ 64 characters' },
  { name: 'avatar', label: 'Avatar', hint: '≤ 40 characters' },
  { name: 'typ', label: 'typ', def: 'L', hint: 'L = login token' },
  { name: 'aud', label: 'aud (app id)' },
  { name: 'sap', label: 'sap (service app)', def: '*' },
  { name: 'jti', label: 'jti', hint: '≤ 8 letters or digits' },
  { name: 'ipm', label: 'ipm (IP allow-list)', def: '*' },
  { name: 'dvm', label: 'dvm (device allow-list)', def: '*' },
  { name: 'tag', label: 'tag', def: 'default' },
  { name: 'api', label: 'api', def: '*' },
  { name: 'bug', label: 'bug', def: '0' },
  { name: 'shop', label: 'shop', def: 'default' },
  { name: 'role', label: 'role', def: '*' },
  { name: 'rule', label: 'rule', def: '*' }
]
const EXPIRES_IN: { label: string; seconds: number }[] = [
  { label: 'never', seconds: 0 },
  { label: '1 day', seconds: 86400 },
  { label: '7 days', seconds: 7 * 86400 },
  { label: '30 days', seconds: 30 * 86400 },
  { label: '1 year', seconds: 365 * 86400 }
]

export function TokenForm({ record, onDone }: { record: TokenRecord | null; onDone: () => void }) {
  const { add, set } = useTokensStore()
  const keys = useKeysStore((s) => s.items)
  const loadKeys = useKeysStore((s) => s.load)
  const toast = useUiStore((s) => s.toast)
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      ADD_FIELDS.map((f) => [
        f.name,
        record ? String((record as unknown as Record<string, unknown>)[f.name] ?? '') : (f.def ?? '')
      ])
    )
  )
  const [keyName, setKeyName] = useState(record?.keyName ?? '')
  const [alg, setAlg] = useState(record?.alg ?? '')
  const [expiresIn, setExpiresIn] = useState(0)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void loadKeys()
  }, [loadKeys])
  const editable = record ? ['name', 'brief', 'avatar'] : ADD_FIELDS.map((f) => f.name)

  const submit = async () => {
    setError(null)
    if (record) {
      const draft = {
        id: record.id,
        version: record.version,
        ...(values.name !== record.name ? { name: values.name } : {}),
        ...(values.brief !== record.brief ? { brief: values.brief } : {}),
        ...(values.avatar !== record.avatar ? { avatar: values.avatar } : {}),
        ...(keyName !== (record.keyName ?? '') ? { keyName: keyName || null } : {}),
        ...(alg !== (record.alg ?? '') ? { alg: alg || null } : {})
      }
      const done = await sendForm(TokenSetInput, draft, set, { setErrors, setError, setBusy })
      if (!done) return
      toast('ok', `SET ${record.id}: ${Object.keys(done.updates).join(', ') || 'nothing changed'}`)
      return onDone()
    }
    const draft = {
      ...compact(values),
      brief: values.brief,
      avatar: values.avatar,
      ...(keyName ? { keyName } : {}),
      ...(alg ? { alg } : {}),
      ...(expiresIn ? { expiresIn } : {})
    }
    const added = await sendForm(TokenAddInput, draft, add, { setErrors, setError, setBusy })
    if (!added) return
    toast('ok', `ADD: token ${added.record.id} (${added.record.name}) created`)
    onDone()
  }
  const selectedKey = keys.find((k) => k.name === keyName)
  // Only what the chosen key can make, as on the Sign tab; the store refuses a mismatch too.
  const algChoices = selectedKey ? SIGN_ALGS.filter((a) => algorithmsFor(selectedKey).includes(a)) : SIGN_ALGS
  useEffect(() => {
    if (alg && selectedKey && !algorithmsFor(selectedKey).includes(alg)) setAlg('')
  }, [alg, selectedKey])
  return (
    <FormShell errors={errors} data-testid={T.tokenForm} onSubmit={() => submit()}>
      <div className="form-grid">
        {ADD_FIELDS.filter((f) => editable.includes(f.name)).map((f) => (
          <TextField
            key={f.name}
            name={f.name}
            label={f.label}
            hint={f.hint}
            value={values[f.name]}
            onChange={(v) => setValues({ ...values, [f.name]: v })}
            autoComplete="off"
          />
        ))}
        <SelectField name="keyName" label="Signing key" value={keyName} onChange={setKeyName}>
          <SigningKeyOptions keys={keys} />
        </SelectField>
        <SelectField name="alg" label="Algorithm" value={alg} onChange={setAlg}>
          <option value="">{selectedKey ? `key's (${selectedKey.alg})` : 'none'}</option>
          {algChoices.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </SelectField>
        {!record ? (
          <Field name="expiresIn" label="Expires">
            {(p) => (
              <select {...p} value={expiresIn} onChange={(e) => setExpiresIn(Number(e.target.value))}>
                <Options items={EXPIRES_IN} value={(x) => x.seconds} label={(x) => x.label} />
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <ErrorNote error={error} where="token-form" />
      <div className="actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <SubmitButton className="btn primary" disabled={busy} data-testid={T.tokenFormSubmit}>
          {record ? 'Save (SET)' : 'Create (ADD)'}
        </SubmitButton>
      </div>
    </FormShell>
  )
}
