import { useEffect, useState } from 'react'
import { useDebounced } from '../../components/ui'
import { useTokensStore, type TokenFilter } from '../../stores/tokens.store'
import { T } from '../../testids'
import { api } from '../../api'
import { FilterSelect } from '../../components/FilterFields'

/** The filters with "any" and a few values: the filter key, its label and its values. */
const CHOICES = [
  { key: 'state', label: 'State', values: ['enabled', 'disabled'] },
  { key: 'published', label: 'Online', values: ['online', 'offline'] },
  { key: 'origin', label: 'Origin', values: ['local', 'pulled'] }
] as const

/** A date bound: the picker shows the day; the full stored instant stays in the tooltip. */
function FilterDate(p: { name: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="inline">
      {p.label}
      <input
        type="date"
        data-testid={T.tokensFilter(p.name)}
        value={p.value.slice(0, 10)}
        title={p.value || undefined}
        onChange={(e) => p.onChange(e.target.value)}
      />
    </label>
  )
}

export function Filters() {
  const { filter, setFilter } = useTokensStore()
  const [search, setSearch] = useState(filter.search)
  const debounced = useDebounced(search, 200)
  useEffect(() => {
    if (debounced !== useTokensStore.getState().filter.search) setFilter({ search: debounced })
  }, [debounced, setFilter])
  // Creator suggestions: the stored creators starting with what is typed (the filter matches by the same prefix).
  const [creators, setCreators] = useState<string[]>([])
  const creatorTyped = useDebounced(filter.creator, 150)
  useEffect(() => {
    let live = true
    void api.tokens
      .creators({ prefix: creatorTyped.trim(), limit: 20 })
      .then((r) => live && r.ok && setCreators(r.value.creators))
    return () => {
      live = false
    }
  }, [creatorTyped])
  const sel = <K extends keyof TokenFilter>(k: K, v: TokenFilter[K]) => setFilter({ [k]: v } as Partial<TokenFilter>)
  return (
    <div className="toolbar" role="search">
      <input
        type="search"
        aria-label="Search name, brief or id"
        placeholder="Search name, brief or exact id…"
        data-testid={T.tokensSearch}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {CHOICES.map((c) => (
        <FilterSelect
          key={c.key}
          label={c.label}
          values={c.values}
          value={filter[c.key]}
          onChange={(v) => sel(c.key, v as TokenFilter[typeof c.key])}
          testId={T.tokensFilter(c.key)}
        />
      ))}
      <label className="inline">
        Creator
        <input
          data-testid={T.tokensFilter('creator')}
          size={10}
          list="creator-suggestions"
          placeholder="starts with…"
          value={filter.creator}
          onChange={(e) => sel('creator', e.target.value)}
        />
        <datalist id="creator-suggestions">
          {creators.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </label>
      <FilterDate
        name="expiringAfter"
        label="Expiring after"
        value={filter.expiringAfter}
        onChange={(v) => sel('expiringAfter', v)}
      />
      <FilterDate
        name="expiring"
        label="Expiring before"
        value={filter.expiringBefore}
        onChange={(v) => sel('expiringBefore', v)}
      />
      <label className="check">
        <input
          type="checkbox"
          data-testid={T.tokensFilter('bin')}
          checked={filter.bin}
          onChange={(e) => sel('bin', e.target.checked)}
        />
        Recycle bin
      </label>
      <label className="inline">
        Sort
        <select
          data-testid={T.tokensSort}
          value={`${filter.sort}:${filter.dir}`}
          onChange={(e) => {
            const [sort, dir] = e.target.value.split(':') as [TokenFilter['sort'], TokenFilter['dir']]
            setFilter({ sort, dir })
          }}
        >
          <option value="updated:desc">updated, newest</option>
          <option value="updated:asc">updated, oldest</option>
          <option value="created:desc">created, newest</option>
          <option value="created:asc">created, oldest</option>
          <option value="name:asc">name A→Z</option>
          <option value="name:desc">name Z→A</option>
          <option value="expiry:asc">expiry, soonest</option>
          <option value="expiry:desc">expiry, latest</option>
        </select>
      </label>
    </div>
  )
}

/** "1,234 tokens" (a state's count), "561 tokens match" (a filter's count), "10,000+ tokens match" (capped). */
