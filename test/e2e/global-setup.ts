import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

/**
 * The browser tests drive the BUILT console through `tokendesk serve`, so the build must be current. Build under the
 * shared lock (other builds may run in parallel) unless the caller already did (TOKENDESK_E2E_SKIP_BUILD=1).
 */
export default function globalSetup(): void {
  if (process.env.TOKENDESK_E2E_SKIP_BUILD === '1' && existsSync(join(root, 'out', 'renderer', 'index.html'))) return
  try {
    execFileSync('flock', ['/tmp/build.lock', 'npx', 'electron-vite', 'build'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe']
    })
  } catch (e) {
    // Keep the reason visible; the tests then run against the last good build, which the check below requires.
    process.stderr.write(
      `global-setup: the build failed, testing the previous build in out/:\n${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 2000)}\n`
    )
  }
  for (const f of ['out/main/cli.js', 'out/renderer/index.html'])
    if (!existsSync(join(root, f))) throw new Error(`The build did not produce ${f}`)
}
