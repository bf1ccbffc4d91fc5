/**
 * CLI start-up bench: wall time of `tokendesk --version`, `tokendesk tokens counts` and `tokendesk jwt decode TOKEN`
 * on a seeded store, each run in turn with `node -e 0` (the floor every Node CLI pays) and printed as a ratio to it,
 * and the peak RSS of a simple command.
 * Run: npm run bench -- startup   (STARTUP_BENCH_TOKENS=N for another store size, STARTUP_BENCH_RUNS=N for more or
 * fewer pairs, STARTUP_BENCH_BEFORE=<another build's bin/tokendesk> for a before column; the seeded store is kept in
 * the temp folder between runs.) With NODE_EXTRA_CA_CERTS set, every pair runs with it and without it.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { seededStore } from './seeded-store'

const ROOT = join(__dirname, '..')
const BIN = join(ROOT, 'bin', 'tokendesk')
const N = Number(process.env.STARTUP_BENCH_TOKENS ?? 1_000_000)
const RUNS = Number(process.env.STARTUP_BENCH_RUNS ?? 15)

function run(args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; stdout: string } {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return { ms, stdout: r.stdout }
}

/**
 * Wall time and CPU time (user + system, the whole process from its start, read by a tiny preload at exit) of a run in
 * the pairs. CPU time moves much less than wall time with the machine's load.
 */
