/**
 * Table rows of integers and one blob column, packed into three buffers a worker can transfer rather than copy: a
 * structured clone copies every Buffer on its own and holds the receiving thread while it does.
 */
export interface PackedRows {
  /** Values per row. */
  width: number
  /** Which value of a row is the blob. */
  blobAt: number
  /** The integer values, row after row (width - 1 each), as doubles: FTS5 row ids stay below 2^53. */
  ints: Float64Array
  /** Where each row's blob ends in `bytes` (it starts where the previous one ended). */
  ends: Float64Array
  bytes: Uint8Array
}

type Value = number | Uint8Array

/** Packs rows as SQLite returns them (raw mode); throws on a value of another type, so nothing is silently altered. */
export function packRows(rows: unknown[][], width: number, blobAt: number): PackedRows {
  let size = 0
  for (const r of rows) {
    if (r.length !== width || !(r[blobAt] instanceof Uint8Array))
      throw new Error(`packRows: a row is not ${width} values with a blob at ${blobAt}`)
    size += (r[blobAt] as Uint8Array).length
  }
  const ints = new Float64Array(rows.length * (width - 1))
  const ends = new Float64Array(rows.length)
  const bytes = new Uint8Array(size)
  let k = 0
  let at = 0
  rows.forEach((r, i) => {
    for (let c = 0; c < width; c++) {
      const v = r[c]
      if (c === blobAt) {
        bytes.set(v as Uint8Array, at)
        at += (v as Uint8Array).length
      } else if (Number.isSafeInteger(v)) ints[k++] = v as number
      else throw new Error(`packRows: value ${c} of a row is not a safe integer`)
    }
    ends[i] = at
  })
  return { width, blobAt, ints, ends, bytes }
}

/** What postMessage transfers (the receiver owns them; the sender's views become empty). */
export const transferList = (p: PackedRows): ArrayBuffer[] =>
  [p.ints.buffer, p.ends.buffer, p.bytes.buffer] as ArrayBuffer[]

/** The rows back, each blob a view into `bytes` (no copy), in the order they were packed. */
export function* unpackRows(p: PackedRows): Generator<Value[]> {
  let k = 0
  let from = 0
  for (const end of p.ends) {
    const row: Value[] = []
    for (let c = 0; c < p.width; c++) row.push(c === p.blobAt ? p.bytes.subarray(from, end) : p.ints[k++])
    from = end
    yield row
  }
}

/** How many rows a pack holds. */
export const packedCount = (p: PackedRows): number => p.ends.length
