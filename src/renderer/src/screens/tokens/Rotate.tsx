import { useState } from 'react'
import { api } from '../../api'
import { RotateDialog } from '../../components/RotateDialog'
import { useTokensStore } from '../../stores/tokens.store'
import { T } from '../../testids'
import type { TokenRecord } from '../../../../shared/contract'

/** Rotate a lifecycle token: a published copy with the same claims; the old one is taken offline and binned on retire. */
export function RotateToken({ rec }: { rec: TokenRecord }) {
  const [open, setOpen] = useState(false)
  const reload = useTokensStore((s) => s.reload)
  return (
    <>
      <button type="button" className="btn small" data-testid={T.invRotate} onClick={() => setOpen(true)}>
        Rotate…
      </button>
      <RotateDialog
        target={
          open
            ? {
                what: `token '${rec.name}'`,
                name: rec.name,
                copies: rec.origin ? 'the same claim fields, on its xdua server' : 'the same claim fields and expiry'
              }
            : null
        }
        rotate={(flags) => api.inventory.rotate({ kind: 'token', id: rec.id, ...flags })}
        onClose={() => setOpen(false)}
        onChanged={() => void reload()}
      />
    </>
  )
}
