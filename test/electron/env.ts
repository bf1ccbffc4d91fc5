import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveSqliteBinding } from '../../src/main/shell/native'

export const ROOT = join(__dirname, '..', '..')

/** The Electron binary, found the way scripts/electron-binary.mjs finds it (without starting a download). */
export function electronBinary(): string | null {
  const rel =
    process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : process.platform === 'win32'
        ? 'electron.exe'
        : 'electron'
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(ROOT, 'node_modules', 'electron', 'dist')
  const p = join(dist, rel)
  return existsSync(p) ? p : null
}

export function electronVersion(): string {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version
}

/** Why the suite cannot run on this machine, or null when it can. */
export function skipReason(): string | null {
  const version = electronVersion()
  if (!electronBinary())
    return (
      `the Electron ${version} binary is not installed (node_modules/electron/dist is missing and could not be ` +
      'downloaded on this machine); run `npm start` once where Electron can be downloaded, then rerun this suite'
    )
  const binding = resolveSqliteBinding({
    isPackaged: false,
    resourcesPath: '',
    appPath: ROOT,
    electronVersion: version,
    platform: process.platform,
    arch: process.arch
  })
  if (!existsSync(binding))
    return `better-sqlite3 is not built for Electron ${version} (${binding}); run \`node scripts/native.mjs\``
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) return 'the app is not built; run `npm run build`'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no display; run the suite under `xvfb-run -a`'
  return null
}

/**
 * Chromium's sandbox refuses to start as root (CI containers): only then, and only in tests, the OS-level sandbox is
 * switched off. The app's own `sandbox: true` renderer settings are unchanged.
 */
export function launchArgs(): string[] {
  return process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []
}
