import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where a worker thread's entry is. Built: out/main/<name>.js beside the CLI and shell (an input of its own in
 * electron.vite.config.ts), or one level up from a shared chunk. From source (vitest, tsx): `sourceDir`/<name>.ts run
 * through tsx's CommonJS hook, which compiles the worker's TypeScript in the worker thread (dev and tests only).
 * Null when neither is there.
 */
export function workerEntry(name: string, sourceDir: string): { file: string; eval?: boolean } | null {
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const js = join(dir, `${name}.js`)
    if (existsSync(js)) return { file: js }
  }
  const ts = join(sourceDir, `${name}.ts`)
  // tsx resolved from here: an eval'd worker resolves bare names from the process's working directory, and a run from
  // outside the project (a bench or a script elsewhere) lost its worker to MODULE_NOT_FOUND.
  if (existsSync(ts))
    return {
      file: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(ts)})`,
      eval: true
    }
  return null
}
