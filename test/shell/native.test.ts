import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  electronBindingDir,
  NATIVE_CACHE_DIR,
  resolveSqliteBinding,
  SQLITE_BINDING_FILE
} from '../../src/main/shell/native'
// @ts-expect-error plain ESM script without types
import * as script from '../../scripts/native.mjs'

describe('dual better-sqlite3 builds', () => {
  it('the shell and scripts/native.mjs agree on where the Electron build lives', () => {
    expect(script.NATIVE_CACHE_DIR).toBe(NATIVE_CACHE_DIR)
    expect(script.SQLITE_BINDING_FILE).toBe(SQLITE_BINDING_FILE)
    expect(script.electronBindingDir('/app', '45.4.1', 'linux', 'x64')).toBe(
      electronBindingDir('/app', '45.4.1', 'linux', 'x64')
    )
  })

  it("development loads the cached Electron build, never Node's; a packaged app only its own resources", () => {
    const ctx = {
      resourcesPath: '/opt/TokenDesk/resources',
      appPath: '/src/tokendesk',
      electronVersion: '45.4.1',
      platform: 'linux',
      arch: 'x64'
    }
    expect(resolveSqliteBinding({ ...ctx, isPackaged: false })).toBe(
      join(
        '/src/tokendesk',
        'node_modules',
        '.cache',
        'tokendesk-native',
        'electron-45.4.1-linux-x64',
        'better_sqlite3.node'
      )
    )
    expect(resolveSqliteBinding({ ...ctx, isPackaged: true })).toBe(
      join('/opt/TokenDesk/resources', 'native', 'better_sqlite3.node')
    )
    expect(resolveSqliteBinding({ ...ctx, isPackaged: false })).not.toContain(join('better-sqlite3', 'build'))
  })

  it('reuses a build made for the same Electron and better-sqlite3, and says so when the module is missing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tokendesk-native-'))
    try {
      expect(await script.prepareElectronSqlite(root, { electronVersion: '45.4.1' })).toEqual({
        error: 'better-sqlite3 is not installed (run npm ci)'
      })
      mkdirSync(join(root, 'node_modules', 'better-sqlite3'), { recursive: true })
      writeFileSync(
        join(root, 'node_modules', 'better-sqlite3', 'package.json'),
        JSON.stringify({ version: '12.11.1' })
      )
      const dir = script.electronBindingDir(root, '45.4.1', 'linux', 'x64')
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, SQLITE_BINDING_FILE), 'prebuilt')
      writeFileSync(
        join(dir, 'stamp.json'),
        JSON.stringify({ electronVersion: '45.4.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' })
      )
      expect(
        await script.prepareElectronSqlite(root, { electronVersion: '45.4.1', platform: 'linux', arch: 'x64' })
      ).toEqual({ file: join(dir, SQLITE_BINDING_FILE) })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
