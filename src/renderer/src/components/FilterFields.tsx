import { Options } from './fields'

/** What every filter field takes: its label, its value and how it changes, and its test id. */
interface FilterProps {
  label: string
  value: string
  onChange: (v: string) => void
  testId: string
}

/** A labelled filter with "any" and a few values. */
export function FilterSelect(p: FilterProps & { values: readonly string[] }) {
  return (
    <label className="inline">
      {p.label}
      <select data-testid={p.testId} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        <option value="">any</option>
        <Options items={p.values} value={(v) => v} />
      </select>
    </label>
  )
}

/** A labelled free-text filter. */
export function FilterText(p: FilterProps & { placeholder: string }) {
  return (
    <label className="inline">
      {p.label}
      <input
        data-testid={p.testId}
        value={p.value}
        placeholder={p.placeholder}
        onChange={(e) => p.onChange(e.target.value)}
      />
    </label>
  )
}
