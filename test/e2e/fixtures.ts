import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { ConsolePage } from './pages/console.page'
import { ROOT, startServe, type ServeHandle } from './serve'

export { rpc, startServe, type ServeHandle } from './serve'
export const ARTIFACTS = join(ROOT, 'artifacts', 'screens')

interface Fixtures {
  dataDir: string
  serve: ServeHandle
  app: ConsolePage
}

export const test = base.extend<Fixtures>({
  // A fresh data folder per test (Bruno's fresh user-data folder per test).
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
  serve: async ({ dataDir }, use) => {
    const s = await startServe(dataDir)
    await use(s)
    await s.stop()
  },
  app: async ({ page, serve }, use) => {
    const app = new ConsolePage(page, serve)
    await app.open()
    await use(app)
  }
})

export { expect }
export type { Page }

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, `${name}.png`)
}

