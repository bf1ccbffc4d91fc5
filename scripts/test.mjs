#!/usr/bin/env node
// `npm test`, after scripts/setup.mjs: typecheck, lint, vitest and Playwright (web mode in Debian's Chromium, then the
// Electron launch suite, which skips with its reason where the Electron binary is missing). The test runs happen
// inside a private D-Bus session with gnome-keyring (scripts/with-keyring.sh) so keychain tests hit a real Secret
// Service. Prints one closing line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const reports = join(root, 'artifacts', 'reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const steps = []
function run(name, cmd, args, opts = {}) {
  process.stderr.write(`\n=== ${name}: ${[cmd, ...args].join(' ')}\n`)
  const t0 = Date.now()
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } })
  const ok = r.status === 0
  steps.push({ name, ok, seconds: Math.round((Date.now() - t0) / 1000) })
  return ok
}

const keyring = join(root, 'scripts', 'with-keyring.sh')
run('typecheck (main, preload, shared, tests)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.node.json'])
run('typecheck (renderer)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.web.json'])
run('typecheck (browser and Electron tests)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.e2e.json'])
run('lint', 'npx', ['eslint', '.'])
run('unit and integration tests (vitest)', 'bash', [
  keyring, 'npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`
])
const pwEnv = { PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'playwright.json') }
if (existsSync(join(root, 'playwright.config.ts')))
  run('browser tests (Playwright, Chromium, web mode)', 'bash', [keyring, 'npx', 'playwright', 'test', '--reporter=list,json'], { env: pwEnv })
if (existsSync(join(root, 'playwright.electron.config.ts')))
  run('Electron launch tests (Playwright _electron)', 'bash', [keyring, 'xvfb-run', '-a', 'npx', 'playwright', 'test', '-c', 'playwright.electron.config.ts', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'electron.json') }
  })

// Count tests from the runners' JSON reports.
let passed = 0
let failed = 0
let skipped = 0
const vitest = join(reports, 'vitest.json')
if (existsSync(vitest)) {
  const v = JSON.parse(readFileSync(vitest, 'utf8'))
  passed += v.numPassedTests ?? 0
  failed += v.numFailedTests ?? 0
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
}
for (const f of ['playwright.json', 'electron.json']) {
  const p = join(reports, f)
  if (!existsSync(p)) continue
  const s = JSON.parse(readFileSync(p, 'utf8')).stats ?? {}
  passed += (s.expected ?? 0) + (s.flaky ?? 0)
  failed += s.unexpected ?? 0
  skipped += s.skipped ?? 0
}

process.stderr.write('\n=== summary\n')
for (const s of steps) process.stderr.write(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name} (${s.seconds}s)\n`)
const allOk = steps.every((s) => s.ok)
if (!allOk && failed === 0) failed = steps.filter((s) => !s.ok).length
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`)
process.exit(allOk ? 0 : 1)
