import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The start-up benches' store of `n` seeded tokens, kept in the temp folder between runs (seeding 1M takes minutes). */
export function seededStore(bin: string, n: number): string {
  const dir = join(tmpdir(), `tokendesk-startup-bench-${n}`)
  if (existsSync(join(dir, '.seeded'))) return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  process.stdout.write(`seeding ${n.toLocaleString('en')} tokens into ${dir} (once; kept for later runs)…\n`)
  const r = spawnSync(process.execPath, [bin, '--data', dir, 'tokens', 'seed', '--count', String(n), '--seed', '1'], {
    stdio: 'inherit'
  })
  if (r.status !== 0) throw new Error('seeding failed')
  writeFileSync(join(dir, '.seeded'), new Date().toISOString())
  return dir
}
