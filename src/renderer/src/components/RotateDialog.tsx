import { useEffect, useRef, useState } from 'react'
import type { RotateResult, RotateStep } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { ActionButton } from './action'
import { Reveal } from './Reveal'
import { Time } from './Time'
import { ErrorNote, Modal, confirmAction } from './ui'

const STEP_LABEL: Record<RotateStep, string> = {
  'read-old': 'Read the old token',
  'create-new': 'Create the replacement',
  'copy-fields': 'Copy its remaining fields',
  'publish-new': 'Publish the replacement',
  'keep-secret': 'Keep the new secret in the keychain',
  'write-config': 'Write the configuration with the new secret',
  verify: 'Verify a test token with the new secret',
  'offline-old': 'Take the old token offline',
  'delete-old': 'Delete the old token'
}

export interface RotateTargetInfo {
  /** What is rotated, for the title and the confirmation: "Fess token 'crawler'". */
  what: string
  name: string
  /** One line on what the replacement copies. */
  copies: string
  /** The old credential stops working at once (a Datafor secret): nothing is kept to retire later. */
  immediate?: boolean
}

/**
 * Rotate as one guided operation: create the replacement (its value shown once, Reveal + Copy), then "Retire old" on a
 * confirmation naming the token. A step that fails leaves both tokens working and offers Resume from that step.
 */
export function RotateDialog(props: {
  target: RotateTargetInfo | null
  rotate: (flags: { retireOld?: boolean; resume?: boolean }) => Promise<Result<RotateResult>>
  onClose: () => void
  /** After each call that changed something (reload the lists). */
  onChanged?: () => void
}) {
  const [result, setResult] = useState<RotateResult | null>(null)
  const [error, setError] = useState<AppErrorShape | null>(null)
  // The new value exists only in this dialog: dropped when it closes or the shell locks.
  const value = useRef<string | null>(null)
  const [hasValue, setHasValue] = useState(false)
  const lockEpoch = useUiStore((s) => s.lockEpoch)
  const toast = useUiStore((s) => s.toast)
  const open = !!props.target
  useEffect(() => {
    value.current = null
    setHasValue(false)
    setResult(null)
    setError(null)
  }, [open, props.target?.name])
  useEffect(() => {
    value.current = null
    setHasValue(false)
  }, [lockEpoch])

  const run = async (flags: { retireOld?: boolean; resume?: boolean }) => {
    setError(null)
    const r = await props.rotate(flags)
    props.onChanged?.()
    if (!r.ok) return setError(r.error)
    if (r.value.token) {
      value.current = r.value.token
      setHasValue(true)
    }
    setResult(r.value)
    if (r.value.failed)
      setError({ code: r.value.failed.code, message: `${STEP_LABEL[r.value.failed.step]}: ${r.value.failed.message}` })
    else if (r.value.retired && flags.retireOld) toast('ok', `${props.target?.what} retired; the replacement is in use`)
  }
  const retire = async () => {
    const t = props.target
    if (!t) return
    const ok = await confirmAction({
      title: `Retire the old ${t.what}?`,
      item: t.name,
      body: 'Consumers still using the old token stop working. Make sure they use the replacement first.',
      confirmLabel: 'Retire old'
    })
    if (ok) await run({ retireOld: true, resume: true })
  }
  const t = props.target
  const done = result && !result.failed
  return (
    <Modal open={open} title={t ? `Rotate ${t.what}` : 'Rotate'} onClose={props.onClose} testId={T.rotateDialog} wide>
      {t ? (
        <>
          <p>
            Creates a replacement for <strong>{t.name}</strong> ({t.copies}).{' '}
            {t.immediate
              ? 'Tokens signed with the old secret stop working as soon as the new one is written.'
              : 'The old token keeps working until you retire it.'}
          </p>
          {result ? (
            <ol className="rotate-steps" data-testid={T.rotateSteps} aria-label="Steps">
              {result.steps.map((s) => (
                <li key={s.step} className={`step-${s.state}`}>
                  <span aria-hidden="true">{s.state === 'done' ? '✓' : s.state === 'skipped' ? '–' : '○'}</span>{' '}
                  {STEP_LABEL[s.step]}{' '}
                  <span className="muted">{s.state === 'done' ? <Time value={s.at} /> : s.state}</span>
                </li>
              ))}
            </ol>
          ) : null}
          {hasValue ? (
            <div className="card">
              <strong>New token value (shown once: copy it now)</strong>
              <div className="row">
                <Reveal
                  masked="••••••••••••"
                  label={`the new value of ${t.name}`}
                  resetKey={result?.rotationId}
                  testId={T.rotateValue}
                  load={async () => ({ ok: true, value: value.current })}
                />
              </div>
            </div>
          ) : null}
          {result?.publicKey ? (
            <p>
              The server now holds the new public key{' '}
              <span className="mono ellipsis">{result.publicKey.slice(0, 32)}…</span>
            </p>
          ) : null}
          {result?.notes.map((n) => (
            <p key={n} className="warning-note">
              {n}
            </p>
          ))}
          <ErrorNote error={error} where="rotate" />
          {result?.retired ? (
            <p className="ok">{t.immediate ? 'The new secret is in use.' : 'The old token is retired.'}</p>
          ) : null}
          <div className="actions">
            <button type="button" className="btn" onClick={props.onClose}>
              Close
            </button>
            {!result ? (
              <ActionButton className="btn primary" testId={T.rotateStart} onClick={() => run({})}>
                Rotate
              </ActionButton>
            ) : result.failed && result.resumeFrom ? (
              <ActionButton className="btn primary" onClick={() => run({ resume: true })}>
                Resume from “{STEP_LABEL[result.resumeFrom]}”
              </ActionButton>
            ) : done && !result.retired ? (
              <ActionButton className="btn danger" testId={T.rotateRetire} onClick={() => retire()}>
                Retire old
              </ActionButton>
            ) : null}
          </div>
        </>
      ) : null}
    </Modal>
  )
}
