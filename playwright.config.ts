import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

// Debian's chromium-headless-shell, the headless-only build Playwright itself runs headless tests in, takes about half
// the CPU of the full browser for the same pages; the full one serves where the shell is not installed.
const chromium =
  process.env.CHROMIUM_PATH ??
  ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) =>
    existsSync(p)
  )

/**
 * Browser tests of the console: Debian's Chromium against `tokendesk serve` (web mode), one fresh data folder and
 * server per test (test/e2e/fixtures.ts). Run inside the private keyring so the keychain is real:
 *   bash scripts/with-keyring.sh npx playwright test
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env.PW_WORKERS ? Number(process.env.PW_WORKERS) : 2,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 860 },
    // No trace: recording one for every test (to keep it on failure) cost a quarter of the suite's CPU. A failure keeps
    // its screenshot; rerun the test with `--trace on` for its DOM snapshots and network.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    }
  }
})
