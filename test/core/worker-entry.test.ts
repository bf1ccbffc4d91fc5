import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { workerEntry } from '../../src/main/core/worker-entry'
import { tempDir } from '../helpers/core'

const home = process.cwd()
afterEach(() => process.chdir(home))

describe('workerEntry (a worker thread from source under tsx)', () => {
  it('starts a TypeScript worker when the working directory is outside the project', async () => {
    const src = tempDir()
    writeFileSync(
      join(src, 'probe.ts'),
      "import { parentPort } from 'node:worker_threads'\nconst answer: number = 42\nparentPort!.postMessage(answer)\n"
    )
    // No node_modules here: the worker must not look for tsx from the working directory.
    process.chdir(tempDir())
    const entry = workerEntry('probe', src)
    expect(entry?.eval).toBe(true)
    const w = new Worker(entry!.file, { eval: true })
    try {
      const got = await new Promise((resolve, reject) => {
        w.once('message', resolve)
        w.once('error', reject)
      })
      expect(got).toBe(42)
    } finally {
      await w.terminate()
    }
  })

  it('is null when the worker is neither built nor in the source folder', () => {
    expect(workerEntry('no-such-worker', tempDir())).toBeNull()
  })
})
