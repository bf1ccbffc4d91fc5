#!/usr/bin/env node
// `npm test`, after scripts/setup.mjs: typecheck, lint, vitest and Playwright (web mode in Debian's Chromium, then the
// Electron launch suite, which skips with its reason where the Electron binary is missing). The test runs happen
// inside a private D-Bus session with gnome-keyring (scripts/with-keyring.sh) so keychain tests hit a real Secret
// Service. Prints one closing line: "N passed, N failed, N skipped".
import { spawn } from 'node:child_process'
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync
} from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const reports = join(root, 'artifacts', 'reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

// The tests' temporary folders (stores, exports, keyrings, browser profiles) go to one folder per run, on tmpfs where
// there is room: SQLite's syncs then wait on no disk (a busy shared disk stretched whole runs), and the run leaves
// nothing behind.
const shm = '/dev/shm'
const roomy = (dir) => {
  try {
    const fs = statfsSync(dir)
    return fs.bavail * fs.bsize > 4 * 2 ** 30
  } catch {
    return false
  }
}
const scratch = mkdtempSync(join(roomy(shm) ? shm : tmpdir(), 'tokendesk-npm-test-'))
const dropScratch = () => rmSync(scratch, { recursive: true, force: true })
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    dropScratch()
    process.exit(128 + constants.signals[signal])
  })
process.env.TMPDIR = scratch

// vitest, then the browser suites; the checks run beside them in Linux's idle scheduling class (util-linux chrt), on
// the CPU the test runners leave while they wait on pages, servers and child processes. Elsewhere they run at normal
// priority beside them. TOKENDESK_TEST_LANES=1 runs all three at normal priority; on two cores that took longer
// (contention) and made keychain and server timeouts likelier.
const serial = !process.env.TOKENDESK_TEST_LANES
const idleClass = process.platform === 'linux' && existsSync('/usr/bin/chrt')
const steps = []
let logs = 0
/** Runs one phase with its output in artifacts/reports/<n>.log, printed whole when the phase ends. */
function run(name, cmd, args, opts = {}) {
  const log = join(reports, `${String(++logs).padStart(2, '0')}-${name.replace(/\W+/g, '-').slice(0, 40)}.log`)
  const header = `=== ${name}: ${[cmd, ...args].join(' ')}`
  process.stderr.write(`${header.slice(0, 120)} (started)\n`)
  const t0 = Date.now()
  return new Promise((resolve) => {
    const out = createWriteStream(log)
    const [file, argv] = opts.idle && idleClass ? ['chrt', ['--idle', '0', cmd, ...args]] : [cmd, args]
    const child = spawn(file, argv, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env }
    })
    child.stdout.pipe(out, { end: false })
    child.stderr.pipe(out, { end: false })
    child.on('close', (code) => {
      out.end(() => {
        const seconds = Math.round((Date.now() - t0) / 1000)
        const ok = code === 0
        steps.push({ name, ok, seconds })
        process.stderr.write(
          `\n${header}\n${readFileSync(log, 'utf8')}=== ${ok ? 'ok' : 'FAILED'}: ${name} (${seconds}s)\n`
        )
        resolve(ok)
      })
    })
  })
}
async function lane(...phases) {
  for (const phase of phases) await phase()
}
/** Runs the phases, at most `size` at once, in the order given. */
async function pool(size, phases) {
  const queue = [...phases]
  const worker = async () => {
    while (queue.length) await queue.shift()()
  }
  await Promise.all(Array.from({ length: size }, worker))
}

