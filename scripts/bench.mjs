#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (or the ones named: `npm run bench -- jwt store`) one after another,
// each in its own process so one's memory and JIT state do not skew another's. Each prints its own table of figures
// and ratios against baselines measured in the same run.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const wanted = process.argv.slice(2)
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !wanted.length || wanted.some((w) => f.startsWith(`${w}.`)))
  .sort()
let failed = 0
for (const f of files) {
  process.stdout.write(`\n##### ${f}\n`)
  const r = spawnSync('npx', ['tsx', join('bench', f)], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
