/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Console bench: the Tokens screen in Chromium through the web mode over a store of
 * 1,000,000 lifecycle tokens. Prints first rows after navigation, jumps, table rows in the DOM and input latency while
 * typing in the (debounced) search box, each next to a baseline measured in the same run:
 *   - first rows vs one bare `tokens:list` RPC page (the server's floor),
 *   - search keystroke latency vs the same keystrokes in a plain <input> with no app code behind it,
 *   - rows in the DOM vs rows in the store.
 * Run: npx tsx bench/console.bench.ts   (CONSOLE_BENCH_ROWS=N for another size; the seeded store is cached in the temp
 * folder between runs because seeding a million rows takes minutes.)
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import globalSetup from '../test/e2e/global-setup'
import { BIN, ROOT, rpc, startServe } from '../test/e2e/serve'
import { T } from '../src/renderer/src/testids'

const N = Number(process.env.CONSOLE_BENCH_ROWS ?? 1_000_000)
const JUMP_TIMEOUT_MS = Number(process.env.CONSOLE_BENCH_JUMP_TIMEOUT_MS ?? 60_000)
const RUNS = 5

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const ms = (x: number) => `${x.toFixed(1)} ms`

function seededStore(): string {
  const dir = join(tmpdir(), `tokendesk-console-bench-${N}`)
  if (existsSync(join(dir, '.seeded'))) return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  process.stdout.write(`seeding ${N.toLocaleString('en')} tokens into ${dir} (once; cached for later runs)…\n`)
  const r = spawnSync(process.execPath, [BIN, '--data', dir, 'tokens', 'seed', '--count', String(N), '--seed', '1'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  if (r.status !== 0) throw new Error('seeding failed')
  writeFileSync(join(dir, '.seeded'), new Date().toISOString())
  return dir
}

async function rowsInDom(page: Page): Promise<number> {
  return page.locator('.vbody [role="row"]').count()
}

/** Time (in the page) from keydown to the next frame after the input event: what the user feels while typing. */
async function keystrokeLatencies(page: Page, selector: string, text: string): Promise<number[]> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __lat: number[] }
    w.__lat = []
    const el = document.querySelector(sel)!
    el.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now()
        requestAnimationFrame(() => setTimeout(() => w.__lat.push(performance.now() - t0), 0))
      },
      true
    )
  }, selector)
  await page.locator(selector).click()
  await page.keyboard.type(text, { delay: 40 })
  return page.evaluate(() => (window as unknown as { __lat: number[] }).__lat)
}

