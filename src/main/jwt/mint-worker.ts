import { writeSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { mintChunk, type MintPlan } from './mint-format'

// Bulk-mint worker: signs the chunks main asks for and appends each to the output itself, as ONE write of
// whole lines on an O_APPEND descriptor (appends are atomic per write), so the tokens never cross threads, main only
// counts, and a cancel between chunks leaves whole lines only.
const { plan, fd } = workerData as { plan: MintPlan; fd: number }

parentPort!.on('message', (m: { start: number; n: number }) => {
  try {
    const buf = mintChunk(plan, m.start, m.n)
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    parentPort!.postMessage({ n: m.n, bytes: buf.length })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    parentPort!.postMessage({ n: m.n, error: code ?? (e instanceof Error ? e.name : 'Error') })
  }
})
