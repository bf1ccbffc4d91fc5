import { useState } from 'react'
import { ErrorNote, Modal, Progress } from '../../components/ui'
import { ActionButton, FormShell, SubmitButton } from '../../components/action'
import { api, transport, waitForJob } from '../../api'
import { DownloadLink } from '../../components/Download'
import { useTokensStore } from '../../stores/tokens.store'
import { useUiStore } from '../../stores/ui.store'
import { num } from '../../lib/format'
import type { JobInfo, TokenExportResult } from '../../../../shared/contract'
import type { AppErrorShape, Result } from '../../../../shared/errors'
import { TextField } from '../../components/fields'

/** Runs a store job to its end with a progress bar; the list and counts refresh afterwards. */
function useJob() {
  const [job, setJob] = useState<JobInfo | null>(null)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const run = async (start: () => Promise<Result<{ jobId: string }>>): Promise<JobInfo | null> => {
    setError(null)
    const r = await start()
    if (!r.ok) {
      setError(r.error)
      return null
    }
    const end = await waitForJob(r.value.jobId, setJob)
    const s = useTokensStore.getState()
    await Promise.all([s.reload(), s.loadCounts()])
    if (!end.ok) {
      setError(end.error)
      return null
    }
    if (end.value.state === 'failed') setError(end.value.error ?? { code: 'INTERNAL', message: 'The job failed' })
    return end.value
  }
  return { job, error, run }
}

/**
 * Export (JSON lines or CSV) and Import (JSON lines) of the store, to and from a file on the machine TokenDesk runs
 * on; in the web mode a finished export stays open with a link to download the file.
 */
export function StoreIO({ mode, onClose }: { mode: 'export' | 'import' | null; onClose: () => void }) {
  const toast = useUiStore((s) => s.toast)
  const [file, setFile] = useState('')
  const [format, setFormat] = useState<'jsonl' | 'csv'>('jsonl')
  const [overwrite, setOverwrite] = useState(false)
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [exported, setExported] = useState<JobInfo | null>(null)
  const { job, error, run } = useJob()
  const close = () => {
    setExported(null)
    onClose()
  }
  const submit = async () => {
    if (!file.trim()) return setFieldError('Enter the path of a file on the machine TokenDesk runs on.')
    setFieldError(undefined)
    setExported(null)
    const end = await run(() =>
      mode === 'export'
        ? api.tokens.export({ file: file.trim(), overwrite, format })
        : api.tokens.import({ file: file.trim() })
    )
    if (end?.state === 'done') {
      toast(
        'ok',
        mode === 'export'
          ? `Exported ${num(end.done)} records to ${file.trim()}`
          : `Imported ${num(end.done)} records from ${file.trim()}`
      )
      if (mode === 'export' && transport === 'rpc') setExported(end)
      else close()
    }
  }
  const exportedFile = (exported?.result as TokenExportResult | undefined)?.file
  return (
    <Modal open={mode !== null} title={mode === 'export' ? 'Export the store' : 'Import JSON lines'} onClose={close}>
      <FormShell onSubmit={() => submit()} aria-label={mode === 'export' ? 'Export' : 'Import'}>
        <TextField
          name="ioFile"
          label="File path (on the machine TokenDesk runs on)"
          error={fieldError}
          hint={mode === 'export' ? 'Secrets are never exported.' : 'Rows are committed in batches.'}
          value={file}
          onChange={setFile}
          placeholder="/home/me/tokens.jsonl"
          autoComplete="off"
        />
        {mode === 'export' ? (
          <>
            <fieldset className="inline-choice">
              <legend>Format</legend>
              <label className="check">
                <input type="radio" name="ioFormat" checked={format === 'jsonl'} onChange={() => setFormat('jsonl')} />{' '}
                JSON lines (the whole store, re-importable)
              </label>{' '}
              <label className="check">
                <input type="radio" name="ioFormat" checked={format === 'csv'} onChange={() => setFormat('csv')} /> CSV
                (lifecycle tokens, for spreadsheets)
              </label>
            </fieldset>
            <label className="check">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Overwrite
              the file if it exists
            </label>
          </>
        ) : null}
        {job ? <Progress done={job.done} total={job.total} label={`${mode} progress`} /> : null}
        <ErrorNote error={error} where="store-io" />
        <DownloadLink job={exported} file={exportedFile} />
        <div className="actions">
          <button type="button" className="btn" onClick={close}>
            {exported ? 'Close' : 'Cancel'}
          </button>
          <SubmitButton>{mode === 'export' ? 'Export' : 'Import'}</SubmitButton>
        </div>
      </FormShell>
    </Modal>
  )
}

/** What an empty store shows instead of bare table headers: the first steps, each one click away. */
export function GettingStarted({ onImport }: { onImport: () => void }) {
  const go = useUiStore((s) => s.go)
  const toast = useUiStore((s) => s.toast)
  const { job, error, run } = useJob()
  const seed = async () => {
    const end = await run(() => api.tokens.seed({ count: 500 }))
    if (end?.state === 'done') toast('ok', `${num(end.done)} demo tokens made`)
  }
  return (
    <section className="card getting-started" aria-labelledby="gs-h">
      <h2 id="gs-h">Your store is empty: get started</h2>
      <ul>
        <li>
          <ActionButton className="btn primary" onClick={() => seed()}>
            Seed demo data
          </ActionButton>{' '}
          <span className="muted">500 realistic tokens to try every screen on.</span>
        </li>
        <li>
          <button type="button" className="btn" onClick={onImport}>
            Import…
          </button>{' '}
          <span className="muted">tokens from a JSON lines export.</span>
        </li>
        <li>
          <button type="button" className="btn" onClick={() => go('connections')}>
            Add a connection
          </button>{' '}
          <span className="muted">to a Fess, Datafor or xdua server.</span>
        </li>
        <li>
          <button type="button" className="btn" onClick={() => go('jwt')}>
            Open the JWT workbench
          </button>{' '}
          <span className="muted">to decode, verify and sign tokens.</span>
        </li>
      </ul>
      {job ? <Progress done={job.done} total={job.total} label="Seeding progress" /> : null}
      <ErrorNote error={error} where="getting-started" />
    </section>
  )
}