async function main() {
  globalSetup()
  const dataDir = seededStore()
  const serve = await startServe(dataDir)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  })
  try {
    const counts = await rpc(serve, 'tokens:counts', {})
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(serve.sessionUrl)
    await page.getByTestId(T.statusDataDir).waitFor()
    let maxDom = 0

    // Baselines: bare RPC pages of the same query, timed in the page. The console's first page is 100 rows (FIRST_PAGE
    // in src/renderer/src/stores/tokens.store.ts); later pages, which a jump reads after its seek, are 500 (PAGE_SIZE).
    const rpcPage = async (limit: number, extra: Record<string, unknown> = {}) => {
      const times: number[] = []
      for (let i = 0; i < RUNS; i++)
        times.push(
          await page.evaluate(
            async (body) => {
              const t0 = performance.now()
              const r = await fetch('/rpc/tokens:list', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body)
              })
              await r.json()
              return performance.now() - t0
            },
            { limit, sort: 'updated', dir: 'desc', ...extra }
          )
        )
      return pct(times, 50)
    }
    const rpcP50 = await rpcPage(100)
    const walkP50 = await rpcPage(500)
    // A far jump is one 'tokens:seek' (the target page's keyset cursor from the sort index) plus one 500-row page.
    const seekTimes: number[] = []
    for (let i = 0; i < RUNS; i++)
      seekTimes.push(
        await page.evaluate(
          async (body) => {
            const t0 = performance.now()
            const r = await fetch('/rpc/tokens:seek', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body)
            })
            await r.json()
            return performance.now() - t0
          },
          { position: Math.floor(counts.live / 2), sort: 'updated', dir: 'desc' }
        )
      )
    const seekP50 = pct(seekTimes, 50)
    const searchRpcP50 = await rpcPage(100, { search: 'admin_pay' })

    // First rows after navigation (the screen mounts and asks for its first page each time).
    const first: number[] = []
    for (let i = 0; i < RUNS; i++) {
      await page.getByTestId(T.nav('settings')).click()
      await page.getByTestId(T.screen('settings')).waitFor()
      const t0 = Date.now()
      await page.getByTestId(T.nav('tokens')).click()
      await page.getByTestId(T.tokensRow).first().waitFor()
      first.push(Date.now() - t0)
      maxDom = Math.max(maxDom, await rowsInDom(page))
    }

    const list = page.getByTestId(T.tokensList)
    const jumpTo = async (fraction: number, label: string) => {
      const t0 = Date.now()
      const target = await list.evaluate((el, f) => {
        el.scrollTop = Math.floor((el.scrollHeight - el.clientHeight) * f)
        return Math.floor((el.scrollTop / 30) as number)
      }, fraction)
      try {
        await page.waitForFunction(
          (t) =>
            [...document.querySelectorAll('[data-testid="tokens-row"]')].some(
              (r) => Number(r.getAttribute('aria-rowindex')) >= t
            ),
          target,
          { timeout: JUMP_TIMEOUT_MS, polling: 'raf' }
        )
        maxDom = Math.max(maxDom, await rowsInDom(page))
        return { label, target, ms: Date.now() - t0, done: true }
      } catch {
        maxDom = Math.max(maxDom, await rowsInDom(page))
        return { label, target, ms: Date.now() - t0, done: false }
      }
    }
    const jumpNear = await jumpTo(10_000 / Math.max(1, counts.live), 'jump to row ~10,000')
    const jumpMid = await jumpTo(0.5, 'jump to the middle')
    const heapMb = await page.evaluate(
      () => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6
    )

    // Back to the top for search.
    await list.evaluate((el) => (el.scrollTop = 0))
    const appLat = await keystrokeLatencies(page, `[data-testid="${T.tokensSearch}"]`, 'admin_pay')
    // From the last keystroke until every row on screen matches the search (debounce + query + render).
    const t0 = Date.now()
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('[data-testid="tokens-row"] span.mono.ellipsis')]
        return rows.length > 0 && rows.every((r) => r.textContent?.includes('admin_pay'))
      },
      null,
      { timeout: 30_000, polling: 'raf' }
    )
    const searchShown = Date.now() - t0
    await page.waitForTimeout(300)
    maxDom = Math.max(maxDom, await rowsInDom(page))
    // Baseline: a bare <input> outside React in the same page.
    await page.waitForTimeout(300)
    await page.evaluate(() => {
      const i = document.createElement('input')
      i.id = 'bench-bare-input'
      document.body.appendChild(i)
    })
    const bareLat = await keystrokeLatencies(page, '#bench-bare-input', 'admin_pay')

    const firstP50 = pct(first, 50)
    const rows: [string, string, string, string, string][] = [
      [
        'first rows after navigation (p50 / max)',
        `${ms(firstP50)} / ${ms(Math.max(...first))}`,
        '<= 1000 ms',
        `one 100-row RPC page ${ms(rpcP50)}`,
        `${(firstP50 / rpcP50).toFixed(1)}x`
      ],
      [
        jumpNear.label,
        jumpNear.done ? ms(jumpNear.ms) : `> ${JUMP_TIMEOUT_MS} ms`,
        '—',
        `one 500-row RPC page ${ms(walkP50)}`,
        `${(jumpNear.ms / walkP50).toFixed(1)}x`
      ],
      [
        jumpMid.label,
        jumpMid.done ? ms(jumpMid.ms) : `> ${JUMP_TIMEOUT_MS} ms (not reached)`,
        '<= 300 ms',
        `seek to the middle ${ms(seekP50)} + one 500-row RPC page ${ms(walkP50)}`,
        `${(jumpMid.ms / (seekP50 + walkP50)).toFixed(1)}x`
      ],
      [
        'table rows in the DOM (max seen)',
        String(maxDom),
        '<= 100',
        `${counts.live.toLocaleString('en')} live rows`,
        `${((maxDom / counts.live) * 100).toExponential(1)} %`
      ],
      [
        'search keystroke latency (p50 / p95 / max)',
        `${ms(pct(appLat, 50))} / ${ms(pct(appLat, 95))} / ${ms(Math.max(...appLat))}`,
        '< 50 ms',
        `bare input p95 ${ms(pct(bareLat, 95))}`,
        `${(pct(appLat, 95) / Math.max(0.1, pct(bareLat, 95))).toFixed(1)}x`
      ],
      [
        'search results on screen after the last keystroke',
        ms(searchShown),
        '—',
        `debounce 200 ms + the search RPC ${ms(searchRpcP50)}`,
        `${(searchShown / (200 + searchRpcP50)).toFixed(1)}x`
      ],
      ['renderer JS heap after the jumps', `${heapMb.toFixed(0)} MB`, '—', '', '']
    ]
    process.stdout.write(
      `\nConsole bench: ${counts.total.toLocaleString('en')} tokens in the store (${counts.live.toLocaleString('en')} live), Chromium, web mode\n\n`
    )
    process.stdout.write('| figure | measured | goal | baseline (same run) | ratio |\n|---|---|---|---|---|\n')
    for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`)
  } finally {
    await browser.close()
    await serve.stop()
  }
}

main().catch((e) => {
  process.stderr.write(`console bench failed: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
