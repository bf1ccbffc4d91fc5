import { useEffect, useRef, useState, type ReactNode } from 'react'
import { create } from 'zustand'
import type { AppErrorShape } from '../../../shared/errors'
import { T } from '../testids'
import { useUiStore } from '../stores/ui.store'
import { consoleMessage } from '../lib/errors'
import { num } from '../lib/format'
import { ActionButton, useFormErrors } from './action'

/** A coded error shown where the action was taken. */
export function ErrorNote({ error, where }: { error: AppErrorShape | null | undefined; where: string }) {
  if (!error) return null
  return (
    <div className="error-note" role="alert" data-testid={T.error(where)}>
      <span className="code">{error.code}</span> {consoleMessage(error)}
    </div>
  )
}

/** A labelled form field with its inline error (aria-linked so screen readers read it). */
export function Field(props: {
  name: string
  label: string
  error?: string
  hint?: ReactNode
  children: (p: {
    id: string
    'aria-invalid': boolean
    'aria-describedby'?: string
    'data-testid': string
  }) => ReactNode
}) {
  const id = `f-${props.name}`
  const errId = `${id}-err`
  const formErrors = useFormErrors()
  const error = props.error ?? formErrors[props.name]
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': !!error,
        'aria-describedby': error ? errId : undefined,
        'data-testid': T.field(props.name)
      })}
      {props.hint && !error ? <div className="hint">{props.hint}</div> : null}
      {error ? (
        <div className="field-error" id={errId} data-testid={T.fieldError(props.name)}>
          {error}
        </div>
      ) : null}
    </div>
  )
}

/**
 * Copies inside the click's user gesture through a detached textarea. The desktop shell denies every permission
 * request, clipboard-sanitized-write included, so navigator.clipboard fails there; a copy command from a user gesture
 * needs no permission. The async Clipboard API stays as the fallback (e.g. browsers that refuse execCommand).
 */
function copyWithinGesture(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'sr-only'
  document.body.appendChild(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}

export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const toast = useUiStore((s) => s.toast)
  return (
    <button
      type="button"
      className="btn small"
      data-testid={testId}
      onClick={() => {
        if (copyWithinGesture(text)) return toast('ok', 'Copied to the clipboard')
        navigator.clipboard.writeText(text).then(
          () => toast('ok', 'Copied to the clipboard'),
          () => toast('error', 'The clipboard is not available here: select the text and copy it instead')
        )
      }}
    >
      {label}
    </button>
  )
}

export function Badge({ kind, children, testId }: { kind: string; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${kind}`} data-testid={testId}>
      {children}
    </span>
  )
}

export function Toasts() {
  const toasts = useUiStore((s) => s.toasts)
  const dismiss = useUiStore((s) => s.dismiss)
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast toast-${t.kind}`}
          data-testid={T.toast}
          role={t.kind === 'error' ? 'alert' : 'status'}
        >
          <span>{t.text}</span>
          {t.action ? (
            <ActionButton
              className="btn small"
              testId={T.undo}
              onClick={() => {
                dismiss(t.id)
                t.action?.run()
              }}
            >
              {t.action.label}
            </ActionButton>
          ) : null}
          <button type="button" className="btn small ghost" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}

/** A modal on the native <dialog>: focus trap, Esc to close and inert background come from the browser. */
export function Modal(props: {
  open: boolean
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (props.open && !d.open) {
      d.showModal()
      // showModal would focus the header's close button; the first field (or the safe choice) is more useful.
      d.querySelector<HTMLElement>(
        '[data-autofocus], .modal-body input, .modal-body textarea, .modal-body select, .modal-body button'
      )?.focus()
    }
    if (!props.open && d.open) d.close()
  }, [props.open])
  return (
    <dialog
      ref={ref}
      className={`modal${props.wide ? ' wide' : ''}`}
      aria-label={props.title}
      data-testid={props.testId}
      onClose={props.onClose}
      // A click on the backdrop (the second click of a double-click that opened the dialog, or a stray one) must not
      // take the focus away from the field the user is in.
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) e.preventDefault()
      }}
      onCancel={(e) => {
        e.preventDefault()
        props.onClose()
      }}
    >
      {props.open ? (
        <>
          <header className="modal-head">
            <h2>{props.title}</h2>
            <button type="button" className="btn small ghost" aria-label="Close" onClick={props.onClose}>
              ×
            </button>
          </header>
          <div className="modal-body">{props.children}</div>
        </>
      ) : null}
    </dialog>
  )
}

