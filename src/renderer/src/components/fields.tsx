import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'
import { Field } from './ui'

/** What every field shows around its control: a label, a hint and the inline error (see Field). */
interface FieldFrame {
  name: string
  label: string
  error?: string
  hint?: ReactNode
}

/** The control's own attributes; Field supplies the id, the aria links and the test id (a caller may override it). */
type Attrs<A> = Omit<A, 'id' | 'name' | 'value' | 'onChange' | 'children'> & { 'data-testid'?: string }

/** A control bound to a value: `onChange` gets the new value, not the event. */
interface Bound<V> {
  value: V
  onChange: (value: V) => void
}

/** Splits a field's props into its frame (for Field) and the control's attributes. */
function frameOf<P extends FieldFrame>({ name, label, error, hint, ...control }: P) {
  return [{ name, label, error, hint }, control] as const
}

/** A labelled text input bound to a string. */
export function TextField({
  value,
  onChange,
  ...props
}: FieldFrame & Bound<string> & { ref?: Ref<HTMLInputElement> } & Attrs<InputHTMLAttributes<HTMLInputElement>>) {
  const [frame, input] = frameOf(props)
  return (
    <Field {...frame}>
      {(p) => <input {...p} value={value} onChange={(e) => onChange(e.target.value)} {...input} />}
    </Field>
  )
}

/** A labelled textarea bound to a string. */
export function TextAreaField({
  value,
  onChange,
  ...props
}: FieldFrame & Bound<string> & Attrs<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  const [frame, area] = frameOf(props)
  return (
    <Field {...frame}>
      {(p) => <textarea {...p} value={value} onChange={(e) => onChange(e.target.value)} {...area} />}
    </Field>
  )
}

/** A labelled select bound to a string: one option per entry of `options` (shown as is), or the given children. */
export function SelectField<V extends string>({
  value,
  onChange,
  options,
  children,
  ...props
}: FieldFrame &
  Bound<V> & { options?: readonly string[]; children?: ReactNode } & Attrs<SelectHTMLAttributes<HTMLSelectElement>>) {
  const [frame, select] = frameOf(props)
  return (
    <Field {...frame}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value as V)} {...select}>
          {options ? options.map((o) => <option key={o}>{o}</option>) : children}
        </select>
      )}
    </Field>
  )
}

/** One option per item: its value (also its key) and the text shown, which is the value unless `label` says. */
export function Options<I>({
  items,
  value,
  label = (i) => value(i)
}: {
  items: readonly I[]
  value: (item: I) => string | number
  label?: (item: I) => ReactNode
}) {
  return items.map((i) => (
    <option key={value(i)} value={value(i)}>
      {label(i)}
    </option>
  ))
}
