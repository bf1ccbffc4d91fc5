import { afterAll, describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'

const root = join(__dirname, '..', '..')
const require = createRequire(import.meta.url)
const afterPack = require('../../scripts/after-pack.cjs')
const { notarizeCredentials } = require('../../scripts/notarize.cjs')
const { FuseV1Options, getCurrentFuseWire } = require('@electron/fuses')

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A stand-in Electron binary: junk around the fuse wire exactly as Electron lays it out (sentinel, version, length, states). */
function fakeElectron(dir: string, name: string): string {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
  // Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, asar integrity off,
  // only-asar off, v8 snapshot off, file:// privileges on.
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001')])
  const file = join(dir, name)
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 7), wire, Buffer.alloc(4096, 9)]))
  return file
}

describe('fuses (afterPack hook)', () => {
  it('requires exactly the hardened settings (docs/security.md)', () => {
    const F = afterPack.FUSES
    expect(F[FuseV1Options.RunAsNode]).toBe(false)
    expect(F[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(F[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(F[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(F[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(F[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(F[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
  })

  it('flips them on the packaged Linux binary and verifies the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendesk-fuses-'))
    dirs.push(dir)
    const bin = fakeElectron(dir, 'tokendesk')
    await afterPack({
      appOutDir: dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { appInfo: { productFilename: 'TokenDesk' }, executableName: 'tokendesk' }
    })
    const wire = await getCurrentFuseWire(bin)
    const on = (i: number) => String.fromCharCode(wire[i])
    expect([0, 1, 2, 3, 4, 5, 7].map(on).join('')).toBe('0100110')
    expect(
      readFileSync(bin)
        .subarray(0, 4096)
        .every((b) => b === 7)
    ).toBe(true)
  })

  it('finds the binary per platform', () => {
    const ctx = (p: string) => ({
      appOutDir: '/o',
      electronPlatformName: p,
      packager: { appInfo: { productFilename: 'TokenDesk' }, executableName: 'tokendesk' }
    })
    expect(afterPack.electronBinaryPath(ctx('darwin'))).toBe(join('/o', 'TokenDesk.app'))
    expect(afterPack.electronBinaryPath(ctx('win32'))).toBe(join('/o', 'TokenDesk.exe'))
    expect(afterPack.electronBinaryPath(ctx('linux'))).toBe(join('/o', 'tokendesk'))
  })
})

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema and names the targets, hooks and native binding', async () => {
    const config = require('app-builder-lib/out/util/config/config.js')
    const { DebugLogger } = require('builder-util')
    const cfg = await config.getConfig(root, 'electron-builder.yml', null)
    await config.validateConfiguration(cfg, new DebugLogger(false))
    expect(cfg.linux.target).toEqual(['AppImage', 'deb'])
    expect(cfg.mac.target).toBe('dmg')
    expect(cfg.win.target).toBe('nsis')
    expect(cfg.mac.hardenedRuntime).toBe(true)
    expect(cfg.asar).toBe(true)
    expect(cfg.npmRebuild).toBe(false)
    expect(cfg.protocols[0].schemes).toEqual(['tokendesk'])
    expect(cfg.extraResources[0]).toMatchObject({ from: 'out/native', to: 'native' })
    for (const hook of [cfg.afterPack, cfg.afterSign]) expect(existsSync(join(root, hook)), hook).toBe(true)
    expect(existsSync(join(root, cfg.mac.entitlements))).toBe(true)
  })

  it('ships a 512x512 RGBA PNG icon', () => {
    const png = readFileSync(join(root, 'resources', 'icon.png'))
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.readUInt32BE(16)).toBe(512)
    expect(png.readUInt32BE(20)).toBe(512)
    expect(png[25]).toBe(6)
    const idat = png.indexOf('IDAT')
    expect(inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4))).length).toBe((512 * 4 + 1) * 512)
  })
})

describe('notarization hook', () => {
  it('picks credentials from the environment, or none', () => {
    expect(notarizeCredentials({})).toBeNull()
    expect(notarizeCredentials({ APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'x' })).toBeNull()
    expect(notarizeCredentials({ APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T' })).toEqual({
      appleId: 'a@b.c',
      appleIdPassword: 'x',
      teamId: 'T'
    })
    expect(notarizeCredentials({ APPLE_API_KEY: '/k.p8', APPLE_API_KEY_ID: 'K', APPLE_API_ISSUER: 'I' })).toEqual({
      appleApiKey: '/k.p8',
      appleApiKeyId: 'K',
      appleApiIssuer: 'I'
    })
  })
})
