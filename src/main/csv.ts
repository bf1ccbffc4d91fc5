/** CSV cells for the store's CSV export and the inventory report: one quoting rule for both. */

/**
 * RFC 4180 quoting; a text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, OWASP's advice against CSV injection.
 */
export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return ''
  if (typeof v !== 'string') return String(v)
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