const keyring = join(root, 'scripts', 'with-keyring.sh')
// The tools' own entry points: npx would load npm first on every call.
const bin = (tool) => join(root, 'node_modules', '.bin', tool)
// TypeScript 7, the native compiler, checks types (typescript-native); the tools that call TypeScript's JavaScript API
// (typescript-eslint, knip) keep TypeScript 5. Single-threaded: beside the tests its worker threads only add overhead.
const tsc = (project) => [
  process.execPath,
  join(root, 'node_modules', 'typescript-native', 'bin', 'tsc'),
  '--noEmit',
  '--singleThreaded',
  '-p',
  project
]
// The checks are single-threaded each: two at a time keep both cores busy (longest first).
const checks = (opts = {}) => {
  const check =
    (name, [cmd, ...args]) =>
    () =>
      run(name, cmd, args, opts)
  return pool(2, [
    check('lint', [bin('eslint'), '.']),
    check('format (Prettier)', [bin('prettier'), '--check', '.']),
    check('unused exports and files (knip)', [bin('knip'), '--include', 'exports,files']),
    check('typecheck (main, preload, shared, tests)', tsc('tsconfig.node.json')),
    check('typecheck (renderer)', tsc('tsconfig.web.json'))
  ])
}
const unit = () =>
  run('unit and integration tests (vitest)', 'bash', [
    keyring,
    bin('vitest'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(reports, 'vitest.json')}`
  ])
const browsers = () =>
  lane(
    () =>
      existsSync(join(root, 'playwright.config.ts')) &&
      run(
        'browser tests (Playwright, Chromium, web mode)',
        'bash',
        [keyring, bin('playwright'), 'test', '--reporter=list,json'],
        {
          env: { PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'playwright.json'), TOKENDESK_E2E_SKIP_BUILD: '1' }
        }
      ),
    () =>
      existsSync(join(root, 'playwright.electron.config.ts')) &&
      run(
        'Electron launch tests (Playwright _electron)',
        'bash',
        [
          keyring,
          'xvfb-run',
          '-a',
          bin('playwright'),
          'test',
          '-c',
          'playwright.electron.config.ts',
          '--reporter=list,json'
        ],
        { env: { PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'electron.json') } }
      )
  )
/** True when out/ is missing or older than a source file: the lanes then share one build made before they start. */
function stale() {
  const built = ['out/main/cli.js', 'out/renderer/index.html'].map((f) => join(root, f))
  if (!built.every((f) => existsSync(f))) return true
  const at = Math.min(...built.map((f) => statSync(f).mtimeMs))
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > at
    )
  return newer(join(root, 'src')) || statSync(join(root, 'electron.vite.config.ts')).mtimeMs > at
}

const t0 = Date.now()
// vitest runs the built CLI while Playwright runs: Playwright must not rebuild out/ under it.
if (stale()) await run('build (out/ is older than src/)', bin('electron-vite'), ['build'])
if (serial) await Promise.all([lane(unit, browsers), checks({ idle: true })])
else await Promise.all([browsers(), unit(), checks()])
const wall = Math.round((Date.now() - t0) / 1000)

// Count tests from the runners' JSON reports.
// Failing tests are named again in the summary: CI keeps only the tail of the output.
let passed = 0
let failed = 0
let skipped = 0
const failures = []
const ESC = String.fromCharCode(27)
const firstLine = (text) =>
  String(text ?? '')
    .split(ESC)
    .map((p, i) => (i ? p.replace(/^\[[0-9;]*m/, '') : p))
    .join('')
    .split('\n')
    .find((l) => l.trim()) ?? ''
const vitest = join(reports, 'vitest.json')
if (existsSync(vitest)) {
  const v = JSON.parse(readFileSync(vitest, 'utf8'))
  passed += v.numPassedTests ?? 0
  failed += v.numFailedTests ?? 0
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  for (const file of v.testResults ?? [])
    for (const t of file.assertionResults ?? [])
      if (t.status === 'failed')
        failures.push(`${file.name.replace(root + '/', '')} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`)
}
function walkSuites(suites, trail, file) {
  for (const s of suites ?? []) {
    const here = s.title && s.title !== file ? [...trail, s.title] : trail
    for (const spec of s.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected') {
          const err = t.results?.at(-1)?.error?.message
          failures.push(`${spec.file}:${spec.line} › ${[...here, spec.title].join(' › ')}: ${firstLine(err)}`)
        }
    walkSuites(s.suites, here, file)
  }
}
for (const f of ['playwright.json', 'electron.json']) {
  const p = join(reports, f)
  if (!existsSync(p)) continue
  const report = JSON.parse(readFileSync(p, 'utf8'))
  const s = report.stats ?? {}
  passed += (s.expected ?? 0) + (s.flaky ?? 0)
  failed += s.unexpected ?? 0
  skipped += s.skipped ?? 0
  for (const suite of report.suites ?? []) walkSuites([suite], [], suite.file)
}

if (failures.length) {
  process.stderr.write('\n=== failed tests\n')
  for (const f of failures) process.stderr.write(`FAIL  ${f.slice(0, 400)}\n`)
}
process.stderr.write('\n=== summary\n')
for (const s of steps) process.stderr.write(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name} (${s.seconds}s)\n`)
process.stderr.write(
  `test time: ${wall}s (${serial ? 'the checks at low priority beside the tests' : 'three lanes at once'})\n`
)
dropScratch()
const allOk = steps.every((s) => s.ok)
if (!allOk && failed === 0) failed = steps.filter((s) => !s.ok).length
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`)
process.exit(allOk ? 0 : 1)
