// better-sqlite3 for Electron's ABI, built apart from Node's so `npm test` keeps using the Node build
// (node_modules/better-sqlite3/build) while the desktop shell loads this one through createCore({ nativeBinding }).
// Layout: node_modules/.cache/tokendesk-native/electron-<version>-<platform>-<arch>/better_sqlite3.node
// (keep in step with src/main/shell/native.ts; test/shell/native.test.ts checks both).
// Usage: node scripts/native.mjs            -> prepares the build for the installed Electron, prints its path
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const NATIVE_CACHE_DIR = join('node_modules', '.cache', 'tokendesk-native')
export const SQLITE_BINDING_FILE = 'better_sqlite3.node'

export function electronBindingDir(root, electronVersion, platform = process.platform, arch = process.arch) {
  return join(root, NATIVE_CACHE_DIR, `electron-${electronVersion}-${platform}-${arch}`)
}

function readVersion(file) {
  return JSON.parse(readFileSync(file, 'utf8')).version
}

/**
 * Returns { file } or { error } (one line). Reuses a build made for the same Electron and better-sqlite3 versions.
 * Builds in a throwaway copy of the module with @electron/rebuild (a prebuilt binary when one can be downloaded,
 * else node-gyp against Electron's headers), then copies the .node file into the cache; the installed module is never
 * touched.
 */
export async function prepareElectronSqlite(
  root,
  { electronVersion, platform = process.platform, arch = process.arch, log = () => {} } = {}
) {
  const moduleDir = join(root, 'node_modules', 'better-sqlite3')
  if (!existsSync(join(moduleDir, 'package.json'))) return { error: 'better-sqlite3 is not installed (run npm ci)' }
  const sqliteVersion = readVersion(join(moduleDir, 'package.json'))
  const dir = electronBindingDir(root, electronVersion, platform, arch)
  const file = join(dir, SQLITE_BINDING_FILE)
  const stampFile = join(dir, 'stamp.json')
  const stamp = { electronVersion, betterSqlite3: sqliteVersion, platform, arch }
  if (existsSync(file) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp))
    return { file }

  // Staged inside the project so @electron/rebuild finds prebuild-install and node-gyp by walking up node_modules.
  mkdirSync(join(root, NATIVE_CACHE_DIR), { recursive: true })
  const stage = mkdtempSync(join(root, NATIVE_CACHE_DIR, 'stage-'))
  try {
    const staged = join(stage, 'node_modules', 'better-sqlite3')
    cpSync(moduleDir, staged, { recursive: true, filter: (src) => !src.startsWith(join(moduleDir, 'build')) })
    writeFileSync(
      join(stage, 'package.json'),
      JSON.stringify({
        name: 'tokendesk-native-stage',
        private: true,
        dependencies: { 'better-sqlite3': sqliteVersion }
      })
    )
    log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${platform}-${arch})...`)
    const { rebuild } = await import('@electron/rebuild')
    // Node's headers folder (npm_config_nodedir=/usr on these machines) must not leak into an Electron build.
    const saved = process.env.npm_config_nodedir
    delete process.env.npm_config_nodedir
    try {
      await rebuild({
        buildPath: stage,
        electronVersion,
        platform,
        arch,
        onlyModules: ['better-sqlite3'],
        force: true,
        mode: 'sequential'
      })
    } finally {
      if (saved !== undefined) process.env.npm_config_nodedir = saved
    }
    const built = join(staged, 'build', 'Release', SQLITE_BINDING_FILE)
    if (!existsSync(built)) return { error: `the build finished without ${SQLITE_BINDING_FILE}` }
    mkdirSync(dir, { recursive: true })
    copyFileSync(built, file)
    writeFileSync(stampFile, JSON.stringify(stamp))
    return { file }
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim()) ?? 'unknown error'
    return { error: msg.trim() }
  } finally {
    rmSync(stage, { recursive: true, force: true })
  }
}

/**
 * The same, in a child process whose output is kept out of the user's terminal (node-gyp prints stack traces) and
 * written to <cache>/last-build.log instead. Returns { file } or { error, logFile }.
 */
export function prepareElectronSqliteQuietly(root) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20 * 60_000
  })
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`
  const logFile = join(root, NATIVE_CACHE_DIR, 'last-build.log')
  try {
    mkdirSync(dirname(logFile), { recursive: true })
    writeFileSync(logFile, out)
  } catch {
    // the log is a convenience
  }
  const file = (r.stdout ?? '').trim().split('\n').pop()
  if (r.status === 0 && file && existsSync(file)) return { file }
  const offline = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|fetch failed|getaddrinfo/i.test(out)
  return {
    error: offline
      ? "neither a prebuilt binary nor Electron's headers could be downloaded"
      : (r.stderr ?? '').trim().split('\n').pop() || `exit ${r.status}`,
    logFile
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const electronVersion = readVersion(join(root, 'node_modules', 'electron', 'package.json'))
  const r = await prepareElectronSqlite(root, { electronVersion, log: (m) => console.error(m) })
  if (r.error) {
    console.error(`Could not build better-sqlite3 for Electron ${electronVersion}: ${r.error}.`)
    process.exit(1)
  }
  console.log(r.file)
}
