import { writeSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { mintLines, type MintPlan } from './mint-format'

// Bulk-mint worker (issue 3): signs the chunks main asks for and appends each to the output itself, as ONE write of
// whole lines on an O_APPEND descriptor (appends are atomic per write), so the tokens never cross threads, main only
// counts, and a cancel between chunks leaves whole lines only.
const { plan, fd } = workerData as { plan: MintPlan; fd: number }

parentPort!.on('message', (m: { start: number; n: number }) => {
  try {
    // Every line is ASCII (numbers, UUIDs, base64url tokens): latin1 copies the bytes without a UTF-8 encoder pass.
    const buf = Buffer.from(mintLines(plan, m.start, m.n), 'latin1')
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    parentPort!.postMessage({ n: m.n, bytes: buf.length })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    parentPort!.postMessage({ n: m.n, error: code ?? (e instanceof Error ? e.name : 'Error') })
  }
})
