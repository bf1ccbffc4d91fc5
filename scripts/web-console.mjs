// Starts the web console (`tokendesk serve`) as a child and hands back its session URL: used by `npm start` where the
// desktop window cannot open, and by `npm run dev:web`. No dependencies beyond Node.
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { createInterface } from 'node:readline'

/** Spawns `bin/tokendesk serve`; resolves to { child, url } once the first stdout line (the session URL) arrives. */
export function startServe(root, args = [], env = process.env) {
  const child = spawn(process.execPath, [join(root, 'bin', 'tokendesk'), 'serve', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  // From the moment the server exists: a signal sent to this process alone (kill, a process manager) would otherwise
  // end it and leave the server running behind it.
  forwardSignals(child)
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (url) => resolve({ child, url: url.trim() }))
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          signal
            ? `tokendesk serve was stopped (${signal}) before it printed its URL`
            : `tokendesk serve exited with ${code} before printing its URL`
        )
      )
    )
  })
}

function onPath(command, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK)
      return true
    } catch {
      // not in this folder
    }
  }
  return false
}

/**
 * The command that opens a URL in the default browser, or null when there is none. TOKENDESK_BROWSER overrides it
 * (a command, or `none`), so tests and headless machines never launch a browser.
 */
export function browserOpener(env = process.env, platform = process.platform) {
  if (env.TOKENDESK_BROWSER)
    return env.TOKENDESK_BROWSER === 'none' ? null : { command: env.TOKENDESK_BROWSER, args: [] }
  if (platform === 'darwin') return { command: 'open', args: [] }
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', ''] }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null
  return onPath('xdg-open', env) ? { command: 'xdg-open', args: [] } : null
}

/** Opens the URL in the default browser when there is one; true when an opener was started. */
export function openInBrowser(url, env = process.env) {
  const opener = browserOpener(env)
  if (!opener) return false
  const child = spawn(opener.command, [...opener.args, url], { stdio: 'ignore', detached: true, env })
  child.on('error', () => undefined)
  child.unref()
  return true
}

const forwarding = new WeakSet()
/** Forwards Ctrl+C and termination to the child (once per child, however often asked). */
function forwardSignals(child) {
  if (forwarding.has(child)) return
  forwarding.add(child)
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
}

/** Calls `then(code, signal)` when the child exits, at once when it has exited already. */
export function onExit(child, then) {
  if (child.exitCode !== null || child.signalCode !== null) then(child.exitCode, child.signalCode)
  else child.on('exit', then)
}

/** Forwards Ctrl+C and termination to the child and exits with it. */
export function followChild(child) {
  forwardSignals(child)
  onExit(child, (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
