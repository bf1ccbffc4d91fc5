import { afterAll, describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The real electron-builder pipeline (electron-builder.yml, files, asar, extraResources, the afterPack fuse hook) run
 * to an unpacked Linux folder over a stand-in Electron distribution, so it runs where the Electron binary cannot be
 * downloaded. What it cannot show: that the real binary starts (the _electron suite does that on a workstation).
 */
const root = join(__dirname, '..', '..')
const require = createRequire(import.meta.url)
const work = mkdtempSync(join(tmpdir(), 'tokendesk-package-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function standInElectron(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true })
  const wire = Buffer.concat([
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('10110001')
  ])
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), wire]))
  chmodSync(join(dir, 'electron'), 0o755)
  writeFileSync(join(dir, 'version'), version)
  writeFileSync(join(dir, 'LICENSE'), 'stand-in')
}

describe.runIf(process.platform === 'linux')('electron-builder over a stand-in Electron (linux dir target)', () => {
  it('packs the built app into app.asar, ships the Electron-ABI binding in resources/native and flips the fuses', async () => {
    expect(existsSync(join(root, 'out', 'main', 'index.js')), 'build first: npx electron-vite build').toBe(true)
    const { build, Platform } = require('electron-builder')
    const configLib = require('app-builder-lib/out/util/config/config.js')
    const { extractFile, listPackage } = require('@electron/asar')
    const { getCurrentFuseWire } = require('@electron/fuses')
    const version = require('electron/package.json').version

    const dist = join(work, 'electron-dist')
    standInElectron(dist, version)
    // A stand-in for scripts/native.mjs's output: any file will do, the test only checks where it lands.
    const native = join(work, 'native')
    mkdirSync(native)
    copyFileSync(
      join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
      join(native, 'better_sqlite3.node')
    )

    const config = await configLib.getConfig(root, 'electron-builder.yml', null)
    config.extraResources = [{ ...config.extraResources[0], from: native }]
    config.electronDist = dist
    config.directories = { ...config.directories, output: join(work, 'dist') }
    await build({ projectDir: root, config, targets: Platform.LINUX.createTarget('dir'), publish: 'never' })

    const app = join(work, 'dist', 'linux-unpacked')
    expect(readdirSync(app)).toContain('tokendesk')
    const asar = join(app, 'resources', 'app.asar')
    const files = listPackage(asar, { isPack: false }) as string[]
    for (const f of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json'])
      expect(files, f).toContain(f)
    expect(
      files.some((f) => f.includes('better-sqlite3/build')),
      "Node's better-sqlite3 build must stay out"
    ).toBe(false)
    expect(files.some((f) => f.endsWith('.map'))).toBe(false)
    expect(JSON.parse(extractFile(asar, 'package.json').toString()).main).toBe('out/main/index.js')
    expect(existsSync(join(app, 'resources', 'native', 'better_sqlite3.node'))).toBe(true)
    expect(
      existsSync(
        join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'keytar', 'build', 'Release', 'keytar.node')
      )
    ).toBe(true)

    const wire = await getCurrentFuseWire(join(app, 'tokendesk'))
    expect([0, 1, 2, 3, 4, 5, 7].map((i) => String.fromCharCode(wire[i])).join('')).toBe('0100110')
  }, 180_000)
})
