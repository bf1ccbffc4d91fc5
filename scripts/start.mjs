// `npm start`, after scripts/setup.mjs has installed the dependencies and built: obtains the Electron binary, prepares
// better-sqlite3 for Electron's ABI (kept apart from Node's build, scripts/native.mjs) and launches the desktop app.
// Where the desktop window cannot open, it says why in one line and runs the same console in the browser instead;
// `npm start -- --web` asks for the browser directly (`--port N` picks its port).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronVersion, obtainElectronBinary } from './electron-binary.mjs'
import { prepareElectronSqliteQuietly } from './native.mjs'
import { followChild, openInBrowser, startServe } from './web-console.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  process.stderr.write(
    'TokenDesk is not built yet: run `npm run build` (or `npm start`, which builds first) and try again.\n'
  )
  process.exit(1)
}

async function startWeb() {
  const i = args.indexOf('--port')
  const port = i >= 0 ? args[i + 1] : '7357'
  let served
  try {
    served = await startServe(root, ['--port', port])
  } catch (e) {
    process.stderr.write(`TokenDesk's web console did not start: ${e.message}\n`)
    process.exit(1)
  }
  const opened = openInBrowser(served.url)
  process.stdout.write(`${opened ? 'Opened in your browser' : 'Open the console in your browser'}: ${served.url}\n`)
  followChild(served.child)
}

/** { binary } when the desktop window can open here, else { blocker }: why not, in a few words. */
function desktop() {
  const version = electronVersion(root)
  const electron = obtainElectronBinary(root)
  if (electron.error)
    return { blocker: `no Electron ${version} binary in ${electron.where}; download failed: ${electron.error}` }
  const native = prepareElectronSqliteQuietly(root)
  if (native.error)
    return { blocker: `SQLite could not be built for Electron ${version}; details in ${native.logFile}` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { blocker: 'no graphical session' }
  if (process.platform === 'linux' && process.getuid?.() === 0)
    return { blocker: "Chromium's sandbox refuses to run as root" }
  return { binary: electron.binary }
}

if (args.includes('--web')) {
  await startWeb()
} else {
  const d = desktop()
  if (d.blocker) {
    process.stderr.write(
      `TokenDesk cannot open its desktop window here (${d.blocker}): starting the web console instead.\n`
    )
    await startWeb()
  } else {
    // Electron runs out/main/index.js (package.json "main"); it finds its better-sqlite3 build by the same rule.
    followChild(spawn(d.binary, ['.', ...args], { cwd: root, stdio: 'inherit' }))
  }
}
