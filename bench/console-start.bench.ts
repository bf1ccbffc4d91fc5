/// <reference lib="dom" />
/**
 * Web-mode start-up bench, on a seeded store (1,000,000 tokens by default):
 *   - `tokendesk serve`: spawn to the URL line on stdout, in turn with `node -e 0` spawn to exit (goal <= 150 ms);
 *   - the console in Debian's Chromium, navigated to that URL as soon as it is printed (cold) and again in a fresh
 *     browser context (warm): first contentful paint (goal <= 400 ms) and the dashboard's live-token figure showing a
 *     number (goal <= 800 ms), both after navigation, in turn with a static page from a bare node http server that
 *     paints and then fetches one figure (the browser's and the loopback's floor).
 * Medians of STARTUP_BENCH_RUNS (7) runs. Run inside the private keyring so the keychain daemon is already up; the
 * bench re-runs itself under scripts/with-keyring.sh when no session bus is present.
 * Run: npm run bench -- console-start   (STARTUP_BENCH_TOKENS=N for another store size; the store is shared with
 * startup.bench.ts and kept in the temp folder.)
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser } from 'playwright-core'
import config from '../playwright.config'
import { T } from '../src/renderer/src/testids'
import { seededStore } from './seeded-store'

const ROOT = join(__dirname, '..')
const BIN = join(ROOT, 'bin', 'tokendesk')
const N = Number(process.env.STARTUP_BENCH_TOKENS ?? 1_000_000)
const RUNS = Number(process.env.STARTUP_BENCH_RUNS ?? 7)
const GOAL = { url: 150, fcp: 400, data: 800 }
const FIGURE = T.dashCount('live')

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function nodeFloor(): number {
  const t0 = performance.now()
  spawnSync(process.execPath, ['-e', '0'])
  return performance.now() - t0
}

interface Serve {
  url: string
  ms: number
  stop(): Promise<void>
}

/** Spawns `tokendesk serve` and times spawn to its first stdout line (the session URL). */
function startServe(data: string): Promise<Serve> {
  const t0 = performance.now()
  const proc = spawn(process.execPath, [BIN, '--data', data, 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const stop = () =>
    new Promise<void>((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done()
      proc.once('exit', () => done())
      proc.kill('SIGTERM')
    })
  return new Promise((ok, bad) => {
    createInterface({ input: proc.stdout }).once('line', (line) =>
      ok({ url: line.trim(), ms: performance.now() - t0, stop })
    )
    proc.once('exit', (code) => bad(new Error(`tokendesk serve exited ${code} before its URL: ${stderr}`)))
  })
}

/** A bare node http server: a static page that paints, then fetches one figure and shows it (the floor for both). */
function startBaseline(): Promise<{ server: Server; url: string }> {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title></head><body>
<h1>Dashboard</h1><span data-testid="${FIGURE}">…</span>
<script>fetch('/n').then((r) => r.text()).then((t) => { document.querySelector('[data-testid="${FIGURE}"]').textContent = t })</script>
</body></html>`
  const server = createServer((req, res) => {
    if (req.url === '/n') return res.writeHead(200, { 'content-type': 'text/plain' }).end('1,000,000')
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
  })
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
    )
  )
}

/**
 * Installed before any page script: records (on the page's clock, 0 = navigation start) when the figure first holds
 * a digit, so polling from the bench adds nothing. Page code is a string: tsx's name helpers do not exist in the page.
 */
const WATCH_FIGURE = `(() => {
  const check = () => {
    const el = document.querySelector('[data-testid="${FIGURE}"]')
    if (window.__dataAt === undefined && el && /\\d/.test(el.textContent || '')) window.__dataAt = performance.now()
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true })
})()`

/** FCP once the figure is painted; the entry may land a frame later. */
const READ_TIMES = `(async () => {
  const paint = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime
  for (let i = 0; i < 50 && paint() === undefined; i++) await new Promise((r) => requestAnimationFrame(r))
  return { fcp: paint() ?? NaN, data: window.__dataAt }
})()`

/** One navigation in a fresh context (no cache, no cookies): FCP and data-shown, both ms after navigation start. */
async function visit(browser: Browser, url: string): Promise<{ fcp: number; data: number }> {
  const ctx = await browser.newContext({ viewport: config.use?.viewport ?? null })
  try {
    const page = await ctx.newPage()
    await page.addInitScript({ content: WATCH_FIGURE })
    await page.goto(url, { waitUntil: 'commit' })
    await page.waitForFunction(() => (window as unknown as { __dataAt?: number }).__dataAt !== undefined, null, {
      timeout: 120_000
    })
    return (await page.evaluate(READ_TIMES)) as { fcp: number; data: number }
  } finally {
    await ctx.close()
  }
}

/**
 * The built renderer's size, gzipped file by file (kB = 1000 bytes): what loads before the first paint (the entry and
 * the files index.html preloads; goal <= 120 KiB) and the whole app, every script and stylesheet.
 */
function rendererSizes(): string {
  const dir = join(ROOT, 'out', 'renderer')
  const gz = (f: string) => gzipSync(readFileSync(join(dir, f))).length
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const first = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/(assets\/[^"]+\.js)"/g)
  ].map((m) => m[1])
  const all = readdirSync(join(dir, 'assets')).filter((f) => /\.(js|css)$/.test(f))
  const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`
  const firstGz = first.reduce((n, f) => n + gz(f), 0)
  const wholeGz = all.reduce((n, f) => n + gz(join('assets', f)), 0)
  return (
    `renderer before first paint (gzipped) ${kB(firstGz)} in ${first.length} files (entry ${kB(gz(first[0]))}); ` +
    `whole app (JS + CSS, gzipped) ${kB(wholeGz)} in ${all.length} files\n`
  )
}

const ms = (x: number) => `${x.toFixed(0)} ms`.padStart(8)

function row(label: string, value: number, goal: number, base: number, baseLabel: string): boolean {
  const met = value <= goal
  process.stdout.write(
    `${label.padEnd(34)} ${ms(value)}  goal <= ${ms(goal).trim().padEnd(7)} ${met ? 'met    ' : 'NOT met'}  ${baseLabel} ${ms(base)} (${(value / base).toFixed(2)}x)\n`
  )
  return met
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js')) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('build first: npx electron-vite build')
  }
  const data = seededStore(BIN, N)
  const launch = config.use?.launchOptions ?? {}
  const browser = await chromium.launch({ ...launch, executablePath: launch.executablePath ?? '/usr/bin/chromium' })
  const chromiumVersion = browser.version()
  const baseline = await startBaseline()
  const t = { url: [] as number[], node: [] as number[], fcpCold: [] as number[], dataCold: [] as number[] }
  const w = { fcp: [] as number[], data: [] as number[], baseFcp: [] as number[], baseData: [] as number[] }
  try {
    // Warm-up: the OS file cache for the store and the bundles, Chromium's first-process costs.
    nodeFloor()
    const s0 = await startServe(data)
    await visit(browser, s0.url)
    await s0.stop()
    await visit(browser, baseline.url)
    for (let i = 0; i < RUNS; i++) {
      t.node.push(nodeFloor())
      const s = await startServe(data)
      t.url.push(s.ms)
      try {
        // Navigated as soon as the URL is printed, like `npm start` opening the browser: the store opens meanwhile.
        const cold = await visit(browser, s.url)
        t.fcpCold.push(cold.fcp)
        t.dataCold.push(cold.data)
        const warm = await visit(browser, s.url)
        w.fcp.push(warm.fcp)
        w.data.push(warm.data)
      } finally {
        await s.stop()
      }
      const b = await visit(browser, baseline.url)
      w.baseFcp.push(b.fcp)
      w.baseData.push(b.data)
    }
  } finally {
    await browser.close()
    baseline.server.close()
  }
  const [load1, load5] = loadavg()
  process.stdout.write(
    `Web-mode start-up, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `load ${load1.toFixed(2)}/${load5.toFixed(2)}; store of ${N.toLocaleString('en')} tokens; Chromium ${chromiumVersion}; median of ${RUNS} runs in turn\n\n`
  )
  process.stdout.write(rendererSizes())
  const baseFcp = median(w.baseFcp)
  const baseData = median(w.baseData)
  const results = [
    row('serve: spawn to URL line', median(t.url), GOAL.url, median(t.node), 'node -e 0'),
    row('console FCP (cold: just started)', median(t.fcpCold), GOAL.fcp, baseFcp, 'static page'),
    row('console FCP (warm server)', median(w.fcp), GOAL.fcp, baseFcp, 'static page'),
    row('dashboard data (cold)', median(t.dataCold), GOAL.data, baseData, 'static+fetch'),
    row('dashboard data (warm server)', median(w.data), GOAL.data, baseData, 'static+fetch')
  ]
  if (results.includes(false)) process.stdout.write('\n(a goal was not met)\n')
}

// keytar needs a Secret Service; without a session bus, run again inside the private keyring.
if (!process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.TOKENDESK_IN_KEYRING) {
  const r = spawnSync(
    'bash',
    [join(ROOT, 'scripts', 'with-keyring.sh'), process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' }
  )
  process.exit(r.status ?? 1)
} else {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  })
}
