// Finds the Electron binary WITHOUT requiring the `electron` package (its index.js starts a download when the binary
// is missing), and tries to obtain it once through Electron's own installer. No dependencies beyond Node.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export function electronPackageDir(root) {
  return join(root, 'node_modules', 'electron')
}

export function electronVersion(root) {
  return JSON.parse(readFileSync(join(electronPackageDir(root), 'package.json'), 'utf8')).version
}

function platformPath(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/** The executable, or null when it is not installed. Honors ELECTRON_OVERRIDE_DIST_PATH like electron's index.js. */
export function findElectronBinary(root, env = process.env) {
  const dir = electronPackageDir(root)
  if (!existsSync(join(dir, 'package.json'))) return null
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, platformPath())
    return existsSync(p) ? p : null
  }
  const p = join(dir, 'dist', platformPath())
  return existsSync(p) ? p : null
}

/**
 * Returns { binary } or { error } (one line, no stack trace). Runs electron's install.js (which downloads through
 * @electron/get, honoring ELECTRON_MIRROR and electron_config_cache) once when the binary is missing.
 */
export function obtainElectronBinary(root, { timeoutMs = 10 * 60_000 } = {}) {
  const found = findElectronBinary(root)
  if (found) return { binary: found }
  const installer = join(electronPackageDir(root), 'install.js')
  if (!existsSync(installer))
    return { error: 'the electron package is not installed (run npm ci)', where: 'node_modules/electron' }
  const r = spawnSync(process.execPath, [installer], { cwd: root, encoding: 'utf8', timeout: timeoutMs })
  const again = findElectronBinary(root)
  if (again) return { binary: again }
  const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /error|fail|ENOTFOUND|ECONN|EAI_AGAIN|timed out/i.test(l) && !l.startsWith('at ')) ??
    (r.error ? r.error.message : `installer exited with ${r.status}`)
  const where = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? 'node_modules/electron/dist'
  return { error: line.replace(/^(Type)?Error:\s*/, ''), where }
}
