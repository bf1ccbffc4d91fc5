import { defineConfig } from '@playwright/test'

/**
 * The desktop shell under Playwright's `_electron`. Runs where the Electron binary and the Electron-ABI
 * better-sqlite3 build exist (after one `npm start` on a workstation); elsewhere every test reports a skip with the
 * reason. Needs a display: on a headless box wrap it in xvfb-run, and in the private keyring for a real keychain:
 *   bash scripts/with-keyring.sh xvfb-run -a npx playwright test -c playwright.electron.config.ts
 */
export default defineConfig({
  testDir: 'test/electron',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/electron',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One app at a time: each test file launches its own Electron with a fresh user-data folder.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' }
})
