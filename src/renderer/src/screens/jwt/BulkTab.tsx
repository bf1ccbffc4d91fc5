import { useEffect, useState } from 'react'
import { ErrorNote, Field, Progress } from '../../components/ui'
import { ActionButton, SubmitButton, FormShell } from '../../components/action'
import { DownloadLink } from '../../components/Download'
import { KeyPicker, keySourceOf, useSigningKey } from '../../components/KeyPicker'
import { useJwtStore, mintResultOf } from '../../stores/jwt.store'
import { useSystemStore } from '../../stores/system.store'
import { T } from '../../testids'
import { MintStartInput } from '../../../../shared/contract'
import { validate, type FieldErrors } from '../../lib/form'
import { fileStamp, num } from '../../lib/format'
import { ExpiryField } from './presets'
import { SelectField, TextField } from '../../components/fields'

/** minted-2026-12-07T02-45-10-123.jsonl: readable, sortable, and new on every run. */
function defaultOut(dir: string, format: 'jsonl' | 'csv'): string {
  return `${dir}/minted-${fileStamp()}.${format}`
}

export function BulkTab() {
  const { startBulk, cancelBulk, bulkJob, bulkError } = useJwtStore()
  const dataDir = useSystemStore((s) => s.status?.dataDir ?? '')
  const { key, setKey, alg, setAlg, possible, weak } = useSigningKey()
  const [count, setCount] = useState('1000')
  const [format, setFormat] = useState<'jsonl' | 'csv'>('jsonl')
  const [out, setOut] = useState('')
  // A fresh default file name for each run, unless the user typed one.
  const [outEdited, setOutEdited] = useState(false)
  const [overwrite, setOverwrite] = useState(false)
  const [allowWeak, setAllowWeak] = useState(false)
  const [expiry, setExpiry] = useState('1h')
  const [sub, setSub] = useState('load-test')
  const [errors, setErrors] = useState<FieldErrors>({})
  const running = bulkJob?.state === 'running'
  const finishedId = bulkJob && bulkJob.state !== 'running' ? bulkJob.id : null
  useEffect(() => {
    if (dataDir && !outEdited) setOut(defaultOut(dataDir, format))
  }, [dataDir, format, outEdited, finishedId])
  const result = mintResultOf(bulkJob)

  const submit = () => {
    const source = keySourceOf(key)
    const draft = {
      count: Number(count),
      out,
      format,
      overwrite,
      sign: {
        alg,
        key: source ?? undefined,
        ...(expiry ? { expiresIn: expiry } : {}),
        ...(sub ? { sub } : {}),
        ...(allowWeak ? { allowWeakKey: true } : {})
      }
    }
    const v = validate(MintStartInput, draft)
    const errs: FieldErrors = v.ok ? {} : { ...v.errors }
    if (!source) errs.key = 'Choose a key that can sign'
    if (errs.sign && source) errs.sign = 'Check the algorithm and expiry'
    setErrors(errs)
    if (!v.ok || Object.keys(errs).length) return
    return startBulk(v.data)
  }
  return (
    <FormShell className="two-col" errors={errors} onSubmit={() => submit()}>
      <div>
        <KeyPicker id="bulk" value={key} onChange={setKey} needPrivate error={errors.key} />
        <div className="row">
          <TextField name="count" label="How many" value={count} onChange={setCount} inputMode="numeric" size={10} />
          <SelectField name="alg" label="Algorithm" value={alg} onChange={setAlg} options={possible} />
          <ExpiryField value={expiry} onChange={setExpiry} />
          <TextField name="sub" label="sub" value={sub} onChange={setSub} />
          <SelectField name="format" label="Format" value={format} onChange={setFormat}>
            <option value="jsonl">JSON lines</option>
            <option value="csv">CSV</option>
          </SelectField>
        </div>
        <Field name="out" label="Output file (on the machine running TokenDesk)">
          {(p) => (
            <input
              {...p}
              data-testid={T.jwtBulkFile}
              className="mono"
              value={out}
              onChange={(e) => {
                setOutEdited(true)
                setOut(e.target.value)
              }}
            />
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace the
          file if it exists
        </label>
        {weak || bulkError?.code === 'JWT_WEAK_KEY' ? (
          <div className="warning-note" data-testid={T.jwtWarning}>
            {weak ?? 'The key is shorter than the algorithm needs (RFC 7518 §3.2).'}
            <label className="check">
              <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} /> Allow the
              weak key (tests only)
            </label>
          </div>
        ) : null}
        {errors.sign ? <div className="field-error">{errors.sign}</div> : null}
        <div className="actions left">
          <SubmitButton className="btn primary" data-testid={T.jwtBulkStart} disabled={running}>
            Mint
          </SubmitButton>
          <ActionButton className="btn" data-testid={T.jwtBulkCancel} disabled={!running} onClick={() => cancelBulk()}>
            Cancel
          </ActionButton>
        </div>
      </div>
      <div aria-live="polite">
        {bulkJob ? (
          <>
            <Progress done={bulkJob.done} total={bulkJob.total} testId={T.jwtBulkProgress} label="Bulk mint progress" />
            <p data-testid={T.jwtBulkStatus} data-state={bulkJob.state}>
              {bulkJob.state === 'running'
                ? 'Minting…'
                : bulkJob.state === 'done'
                  ? result?.cancelled
                    ? `Cancelled: ${num(result.written)} whole lines kept in ${result.out}`
                    : `Done: ${num(result?.written ?? bulkJob.done)} tokens written to ${result?.out ?? out}`
                  : bulkJob.state === 'cancelled'
                    ? 'Cancelled'
                    : 'Failed'}
            </p>
            <DownloadLink job={bulkJob} file={result?.out} />
          </>
        ) : null}
        <ErrorNote error={bulkError} where="jwt-bulk" />
      </div>
    </FormShell>
  )
}
