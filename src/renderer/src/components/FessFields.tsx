import { useRef, type RefObject } from 'react'
import { permissionWarning, previewPermissions } from '../../../shared/fess-permissions'

/**
 * What Fess will store and read back for each permission line, shown while the user types (contracts/fess.md
 * "Permissions encoding"): a plain `Robert` comes back as `{role}obert`, and the user sees it before saving.
 */
export function PermissionsPreview({ text, testId = 'perm-preview' }: { text: string; testId?: string }) {
  const lines = previewPermissions(text)
  if (lines.length === 0) return null
  return (
    <div data-testid={testId}>
      <table className="table compact-table">
        <caption className="sr-only">How Fess stores and reads back each permission</caption>
        <thead>
          <tr>
            <th scope="col">As written</th>
            <th scope="col">Stored</th>
            <th scope="col">Fess reads back</th>
          </tr>
        </thead>
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
export function useExpiryGuard(): { ref: RefObject<HTMLInputElement | null>; incomplete: () => string | undefined } {
  const ref = useRef<HTMLInputElement | null>(null)
  return {
    ref,
    incomplete: () => (ref.current?.validity.badInput ? 'Finish the date and time (day, month, year, hour, minutes), or clear it for no expiry' : undefined)
  }
}
