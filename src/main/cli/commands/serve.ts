import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Command } from 'commander'
import { serveConsole } from '../../web/serve-console'
import { failure, parseIntOption, type CliContext } from '../runtime'
import type { Core } from '../../core'
import { topCommand } from '../table'

/** out/main/cli.js -> out/renderer; this module may also sit one level down, in a shared chunk (out/main/chunks). */
function defaultRendererDir(): string {
  const built = [join(__dirname, '..', 'renderer'), join(__dirname, '..', '..', 'renderer')]
  return process.env.TOKENDESK_RENDERER_DIR ?? built.find((d) => existsSync(join(d, 'index.html'))) ?? built[0]
}

/**
 * The web mode runs the expiry watch while it serves (its console shows the reports as a banner). Built after the store
 * opened, off the path of the first answer; a store that cannot build it simply has no watch. Settles once it started
 * or was skipped (a stop asked meanwhile), so a stop can wait for it before the store closes.
 */
async function startExpiryWatch(core: Core, stopping: () => boolean): Promise<void> {
  await yieldToLoop()
  if (stopping()) return
  const r = await core.dispatch('watch:status', {})
  if (r.ok && !stopping()) core.services.hygiene.watch.start()
}

/** `tokendesk serve`: the console in a browser, on 127.0.0.1 only. */
export function register(program: Command, ctx: CliContext): void {
  topCommand(program, 'serve')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parseIntOption('--port'), 7357)
    .action(async (o: { port: number }) => {
      const rendererDir = defaultRendererDir()
      if (!existsSync(join(rendererDir, 'index.html')))
        throw failure('IO', `The console is not built (no ${rendererDir}/index.html). Run \`npm run build\` first.`)
      // Listening for Ctrl+C and termination before the URL line is out: a stop then waits for the store's warm-up to
      // settle (the store closes after it, never under it), and the warm-up starts nothing new once a stop was asked.
      let stopping = false
      let watching = Promise.resolve()
      const stopAsked = new Promise<void>((ask) => {
        const stop = () => {
          stopping = true
          ask()
        }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      const { web, ready } = await serveConsole({
        rendererDir,
        port: o.port,
        open: async () => {
          await ctx.load()
          const core = ctx.open()
          core.deps.mode = 'web'
          // The store opens now (a failure is reported once, here) and the domains of the console's first screen are
          // built, instead of on the first RPC, which a browser opened on the URL sends a moment later. Each step
          // holds the thread, so the page's own requests are let through between them.
          const steps = [
            () => void core.db,
            () => core.dispatch('tokens:counts', {}),
            () => core.dispatch('audit:list', { limit: 1 })
          ]
          for (const step of steps) {
            if (stopping) return core
            await step()
            await yieldToLoop()
          }
          watching = startExpiryWatch(core, () => stopping)
          return core
        },
        out: (line) => process.stdout.write(line),
        err: (line) => process.stderr.write(line)
      })
      process.stderr.write(
        `TokenDesk console on ${web.url} (loopback only; data folder ${ctx.dataDir}). Ctrl+C stops it.\n`
      )
      await stopAsked
      await ready
      await watching
      await web.close()
    })
}
