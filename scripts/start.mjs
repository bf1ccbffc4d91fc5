// `npm start`, after scripts/setup.mjs has installed the dependencies and built: obtains the Electron binary, prepares
// better-sqlite3 for Electron's ABI (kept apart from Node's build, scripts/native.mjs) and launches the desktop app.
// Where Electron cannot be obtained it says so in one paragraph, names the web mode, and exits non-zero.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronVersion, obtainElectronBinary } from './electron-binary.mjs'
import { prepareElectronSqliteQuietly } from './native.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const WEB_MODE =
  'Meanwhile the same console runs in your browser: `npx tokendesk serve` prints a local URL (with its session token) to open.'

function stop(paragraph, code = 1) {
  process.stderr.write(`\n${paragraph}\n\n`)
  process.exit(code)
}

if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html')))
  stop('TokenDesk is not built yet: run `npm run build` (or `npm start`, which builds first) and try again.')

const version = electronVersion(root)
const electron = obtainElectronBinary(root)
if (electron.error)
  stop(
    `TokenDesk cannot open its desktop window here: the Electron ${version} binary is not installed ` +
      `(nothing in ${electron.where}) and downloading it failed (${electron.error}). ${WEB_MODE} ` +
      'To get the desktop app, run `npm start` on a machine that can download Electron, or point ELECTRON_MIRROR at a ' +
      'mirror you can reach, or ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron ' +
      `${version} folder.`
  )

const native = prepareElectronSqliteQuietly(root)
if (native.error)
  stop(
    `TokenDesk cannot open its desktop window here: its SQLite module could not be built for Electron ${version} ` +
      `(${native.error}; details in ${native.logFile}). ${WEB_MODE} ` +
      'On a machine that can download Electron\'s headers (and has a C++ toolchain), `npm start` builds it once and reuses it.'
  )

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
  stop(`TokenDesk's desktop window needs a graphical session (no DISPLAY or WAYLAND_DISPLAY is set). ${WEB_MODE}`)
if (process.platform === 'linux' && process.getuid?.() === 0)
  stop(
    `TokenDesk's desktop window keeps Chromium's sandbox on, and that sandbox refuses to run as root: start it as a ` +
      `normal user. ${WEB_MODE}`
  )

// Electron runs out/main/index.js (package.json "main"); it finds its better-sqlite3 build by the same rule.
const child = spawn(electron.binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
