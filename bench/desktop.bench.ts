/// <reference lib="dom" />
/**
 * Desktop start bench: launches the built app in Electron (Playwright's `_electron`) over a seeded store and measures,
 * from launch, the first contentful paint (the shell: nothing else paints before it) and the first data (the status
 * bar's data folder, answered over IPC once the store is open). Baseline, measured in the same run, pairs in turn: a bare Electron app whose
 * window shows one static page, the floor of any Electron start on this machine.
 * Where Electron cannot run (no binary, no Electron build of better-sqlite3, no build, no display) it prints one line
 * saying so and exits 0.
 * Run: npm run bench -- desktop   (DESKTOP_BENCH_ROWS=N for another store size; the seeded store is cached in the temp
 * folder between runs; on a headless box: bash scripts/with-keyring.sh xvfb-run -a npm run bench -- desktop)
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type Page } from '@playwright/test'
import { electronBinary, launchArgs, ROOT, skipReason } from '../test/electron/env'
import { T } from '../src/renderer/src/testids'

const N = Number(process.env.DESKTOP_BENCH_ROWS ?? 1_000_000)
const RUNS = 5
const WAIT_MS = 180_000

interface Start {
  paint: number
  data: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
const ms = (x: number) => `${x.toFixed(0)} ms`

function seededStore(): string {
  const dir = join(tmpdir(), `tokendesk-desktop-bench-${N}`)
  if (existsSync(join(dir, '.seeded'))) return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  process.stdout.write(`seeding ${N.toLocaleString('en')} tokens into ${dir} (once; cached for later runs)…\n`)
  const bin = join(ROOT, 'bin', 'tokendesk')
  const r = spawnSync(process.execPath, [bin, '--data', dir, 'tokens', 'seed', '--count', String(N), '--seed', '1'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  if (r.status !== 0) throw new Error('seeding failed')
  writeFileSync(join(dir, '.seeded'), new Date().toISOString())
  return dir
}

/** A bare Electron app: one window, one static page with a heading, shown on ready-to-show like TokenDesk's. */
function bareApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-bare-electron-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bare', main: 'main.js' }))
  writeFileSync(
    join(dir, 'main.js'),
    `const { app, BrowserWindow } = require('electron')
app.whenReady().then(() => {
  const w = new BrowserWindow({ show: false, width: 1280, height: 820, webPreferences: { sandbox: true, contextIsolation: true } })
  w.once('ready-to-show', () => w.show())
  w.loadURL('data:text/html,<nav id="bare">TokenDesk</nav><p id="data">ready</p>')
})
app.on('window-all-closed', () => app.quit())
`
  )
  return dir
}

/** The page-clock instant (epoch ms) at which `selector` first has text, checked every animation frame. */
async function firstSeen(page: Page, selector: string): Promise<number> {
  const h = await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel)
      return el && el.textContent ? performance.timeOrigin + performance.now() : null
    },
    selector,
    { polling: 'raf', timeout: WAIT_MS }
  )
  return (await h.jsonValue()) as number
}

async function firstContentfulPaint(page: Page): Promise<number> {
  const h = await page.waitForFunction(
    () => {
      const e = performance.getEntriesByName('first-contentful-paint')[0]
      return e ? performance.timeOrigin + e.startTime : null
    },
    undefined,
    { timeout: WAIT_MS }
  )
  return (await h.jsonValue()) as number
}

async function launch(appDir: string, userData: string, dataSelector: string): Promise<Start> {
  const t0 = Date.now()
  const app = await electron.launch({
    executablePath: electronBinary()!,
    args: [...launchArgs(), appDir],
    cwd: appDir,
    env: { ...process.env, TOKENDESK_USER_DATA: userData } as Record<string, string>,
    timeout: WAIT_MS
  })
  try {
    const page = await app.firstWindow({ timeout: WAIT_MS })
    await page.waitForLoadState('domcontentloaded')
    const [paint, data] = await Promise.all([firstContentfulPaint(page), firstSeen(page, dataSelector)])
    return { paint: paint - t0, data: data - t0 }
  } finally {
    await app.close()
  }
}

async function main() {
  const reason = skipReason()
  if (reason) {
    process.stdout.write(`desktop bench skipped: ${reason}\n`)
    return
  }
  const store = seededStore()
  const bare = bareApp()
  const app: Start[] = []
  const base: Start[] = []
  try {
    for (let i = 0; i < RUNS; i++) {
      base.push(await launch(bare, join(bare, 'user-data'), '#data'))
      // A fresh copy of the seeded store each run: the app writes to its data folder (window state, WAL, profile).
      const userData = mkdtempSync(join(tmpdir(), 'tokendesk-desktop-bench-run-'))
      cpSync(store, userData, { recursive: true })
      try {
        app.push(await launch(ROOT, userData, `[data-testid="${T.statusDataDir}"]`))
      } finally {
        rmSync(userData, { recursive: true, force: true })
      }
    }
  } finally {
    rmSync(bare, { recursive: true, force: true })
  }
  const row = (label: string, k: keyof Start) => {
    const a = median(app.map((s) => s[k]))
    const b = median(base.map((s) => s[k]))
    return `| ${label} | ${ms(a)} | ${ms(b)} | ${(a / b).toFixed(2)}x |`
  }
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')
  process.stdout.write(
    `\nDesktop start bench: ${N.toLocaleString('en')} tokens in the store, Electron, median of ${RUNS} launches each, load ${load}\n\n`
  )
  process.stdout.write('| from launch to | TokenDesk | bare Electron window (same run) | ratio |\n|---|---|---|---|\n')
  process.stdout.write(
    `${row('first contentful paint (the shell)', 'paint')}\n${row('first data (status bar, over IPC)', 'data')}\n`
  )
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
