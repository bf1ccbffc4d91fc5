/** Numbers with grouping everywhere ("100,000"): one formatter so every screen reads the same. */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
export function num(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : grouped.format(n)
}
