import { useEffect, useState } from 'react'
import { useDebounced } from '../../components/ui'
import { useInventoryStore, type InventoryFilterState } from '../../stores/inventory.store'
import { INVENTORY_KINDS, type InventoryKind } from '../../../../shared/contract'
import { T } from '../../testids'
import { KIND_LABEL } from './common'
import { Options } from '../../components/fields'

/** Server, kind, "expiring within N days", expired, never expires, has findings; each change reloads the list. */
export function InventoryFilters() {
  const filter = useInventoryStore((s) => s.filter)
  const servers = useInventoryStore((s) => s.servers)
  const setFilter = useInventoryStore((s) => s.setFilter)
  const [within, setWithin] = useState(filter.within)
  const debounced = useDebounced(within, 300)
  useEffect(() => setWithin(filter.within), [filter.within])
  useEffect(() => {
    if (debounced !== useInventoryStore.getState().filter.within && /^\d{0,5}$/.test(debounced))
      setFilter({ within: debounced })
  }, [debounced, setFilter])
  const check = (k: keyof Pick<InventoryFilterState, 'expired' | 'neverExpires' | 'findings'>, label: string) => (
    <label className="check">
      <input
        type="checkbox"
        data-testid={T.invFilter(k)}
        checked={filter[k]}
        onChange={(e) => setFilter({ [k]: e.target.checked })}
      />{' '}
      {label}
    </label>
  )
  const badWithin = !/^\d{0,5}$/.test(within)
  return (
    <div className="toolbar" role="search" aria-label="Inventory filters">
      <label className="inline">
        Server
        <select
          data-testid={T.invFilter('server')}
          value={filter.server}
          onChange={(e) => setFilter({ server: e.target.value })}
        >
          <option value="">any</option>
          <Options items={servers} value={(s) => s} />
        </select>
      </label>
      <label className="inline">
        Kind
        <select
          data-testid={T.invFilter('kind')}
          value={filter.kind}
          onChange={(e) => setFilter({ kind: e.target.value as '' | InventoryKind })}
        >
          <option value="">any</option>
          <Options items={INVENTORY_KINDS} value={(k) => k} label={(k) => KIND_LABEL[k]} />
        </select>
      </label>
      <label className="inline">
        Expiring within
        <input
          className="days-input"
          inputMode="numeric"
          data-testid={T.invFilter('within')}
          value={within}
          aria-invalid={badWithin}
          placeholder="any"
          onChange={(e) => setWithin(e.target.value.trim())}
        />
        days
      </label>
      {badWithin ? <span className="field-error">Enter a whole number of days.</span> : null}
      {check('expired', 'Expired')}
      {check('neverExpires', 'Never expires')}
      {check('findings', 'Has findings')}
    </div>
  )
}
