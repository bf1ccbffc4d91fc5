import { useRef, useState, type RefObject } from 'react'
import { permissionWarning, fessPermissionLines } from '../../../shared/fess-permissions'
import type { PermissionLine } from '../../../shared/contract'
import { TableHead } from './TableHead'
import { TextAreaField, TextField } from './fields'

/** Each permission as written, as Fess stores it, and as Fess reads it back (a changed read-back is marked). */
export function PermissionTable({
  lines,
  className = 'table',
  caption
}: {
  lines: PermissionLine[]
  className?: string
  caption?: string
}) {
  return (
    <table className={className}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <TableHead columns={['As written', 'Stored', 'Fess reads back']} />
      <tbody>
        {lines.map((p) => (
          <tr key={p.encoded}>
            <td className="mono">{p.line}</td>
            <td className="mono">{p.encoded}</td>
            <td className={`mono${p.readBack !== p.line ? ' warn' : ''}`}>{p.readBack}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * What Fess will store and read back for each permission line, shown while the user types (contracts/fess.md
 * "Permissions encoding"): a plain `Robert` comes back as `{role}obert`, and the user sees it before saving.
 */
function PermissionsPreview({ text, testId = 'perm-preview' }: { text: string; testId?: string }) {
  const lines = fessPermissionLines(text)
  if (lines.length === 0) return null
  return (
    <div data-testid={testId}>
      <PermissionTable
        lines={lines}
        className="table compact-table"
        caption="How Fess stores and reads back each permission"
      />
      {lines.map((p) => {
        const w = permissionWarning(p)
        return w ? (
          <div key={p.encoded} className="warning-note" role="status">
            {w}
          </div>
        ) : null
      })}
    </div>
  )
}

/**
 * A datetime-local input reports '' both when empty and when half typed; the browser's badInput tells them apart, so
 * a half-typed expiry is refused instead of being saved as "never".
 */
function useExpiryGuard(): { ref: RefObject<HTMLInputElement | null>; incomplete: () => string | undefined } {
  const ref = useRef<HTMLInputElement | null>(null)
  return {
    ref,
    incomplete: () =>
      ref.current?.validity.badInput
        ? 'Finish the date and time (day, month, year, hour, minutes), or clear it for no expiry'
        : undefined
  }
}

/** <input type="datetime-local"> gives yyyy-MM-ddTHH:mm (no seconds); Fess wants yyyy-MM-ddTHH:mm:ss. Empty: null. */
export function toFessTime(v: string): string | null {
  if (!v) return null
  return v.length === 16 ? `${v}:00` : v
}

/** The fields of a Fess access token as a form edits them (the local store's and a Fess server's alike). */
export function useFessTokenDraft(
  init: { name: string; permissions: string[]; parameterName: string | null; expires: string | null } | null
) {
  const [name, setName] = useState(init?.name ?? '')
  const [permissions, setPermissions] = useState((init?.permissions ?? ['{role}admin-api']).join('\n'))
  const [parameterName, setParameterName] = useState(init?.parameterName ?? '')
  const [expires, setExpires] = useState(init?.expires ?? '')
  const expiry = useExpiryGuard()
  return {
    name,
    setName,
    permissions,
    setPermissions,
    parameterName,
    setParameterName,
    expires,
    setExpires,
    expiry,
    /** The permission lines, trimmed, blank ones dropped. */
    lines: () =>
      permissions
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
  }
}

/** Name, permissions (with what Fess will make of them), parameter name and expiry of a Fess access token; their
 * errors come from the enclosing FormShell. */
export function FessTokenFields({
  draft,
  rows = 4,
  hint
}: {
  draft: ReturnType<typeof useFessTokenDraft>
  rows?: number
  hint?: string
}) {
  return (
    <>
      <TextField name="name" label="Name" value={draft.name} onChange={draft.setName} autoComplete="off" />
      <TextAreaField
        name="permissions"
        label="Permissions (one per line)"
        hint={hint}
        value={draft.permissions}
        onChange={draft.setPermissions}
        rows={rows}
      />
      <PermissionsPreview text={draft.permissions} />
      <div className="row">
        <TextField
          name="parameterName"
          label="Parameter name"
          value={draft.parameterName}
          onChange={draft.setParameterName}
        />
        <TextField
          name="expires"
          label="Expires (server time)"
          value={draft.expires}
          onChange={draft.setExpires}
          ref={draft.expiry.ref}
          type="datetime-local"
          step={1}
        />
      </div>
    </>
  )
}
