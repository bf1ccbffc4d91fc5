import { CopyButton } from '../../components/ui'
import { useJwtStore } from '../../stores/jwt.store'
import { useUiStore } from '../../stores/ui.store'

/** A token just made: copy it, or open it on the JWT screen's Decode tab (`label` names that for the screen). */
export function TokenActions({ token, label }: { token: string; label: string }) {
  const setToken = useJwtStore((s) => s.setToken)
  const setTab = useJwtStore((s) => s.setTab)
  const go = useUiStore((s) => s.go)
  return (
    <div className="actions left">
      <CopyButton text={token} />
      <button
        type="button"
        className="btn small"
        onClick={() => {
          setToken(token)
          setTab('decode')
          go('jwt')
        }}
      >
        {label}
      </button>
    </div>
  )
}
