import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mergeSorted } from '../../src/main/hygiene/merge'

type Row = { e: number | null; ord: number }
const cmp = (x: { k: number; r: Row }, y: { k: number; r: Row }) =>
  (x.r.e ?? Infinity) - (y.r.e ?? Infinity) || x.k - y.k || x.r.ord - y.r.ord

describe('mergeSorted', () => {
  it('gives the first n rows of all sources in (e, k, ord) order and closes every reader', () => {
    const source = fc
      .uniqueArray(fc.record({ e: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }), ord: fc.nat(1000) }), {
        selector: (r) => r.ord
      })
      .map((rows) => [...rows].sort((x, y) => (x.e ?? Infinity) - (y.e ?? Infinity) || x.ord - y.ord))
    fc.assert(
      fc.property(fc.array(source, { maxLength: 5 }), fc.nat(40), (lists, n) => {
        let open = 0
        const sources = lists.map((rows, k) => {
          open++
          const it = (function* () {
            try {
              yield* rows
            } finally {
              open--
            }
          })()
          return { a: { k }, it }
        })
        const got = mergeSorted(sources, n).map(({ a, r }) => ({ k: a.k, r }))
        const all = lists.flatMap((rows, k) => rows.map((r) => ({ k, r }))).sort(cmp)
        expect(got).toEqual(all.slice(0, n))
        expect(open).toBe(0)
      })
    )
  })
})
