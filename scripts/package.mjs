// `npm run package:linux` (also: node scripts/package.mjs mac | win): builds the app and packages it with
// electron-builder (electron-builder.yml). Needs the Electron binary for the target and better-sqlite3 built for
// Electron's ABI; where either cannot be had it fails with one clear sentence and exit code 1.
// Extra arguments go to electron-builder (e.g. `node scripts/package.mjs linux --dir` for an unpacked folder only).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronVersion, obtainElectronBinary } from './electron-binary.mjs'
import { prepareElectronSqliteQuietly, SQLITE_BINDING_FILE } from './native.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const TARGETS = { linux: ['--linux', 'AppImage', 'deb'], mac: ['--mac', 'dmg'], win: ['--win', 'nsis'] }
const HOST = { linux: 'linux', darwin: 'mac', win32: 'win' }[process.platform]

function fail(sentence) {
  process.stderr.write(`${sentence}\n`)
  process.exit(1)
}

const [platform, ...extra] = process.argv.slice(2)
if (!TARGETS[platform]) fail(`Usage: node scripts/package.mjs linux|mac|win [electron-builder options]`)
if (platform !== HOST)
  fail(`Packaging for ${platform} must run on ${platform}: better-sqlite3 cannot be cross-compiled for Electron.`)

const version = electronVersion(root)
const electron = obtainElectronBinary(root)
if (electron.error)
  fail(
    `Cannot package TokenDesk for ${platform}: the Electron ${version} binary could not be downloaded (${electron.error}), so no ${TARGETS[platform].slice(1).join(' or ')} was produced.`
  )

const native = prepareElectronSqliteQuietly(root)
if (native.error)
  fail(
    `Cannot package TokenDesk for ${platform}: better-sqlite3 could not be built for Electron ${version} (${native.error}; see ${native.logFile}).`
  )

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) fail('Cannot package TokenDesk: the build (electron-vite build) failed (see above).')

// electron-builder.yml ships out/native/better_sqlite3.node as resources/native (src/main/shell/native.ts).
mkdirSync(join(root, 'out', 'native'), { recursive: true })
copyFileSync(native.file, join(root, 'out', 'native', SQLITE_BINDING_FILE))

// Reuse the Electron we already have instead of letting electron-builder download it a second time.
const dist = dirname(electron.binary).replace(/[/\\]Electron\.app[/\\]Contents[/\\]MacOS$/, '')
const args = [
  'electron-builder',
  ...TARGETS[platform],
  '--config',
  'electron-builder.yml',
  '--publish',
  'never',
  `-c.electronDist=${dist}`,
  ...extra
]
const r = spawnSync('npx', args, { cwd: root, stdio: 'inherit' })
if (r.status !== 0) fail(`Cannot package TokenDesk for ${platform}: electron-builder failed (see above).`)
console.log(`Packages are in ${join(root, 'dist')}.`)
