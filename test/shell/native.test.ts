import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { electronBindingDir, NATIVE_CACHE_DIR, resolveSqliteBinding, SQLITE_BINDING_FILE } from '../../src/main/shell/native'
// @ts-expect-error plain ESM script without types
import * as script from '../../scripts/native.mjs'

describe('dual better-sqlite3 builds', () => {
  it('the shell and scripts/native.mjs agree on where the Electron build lives', () => {
    expect(script.NATIVE_CACHE_DIR).toBe(NATIVE_CACHE_DIR)
    expect(script.SQLITE_BINDING_FILE).toBe(SQLITE_BINDING_FILE)
    expect(script.electronBindingDir('/app', '45.4.1', 'linux', 'x64')).toBe(electronBindingDir('/app', '45.4.1', 'linux', 'x64'))
  })

  it("development loads the cached Electron build, never Node's; a packaged app only its own resources", () => {
    const ctx = { resourcesPath: '/opt/TokenDesk/resources', appPath: '/src/tokendesk', electronVersion: '45.4.1', platform: 'linux', arch: 'x64' }
    expect(resolveSqliteBinding({ ...ctx, isPackaged: false })).toBe(
      join('/src/tokendesk', 'node_modules', '.cache', 'tokendesk-native', 'electron-45.4.1-linux-x64', 'better_sqlite3.node')
    )
    expect(resolveSqliteBinding({ ...ctx, isPackaged: true })).toBe(join('/opt/TokenDesk/resources', 'native', 'better_sqlite3.node'))
    expect(resolveSqliteBinding({ ...ctx, isPackaged: false })).not.toContain(join('better-sqlite3', 'build'))
  })
})
