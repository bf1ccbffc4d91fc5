import { join } from 'node:path'

/**
 * better-sqlite3 is compiled twice: for Node (node_modules/better-sqlite3/build, used by tests, the CLI and web mode)
 * and for Electron's ABI (prepared by scripts/native.mjs, kept apart so `npm test` keeps working after `npm start`).
 * The shell picks Electron's build at load time and hands it to createCore({ nativeBinding }).
 * Keep in step with scripts/native.mjs (test/shell/native.test.ts checks both name the same file).
 */
export const NATIVE_CACHE_DIR = join('node_modules', '.cache', 'tokendesk-native')
export const SQLITE_BINDING_FILE = 'better_sqlite3.node'

export function electronBindingDir(appRoot: string, electronVersion: string, platform: string, arch: string): string {
  return join(appRoot, NATIVE_CACHE_DIR, `electron-${electronVersion}-${platform}-${arch}`)
}

export interface NativeBindingContext {
  isPackaged: boolean
  /** process.resourcesPath: packaged builds ship the binding in resources/native (electron-builder.yml). */
  resourcesPath: string
  /** app.getAppPath(): the project root in development. */
  appPath: string
  electronVersion: string
  platform: string
  arch: string
}

/**
 * The Electron-ABI better_sqlite3.node to load. A packaged app only ever loads the copy inside its own resources
 * (no environment variable can point it elsewhere: with the RunAsNode and NODE_OPTIONS fuses off, that would be the
 * last way to inject native code).
 */
export function resolveSqliteBinding(ctx: NativeBindingContext): string {
  if (ctx.isPackaged) return join(ctx.resourcesPath, 'native', SQLITE_BINDING_FILE)
  return join(electronBindingDir(ctx.appPath, ctx.electronVersion, ctx.platform, ctx.arch), SQLITE_BINDING_FILE)
}
