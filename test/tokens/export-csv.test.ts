import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS } from '../../src/main/tokens/export-csv'
import { csvCell } from '../../src/main/csv'
import { CLAIM_FIELDS } from '../../src/shared/contract'

describe('CSV export cells', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('令牌')).toBe('令牌')
  })
  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
  })
  it('writes numbers, booleans and nulls bare', () => {
    expect(csvCell(3)).toBe('3')
    expect(csvCell(true)).toBe('true')
    expect(csvCell(null)).toBe('')
  })
  it('has a column for every claim field', () => {
    for (const f of CLAIM_FIELDS) expect(CSV_COLUMNS).toContain(f)
  })
})
