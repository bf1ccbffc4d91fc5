/**
 * CLI start-up bench: wall time of `tokendesk --version`, `tokendesk tokens counts` and `tokendesk jwt decode TOKEN`
 * on a seeded store, each run in turn with `node -e 0` (the floor every Node CLI pays) and printed as a ratio to it,
 * and the peak RSS of a simple command.
 * Run: npm run bench -- startup   (STARTUP_BENCH_TOKENS=N for another store size, STARTUP_BENCH_RUNS=N for more or
 * fewer pairs; the seeded store is kept in the temp folder between runs.)
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
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.RSS_TO, String(process.resourceUsage().maxRSS)))\n")
  const peaks: number[] = []
  for (let i = 0; i < 5; i++) {
    run(['--require', preload, BIN, ...args], { ...process.env, RSS_TO: out })
    peaks.push(Number(readFileSync(out, 'utf8')) / 1024)
  }
  rmSync(dir, { recursive: true, force: true })
  return median(peaks)
}

function main(): void {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('build first: npx electron-vite build')
  const data = seededStore(BIN, N)
  const secret = 'startup-bench-secret-0123456789abcdef'
  const token = run([BIN, '--data', data, 'jwt', 'sign', '--alg', 'HS256', '--secret-env', 'BENCH_SECRET', '--claims', '{"sub":"bench"}'], {
    ...process.env,
    BENCH_SECRET: secret
  }).stdout.trim()
  const commands: Array<{ label: string; args: string[]; goal: number }> = [
    { label: 'tokendesk --version', args: [BIN, '--version'], goal: 1.3 },
    { label: 'tokendesk tokens counts', args: [BIN, '--data', data, 'tokens', 'counts'], goal: 2.0 },
    { label: 'tokendesk jwt decode TOKEN', args: [BIN, '--data', data, 'jwt', 'decode', token], goal: 2.0 }
  ]
  // One warm-up each (the OS file cache, V8's compile cache where Node has one), then pairs in turn.
  run(['-e', '0'])
  for (const c of commands) run(c.args)
  const times = new Map<string, { cmd: number[]; node: number[] }>(commands.map((c) => [c.label, { cmd: [], node: [] }]))
  for (let i = 0; i < RUNS; i++) {
    for (const c of commands) {
      const t = times.get(c.label)!
      t.node.push(run(['-e', '0']).ms)
      t.cmd.push(run(c.args).ms)
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const [load1, load5] = loadavg()
  process.stdout.write(
    `CLI start-up, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpu}, load ${load1.toFixed(2)}/${load5.toFixed(2)}; ` +
      `store of ${N.toLocaleString('en')} tokens; median of ${RUNS} pairs` +
      // Every node start parses that bundle (the baseline's too), which makes the ratios look better than without it.
      `${process.env.NODE_EXTRA_CA_CERTS ? `; NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS}` : ''}\n\n`
  )
  process.stdout.write(`${'command'.padEnd(30)} ${'median'.padStart(10)} ${'node -e 0'.padStart(10)} ${'ratio'.padStart(7)}  goal\n`)
  let met = true
  for (const c of commands) {
    const t = times.get(c.label)!
    const ratio = median(t.cmd) / median(t.node)
    met &&= ratio <= c.goal
    process.stdout.write(
      `${c.label.padEnd(30)} ${`${median(t.cmd).toFixed(1)} ms`.padStart(10)} ${`${median(t.node).toFixed(1)} ms`.padStart(10)} ${`${ratio.toFixed(2)}x`.padStart(7)}  <= ${c.goal}x ${ratio <= c.goal ? 'met' : 'NOT met'}\n`
    )
  }
  const rss = peakRssMb(['--data', data, 'tokens', 'counts'])
  const rssNode = peakRssMb(['--version'])
  process.stdout.write(`\npeak RSS  tokendesk tokens counts ${rss.toFixed(1)} MB (goal <= 60 MB: ${rss <= 60 ? 'met' : 'NOT met'}); tokendesk --version ${rssNode.toFixed(1)} MB\n`)
  if (!met || rss > 60) process.stdout.write('(a goal was not met)\n')
}

main()
