import { TextAreaField } from '../../components/fields'
import { useJwtStore } from '../../stores/jwt.store'
import { T } from '../../testids'

/** The JWT the Decode and Verify tabs work on: one text in the store, so switching tabs keeps it. */
export function TokenField({ label, rows, placeholder }: { label: string; rows: number; placeholder?: string }) {
  const token = useJwtStore((s) => s.token)
  const setToken = useJwtStore((s) => s.setToken)
  return (
    <TextAreaField
      name="token"
      label={label}
      value={token}
      onChange={setToken}
      data-testid={T.jwtInput}
      rows={rows}
      spellCheck={false}
      placeholder={placeholder}
    />
  )
}
