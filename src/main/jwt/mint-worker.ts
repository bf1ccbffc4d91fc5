import { parentPort, workerData } from 'node:worker_threads'
import { mintLines, type MintPlan } from './mint-format'

// Bulk-mint worker (issue 3): signs the chunks main asks for and sends each back as one transferred buffer of whole
// lines, so main only writes bytes and memory stays bounded by the chunks in flight.
const plan = workerData as MintPlan

parentPort!.on('message', (m: { start: number; n: number }) => {
  try {
    const buf = Buffer.from(mintLines(plan, m.start, m.n), 'utf8')
    // Transfer the bytes instead of copying them; a small Buffer may sit in Node's shared pool, so copy only then.
    const own = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength
    const ab = (own ? buf.buffer : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) as ArrayBuffer
    parentPort!.postMessage({ start: m.start, n: m.n, buf: ab }, [ab])
  } catch (e) {
    parentPort!.postMessage({ start: m.start, n: m.n, error: e instanceof Error ? e.name : 'Error' })
  }
})
