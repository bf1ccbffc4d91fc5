import { RenewExpiry } from '../../components/RenewExpiry'
import { useTokensStore } from '../../stores/tokens.store'
import { useUiStore } from '../../stores/ui.store'
import { absolute } from '../../lib/format'
import type { TokenRecord } from '../../../../shared/contract'

/** Renew: a new expiry for the token from a date/time picker or a preset, saved with SET (0 = never expires). */
export function Renew({ rec }: { rec: TokenRecord }) {
  const set = useTokensStore((s) => s.set)
  const toast = useUiStore((s) => s.toast)
  return (
    <RenewExpiry
      current={rec.expire ? rec.expire * 1000 : null}
      resetKey={rec.id}
      label="New expiry (local time)"
      where="token-renew"
      onSave={async (ms) => {
        const expire = ms === null ? 0 : Math.floor(ms / 1000)
        const r = await set({ id: rec.id, version: rec.version, expire })
        if (!r.ok) return r.error
        toast(
          'ok',
          ms === null
            ? `Token '${rec.name}' renewed: it never expires`
            : `Token '${rec.name}' renewed until ${absolute(expire * 1000)}`
        )
        return null
      }}
    />
  )
}
