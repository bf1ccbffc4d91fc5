import type { ReactNode } from 'react'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { useReveal, REVEAL_MS } from '../lib/reveal'
import { ActionButton } from './action'
import { CopyButton } from './ui'

/**
 * One way to show a secret on request, local or remote: masked until Reveal, then the value with Copy and Hide, and
 * hidden again after REVEAL_MS. In a table (`compact`) the value stays on one line, ellipsized, so the row keeps its
 * shape; Copy always copies the whole value.
 */
export function Reveal(props: {
  /** What a reader sees while hidden (a mask or a hint such as "…x9Qa"). */
  masked: ReactNode
  /** Fetches the value (audited by the channel); a failure goes to onError. */
  load: () => Promise<Result<string | null>>
  /** The item's name, for the buttons' accessible names ("Reveal crawler-bot"). */
  label: string
  resetKey: unknown
  compact?: boolean
  disabled?: boolean
  testId?: string
  revealTestId?: string
  onError?: (e: AppErrorShape | null) => void
}) {
  const secret = useReveal<string>(props.resetKey)
  const reveal = async () => {
    const r = await props.load()
    props.onError?.(r.ok ? null : r.error)
    if (r.ok && r.value !== null) secret.show(r.value)
  }
  return (
    <span className={`reveal${props.compact ? ' compact' : ''}`}>
      <span
        className={`secret${props.compact ? ' ellipsis' : ''}`}
        data-testid={props.testId}
        title={props.compact && secret.value ? secret.value : undefined}
      >
        {secret.value ?? props.masked}
      </span>
      {secret.value ? (
        <>
          <CopyButton text={secret.value} />
          <button type="button" className="btn small" onClick={secret.hide} aria-label={`Hide ${props.label}`}>
            Hide
          </button>
          {props.compact ? null : (
            <span className="muted reveal-note">
              Hidden again in {REVEAL_MS / 1000} s. The reveal is in the audit log.
            </span>
          )}
        </>
      ) : (
        <ActionButton
          className="btn small"
          data-testid={props.revealTestId}
          onClick={() => reveal()}
          disabled={props.disabled}
          aria-label={`Reveal ${props.label}`}
        >
          Reveal
        </ActionButton>
      )}
    </span>
  )
}
