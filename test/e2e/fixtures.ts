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

/** A data folder and the `tokendesk serve` started on it. */
interface Started {
  dir: string
  serve: Promise<ServeHandle>
}

function startFresh(): Started {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-'))
  const serve = startServe(dir)
  // Awaited by the test that takes it; a failed start must not surface as an unhandled rejection before then.
  serve.catch(() => undefined)
  return { dir, serve }
}

async function dispose(s: Started): Promise<void> {
  await (await s.serve.catch(() => null))?.stop()
  rmSync(s.dir, { recursive: true, force: true })
}

/**
 * Each test still gets a fresh data folder and its own server; the worker starts the next test's pair while the current
 * test runs, so a test does not wait for a server process to boot, and stops a finished test's server in the background
 * (its exit can wait on the browser's keep-alive connections), awaiting them all when the worker ends.
 */
class ServePool {
  private spare: Started | null = null
  private retiring: Promise<unknown>[] = []
  take(): Started {
    const s = this.spare ?? startFresh()
    this.spare = startFresh()
    return s
  }
  retire(s: Started): void {
    // Held until close() reports it, so a failed cleanup is not an unhandled rejection in the meantime.
    this.retiring.push(
      dispose(s).then(
        () => null,
        (e: unknown) => e
      )
    )
  }
  async close(): Promise<void> {
    if (this.spare) this.retire(this.spare)
    this.spare = null
    const failed = (await Promise.all(this.retiring)).find((e) => e !== null)
    if (failed) throw failed
  }
}

export const test = base.extend<Fixtures, { servePool: ServePool }>({
  servePool: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const pool = new ServePool()
      await use(pool)
      await pool.close()
    },
    { scope: 'worker' }
  ],
  serve: async ({ servePool }, use) => {
    const started = servePool.take()
    try {
      const serve = await started.serve
      await use(serve)
      // A server that died under the test (a crash, a signal) is the failure to report, not what the page saw after.
      const { exitCode, signalCode } = serve.proc
      if (exitCode !== null || signalCode !== null)
        throw new Error(
          `tokendesk serve died during the test (${signalCode ?? `exit ${exitCode}`}):\n${serve.stderr()}`
        )
    } finally {
      servePool.retire(started)
    }
  },
  // The test's own data folder (Bruno's fresh user-data folder per test): the one its server runs on.
  dataDir: async ({ serve }, use) => {
    await use(serve.dataDir)
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