const CPU_DIR = join(tmpdir(), `tokendesk-startup-cpu-${process.pid}`)
const CPU_PRELOAD = join(CPU_DIR, 'cpu.cjs')
const CPU_OUT = join(CPU_DIR, 'cpu.txt')
function timed(args: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const { ms } = run(['--require', CPU_PRELOAD, ...args], { ...env, CPU_TO: CPU_OUT })
  const { user, system } = JSON.parse(readFileSync(CPU_OUT, 'utf8')) as { user: number; system: number }
  return { wall: ms, cpu: (user + system) / 1000 }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Peak resident set of one CLI run, read by a preload in the same process at exit (no external tool needed). */
function peakRssMb(args: string[]): number {
  const dir = join(tmpdir(), `tokendesk-startup-rss-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const preload = join(dir, 'rss.cjs')
  const out = join(dir, 'rss.txt')
  writeFileSync(
    preload,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.RSS_TO, String(process.resourceUsage().maxRSS)))\n"
  )
  const peaks: number[] = []
  for (let i = 0; i < 5; i++) {
    run(['--require', preload, BIN, ...args], { ...process.env, RSS_TO: out })
    peaks.push(Number(readFileSync(out, 'utf8')) / 1024)
  }
  rmSync(dir, { recursive: true, force: true })
  return median(peaks)
}

/** The environments each pair runs in: as set, and without NODE_EXTRA_CA_CERTS when it is set (every node start parses
 * that bundle, the baseline's too, which makes the ratios look better than without it). */
function environments(): Array<{ label: string; env: NodeJS.ProcessEnv }> {
  const ca = process.env.NODE_EXTRA_CA_CERTS
  if (!ca) return [{ label: 'NODE_EXTRA_CA_CERTS not set', env: process.env }]
  const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env
  return [
    { label: `NODE_EXTRA_CA_CERTS=${ca}`, env: process.env },
    { label: 'NODE_EXTRA_CA_CERTS unset', env: without }
  ]
}

function main(): void {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('build first: npx electron-vite build')
  // Another build's bin (a checkout of the code before a change), run in the same pairs: a before/after in one run.
  const before = process.env.STARTUP_BENCH_BEFORE
  if (before && !existsSync(before)) throw new Error(`STARTUP_BENCH_BEFORE=${before} does not exist`)
  const data = seededStore(BIN, N)
  const secret = 'startup-bench-secret-0123456789abcdef'
  const token = run(
    [
      BIN,
      '--data',
      data,
      'jwt',
      'sign',
      '--alg',
      'HS256',
      '--secret-env',
      'BENCH_SECRET',
      '--claims',
      '{"sub":"bench"}'
    ],
    {
      ...process.env,
      BENCH_SECRET: secret
    }
  ).stdout.trim()
  const commands: Array<{ label: string; args: (bin: string) => string[]; goal: number }> = [
    { label: 'tokendesk --version', args: (bin) => [bin, '--version'], goal: 1.3 },
    { label: 'tokendesk tokens counts', args: (bin) => [bin, '--data', data, 'tokens', 'counts'], goal: 2.0 },
    { label: 'tokendesk jwt decode TOKEN', args: (bin) => [bin, '--data', data, 'jwt', 'decode', token], goal: 2.0 }
  ]
  const envs = environments()
  mkdirSync(CPU_DIR, { recursive: true })
  writeFileSync(
    CPU_PRELOAD,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.CPU_TO, JSON.stringify(process.cpuUsage())))\n"
  )
  type Sample = { wall: number; cpu: number }
  type Times = { cmd: Sample[]; node: Sample[]; before: Sample[] }
  const times = envs.map(
    () => new Map<string, Times>(commands.map((c) => [c.label, { cmd: [], node: [], before: [] }]))
  )
  // One warm-up each (the OS file cache, V8's compile cache), then pairs in turn, every environment in each round.
  run(['-e', '0'])
  for (const c of commands) {
    run(c.args(BIN))
    if (before) run(c.args(before))
  }
  for (let i = 0; i < RUNS; i++) {
    envs.forEach(({ env }, e) => {
      for (const c of commands) {
        const t = times[e].get(c.label)!
        t.node.push(timed(['-e', '0'], env))
        if (before) t.before.push(timed(c.args(before), env))
        t.cmd.push(timed(c.args(BIN), env))
      }
    })
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const [load1, load5] = loadavg()
  process.stdout.write(
    `CLI start-up, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpu}, load ${load1.toFixed(2)}/${load5.toFixed(2)}; ` +
      `store of ${N.toLocaleString('en')} tokens; median of ${RUNS} pairs${before ? `; before = ${before}` : ''}\n`
  )
  rmSync(CPU_DIR, { recursive: true, force: true })
  let met = true
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(10)
  const x = (v: number) => `${v.toFixed(2)}x`.padStart(7)
  envs.forEach(({ label }, e) => {
    for (const kind of ['wall', 'cpu'] as const) {
      process.stdout.write(`\n${label}, ${kind === 'wall' ? 'wall time (the goal)' : 'CPU time, user + system'}\n`)
      const head = `${'command'.padEnd(30)} ${'median'.padStart(10)} ${'node -e 0'.padStart(10)} ${'ratio'.padStart(7)}`
      process.stdout.write(
        `${head}${before ? ` ${'before'.padStart(10)} ${'ratio'.padStart(7)}` : ''}${kind === 'wall' ? '  goal' : ''}\n`
      )
      for (const c of commands) {
        const t = times[e].get(c.label)!
        const [cmd, node, was] = [t.cmd, t.node, t.before].map((xs) => median(xs.map((s) => s[kind])))
        const ratio = cmd / node
        if (kind === 'wall') met &&= ratio <= c.goal
        const goal = kind === 'wall' ? `  <= ${c.goal}x ${ratio <= c.goal ? 'met' : 'NOT met'}` : ''
        process.stdout.write(
          `${c.label.padEnd(30)} ${ms(cmd)} ${ms(node)} ${x(ratio)}${before ? ` ${ms(was)} ${x(was / node)}` : ''}${goal}\n`
        )
      }
    }
  })
  const rss = peakRssMb(['--data', data, 'tokens', 'counts'])
  const rssNode = peakRssMb(['--version'])
  process.stdout.write(
    `\npeak RSS  tokendesk tokens counts ${rss.toFixed(1)} MB (goal <= 60 MB: ${rss <= 60 ? 'met' : 'NOT met'}); tokendesk --version ${rssNode.toFixed(1)} MB\n`
  )
  if (!met || rss > 60) process.stdout.write('(a goal was not met)\n')
}

main()