interface ConfirmRequest {
  title: string
  body: string
  item?: string
  confirmLabel: string
  danger: boolean
  /** An optional text the action takes (DIS's reason), asked in the same dialog. */
  reason?: { label: string; max: number }
  resolve: (ok: boolean, reason?: string) => void
}
const useConfirmStore = create<{ req: ConfirmRequest | null }>()(() => ({ req: null }))

type ConfirmOptions = Pick<ConfirmRequest, 'title' | 'body' | 'item'> & { confirmLabel?: string }

/** Opens the one confirmation dialog (a pending one is cancelled first). */
function ask(opts: ConfirmOptions, rest: Pick<ConfirmRequest, 'danger' | 'reason' | 'resolve'>): void {
  useConfirmStore.getState().req?.resolve(false)
  useConfirmStore.setState({
    req: { title: opts.title, body: opts.body, item: opts.item, confirmLabel: opts.confirmLabel ?? 'Confirm', ...rest }
  })
}

/**
 * Asks before a destructive action and resolves true only on an explicit confirm. `item` names what is affected
 * ("Token 'ERP_batch'"); the dialog always offers Cancel, and Esc cancels.
 */
export function confirmAction(opts: ConfirmOptions & { danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => ask(opts, { danger: opts.danger ?? true, resolve }))
}

/** confirmAction that also asks for an optional reason; resolves the (trimmed) reason, or null on Cancel. */
export function confirmWithReason(
  opts: ConfirmOptions & { reason: { label: string; max: number } }
): Promise<{ reason: string } | null> {
  return new Promise((resolve) =>
    ask(opts, {
      danger: true,
      reason: opts.reason,
      resolve: (ok, reason) => resolve(ok ? { reason: (reason ?? '').trim() } : null)
    })
  )
}

export function ConfirmHost() {
  const req = useConfirmStore((s) => s.req)
  const [reason, setReason] = useState('')
  useEffect(() => setReason(''), [req])
  const done = (ok: boolean) => {
    req?.resolve(ok, reason)
    useConfirmStore.setState({ req: null })
  }
  return (
    <Modal open={!!req} title={req?.title ?? ''} onClose={() => done(false)} testId={T.confirmDialog}>
      {req?.item ? (
        <p>
          <strong className="confirm-item" data-testid={T.confirmItem}>
            {req.item}
          </strong>
        </p>
      ) : null}
      <p>{req?.body}</p>
      {req?.reason ? (
        <div className="field">
          <label htmlFor="confirm-reason">{req.reason.label}</label>
          <input
            id="confirm-reason"
            value={reason}
            maxLength={req.reason.max}
            onChange={(e) => setReason(e.target.value)}
            autoComplete="off"
          />
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="btn" data-testid={T.confirmCancel} onClick={() => done(false)} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className={`btn ${req?.danger ? 'danger' : 'primary'}`}
          data-testid={T.confirmOk}
          onClick={() => done(true)}
        >
          {req?.confirmLabel}
        </button>
      </div>
    </Modal>
  )
}

/** Debounced value: the search box stays responsive while queries go out at most every `ms`. */
export function useDebounced<T>(value: T, ms = 200): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

export function Progress({
  done,
  total,
  testId,
  label
}: {
  done: number
  total: number | null
  testId?: string
  label: string
}) {
  const pct = total ? Math.min(100, Math.round((done / total) * 100)) : 0
  return (
    <div className="progress-wrap">
      <progress data-testid={testId} max={100} value={pct} aria-label={label} />
      <span className="muted mono">
        {num(done)}
        {total ? ` / ${num(total)} (${pct}%)` : ''}
      </span>
    </div>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>
}
