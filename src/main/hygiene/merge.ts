/** A source of rows in (e, k, ord) order: e the expiry (null sorts last), k the source's rank, ord its tie-break. */
export interface SortedSource<A extends { k: number }, R extends { e: number | null; ord: number }> {
  a: A
  it: IterableIterator<R>
}

interface Head<A extends { k: number }, R extends { e: number | null; ord: number }> extends SortedSource<A, R> {
  r: R
}

const key = (e: number | null) => e ?? Number.POSITIVE_INFINITY
const before = <A extends { k: number }, R extends { e: number | null; ord: number }>(x: Head<A, R>, y: Head<A, R>) =>
  key(x.r.e) - key(y.r.e) || x.a.k - y.a.k || x.r.ord - y.r.ord

/**
 * Up to `n` rows of the sources merged in (e, k, ord) order. Each source is read one row at a time, so a source whose
 * rows sort later costs one row read, not a page; every reader is closed before this returns.
 */
export function mergeSorted<A extends { k: number }, R extends { e: number | null; ord: number }>(
  sources: Array<SortedSource<A, R>>,
  n: number
): Array<{ a: A; r: R }> {
  const out: Array<{ a: A; r: R }> = []
  const heads: Array<Head<A, R>> = []
  try {
    for (const { a, it } of sources) {
      const x = it.next()
      if (!x.done) heads.push({ a, r: x.value, it })
    }
    while (out.length < n && heads.length) {
      let m = 0
      for (let i = 1; i < heads.length; i++) if (before(heads[i], heads[m]) < 0) m = i
      const h = heads[m]
      out.push({ a: h.a, r: h.r })
      const x = h.it.next()
      if (x.done) heads.splice(m, 1)
      else h.r = x.value
    }
  } finally {
    for (const { it } of sources) it.return?.()
  }
  return out
}
