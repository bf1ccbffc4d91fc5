import type { z } from 'zod'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { fieldNeeds } from './errors'

export type FieldErrors = Record<string, string>

/**
 * Validates a form's value with the SAME zod schema the contract uses for the channel, and maps the issues to the
 * fields they name (first message per field). The form sends nothing while this returns errors.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(value)
  if (r.success) return { ok: true, data: r.data }
  const errors: FieldErrors = {}
  for (const issue of r.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_'
    errors[key] ??= fieldNeeds(issue.message)
  }
  return { ok: false, errors }
}

/** Server-side VALIDATION errors name their field in details.path: show them beside that field too. */
export function serverFieldError(e: { code: string; message: string; details?: Record<string, unknown> }): FieldErrors {
  if (e.code !== 'VALIDATION') return {}
  const path = typeof e.details?.path === 'string' ? e.details.path.split('.')[0] : '_'
  const msg = e.message.replace(/^[^:]+:\s*/, '')
  return { [path]: fieldNeeds(msg) }
}

/** Empty strings from inputs become undefined so optional schema fields stay optional. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (v !== '' && v !== undefined && v !== null) out[k] = v
  return out as Partial<T>
}

/** The value and onChange of field `key` of a form kept as one state object, for a TextField or SelectField. */
export function bindField<S, K extends keyof S>(state: S, put: (patch: Partial<S>) => void, key: K) {
  const onChange = (value: S[K]) => {
    const patch: Partial<S> = {}
    patch[key] = value
    put(patch)
  }
  return { value: state[key], onChange }
}

/** Where a form shows the outcome of a send: field errors, the refusal, and optionally its own busy flag. */
export interface FormOutcome {
  setErrors: (errors: FieldErrors) => void
  setError: (error: AppErrorShape | null) => void
  setBusy?: (busy: boolean) => void
}

/**
 * Validates a form's draft with its channel's schema and sends it: field errors stop it before anything is sent; a
 * refusal is shown, and beside its field for VALIDATION. Resolves to the answer, or undefined when nothing was saved.
 */
export async function sendForm<S extends z.ZodType, T>(
  schema: S,
  draft: unknown,
  send: (data: z.output<S>) => Promise<Result<T>>,
  show: FormOutcome
): Promise<T | undefined> {
  const v = validate(schema, draft)
  if (!v.ok) {
    show.setErrors(v.errors)
    return undefined
  }
  show.setErrors({})
  show.setBusy?.(true)
  const r = await send(v.data)
  show.setBusy?.(false)
  if (r.ok) return r.value
  show.setError(r.error)
  show.setErrors(serverFieldError(r.error))
  return undefined
}

/**
 * Sends a record form's draft (see sendForm): a new record through add, an edit through update with the record's id
 * and version. Resolves to what the channel answers, or undefined when nothing was saved.
 */
export function saveRecord<A extends z.ZodType, U extends z.ZodType, T>(
  record: { id: string; version: number } | null,
  draft: object,
  schemas: { add: A; update: U },
  calls: { add(data: z.output<A>): Promise<Result<T>>; update(data: z.output<U>): Promise<Result<T>> },
  show: FormOutcome
): Promise<T | undefined> {
  return record
    ? sendForm(schemas.update, { id: record.id, version: record.version, ...draft }, calls.update, show)
    : sendForm(schemas.add, draft, calls.add, show)
}
