import { num } from '../../lib/format'

export function RemoteSearch({ value, onChange, shown, total }: { value: string; onChange: (v: string) => void; shown: number; total: number }) {
  return (
    <>
      <input type="search" className="remote-search" aria-label="Search this server's list" placeholder="Search by name or id…" value={value} onChange={(e) => onChange(e.target.value)} />
      {value ? <span className="muted">{`${num(shown)} of ${num(total)}`}</span> : null}
    </>
  )
}

export function matches(q: string, ...fields: Array<string | null | undefined>): boolean {
  const needle = q.trim().toLowerCase()
  return !needle || fields.some((f) => f?.toLowerCase().includes(needle))
}
