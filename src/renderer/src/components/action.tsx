import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type FormHTMLAttributes,
  type ReactNode
} from 'react'
import type { FieldErrors } from '../lib/form'

/**
 * The one in-flight mechanism: a button or form whose handler returns a promise is disabled (and aria-busy) until that
 * promise settles, so a double click cannot send the request twice. Screens never track "busy" for this by hand.
 */
function useInFlight(): [boolean, <T>(work: () => T) => T | undefined] {
  const [pending, setPending] = useState(false)
  const running = useRef(false)
  const alive = useRef(true)
  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
    }
  }, [])
  const run = useCallback(<T,>(work: () => T): T | undefined => {
    // A ref, not state: a second event in the same frame sees it before React re-renders.
    if (running.current) return undefined
    const out = work()
    if (out && typeof (out as { then?: unknown }).then === 'function') {
      running.current = true
      setPending(true)
      const settle = () => {
        running.current = false
        if (alive.current) setPending(false)
      }
      ;(out as unknown as Promise<unknown>).then(settle, settle)
    }
    return out
  }, [])
  return [pending, run]
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick'> & {
  /** May return a promise: the button stays disabled and busy until it settles. */
  onClick?: (e: React.MouseEvent<HTMLButtonElement>) => unknown
  /** Extra busy state owned by the caller (e.g. a long job running elsewhere). */
  busy?: boolean
  testId?: string
}

export function ActionButton({
  onClick,
  busy,
  disabled,
  testId,
  className = 'btn',
  type = 'button',
  children,
  ...rest
}: ButtonProps) {
  const [pending, run] = useInFlight()
  const form = useContext(FormContext)
  const inFlight = pending || !!busy || (type === 'submit' && !!form?.pending)
  return (
    <button
      {...rest}
      type={type}
      className={className}
      {...(testId ? { 'data-testid': testId } : {})}
      disabled={disabled || inFlight}
      aria-busy={inFlight || undefined}
      onClick={onClick ? (e) => void run(() => onClick(e)) : undefined}
    >
      {children}
    </button>
  )
}

/** The submit button of a FormShell: disabled and busy while the form's submit is in flight. */
export function SubmitButton(props: Omit<ButtonProps, 'type' | 'onClick'>) {
  return <ActionButton className="btn primary" {...props} type="submit" />
}

interface FormState {
  pending: boolean
  errors: FieldErrors
}
const FormContext = createContext<FormState | null>(null)

/** Field errors of the enclosing FormShell (Field reads its own by name). */
export function useFormErrors(): FieldErrors {
  return useContext(FormContext)?.errors ?? {}
}

/**
 * A form with in-flight state and field errors: submit runs once at a time (a second submit while the first is in
 * flight is ignored), its SubmitButton is disabled meanwhile, and each Field inside shows `errors[name]`.
 */
export function FormShell({
  onSubmit,
  errors,
  children,
  ...rest
}: Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'> & {
  onSubmit: (e: React.FormEvent<HTMLFormElement>) => unknown
  errors?: FieldErrors
  children: ReactNode
}) {
  const [pending, run] = useInFlight()
  return (
    <FormContext.Provider value={{ pending, errors: errors ?? {} }}>
      <form
        noValidate
        {...rest}
        aria-busy={pending || undefined}
        onSubmit={(e) => {
          e.preventDefault()
          void run(() => onSubmit(e))
        }}
      >
        {children}
      </form>
    </FormContext.Provider>
  )
}

/** A form's button row: an optional Cancel, then the primary submit (one look for every form's actions). */
export function FormActions({
  label,
  testId,
  onCancel,
  left,
  disabled
}: {
  label: ReactNode
  testId?: string
  onCancel?: () => void
  left?: boolean
  disabled?: boolean
}) {
  return (
    <div className={left ? 'actions left' : 'actions'}>
      {onCancel ? (
        <button type="button" className="btn" onClick={() => onCancel()}>
          Cancel
        </button>
      ) : null}
      <SubmitButton className="btn primary" testId={testId} disabled={disabled}>
        {label}
      </SubmitButton>
    </div>
  )
}
