import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { packRows, packedCount, transferList, unpackRows } from '../../src/main/tokens/bulk/packed-rows'

const rows = [
  [1, Buffer.from([1, 2, 3])],
  [2 ** 52 + 7, Buffer.alloc(0)],
  [-5, Buffer.from('trigram segment')]
]

describe('packed rows (the search worker hands its segments over in three transferred buffers)', () => {
  it('unpack gives back every row as packed, empty blobs and large ids included', () => {
    const p = packRows(rows, 2, 1)
    expect(packedCount(p)).toBe(3)
    expect([...unpackRows(p)].map(([id, b]) => [id, Buffer.from(b as Uint8Array)])).toEqual(rows)
    const idx = packRows(
      [
        [3, Buffer.from('ab'), 9],
        [3, Buffer.from(''), 10]
      ],
      3,
      1
    )
    expect(
      [...unpackRows(idx)].map((r) => r.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString() : v)))
    ).toEqual([
      [3, 'ab', 9],
      [3, '', 10]
    ])
  })

  it('refuses what it cannot carry exactly (a non-integer, a missing blob, a short row)', () => {
    expect(() => packRows([[1.5, Buffer.from('x')]], 2, 1)).toThrow(/safe integer/)
    expect(() => packRows([[2 ** 53 + 2, Buffer.from('x')]], 2, 1)).toThrow(/safe integer/)
    expect(() => packRows([[1, 'text']], 2, 1)).toThrow(/blob/)
    expect(() => packRows([[1]], 2, 1)).toThrow(/blob/)
  })

  it('crosses a thread by transfer: the receiver gets the rows, the sender keeps empty buffers', async () => {
    const w = new Worker(
      "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m))",
      { eval: true }
    )
    try {
      const p = packRows(rows, 2, 1)
      const back = new Promise<ReturnType<typeof packRows>>((resolve) => w.once('message', resolve))
      w.postMessage(p, transferList(p))
      expect(p.bytes.byteLength).toBe(0)
      const got = await back
      expect([...unpackRows(got)].map(([id, b]) => [id, Buffer.from(b as Uint8Array)])).toEqual(rows)
    } finally {
      await w.terminate()
    }
  })
})
