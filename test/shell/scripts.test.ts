import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const scratch = mkdtempSync(join(tmpdir(), 'tokendesk-noelectron-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/**
 * A machine where Electron cannot be obtained, made deterministic anywhere: no installed binary (an empty override
 * folder), an empty download cache, and a download mirror on a closed loopback port.
 */
const noElectron = {
  ...process.env,
  ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'dist'),
  ELECTRON_MIRROR: 'http://127.0.0.1:9/',
  electron_config_cache: join(scratch, 'cache'),
  DISPLAY: ':99'
}

function run(script: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, env: noElectron, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, out: `${r.stdout}`, err: `${r.stderr}` }
}

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m)

describe('npm start where Electron cannot be obtained', () => {
  it('prints one paragraph naming `npx tokendesk serve` and exits non-zero', () => {
    const r = run('start.mjs')
    expect(r.code).not.toBe(0)
    noStack(r.err)
    const paragraphs = r.err.trim().split(/\n\s*\n/)
    expect(paragraphs).toHaveLength(1)
    if (existsSync(join(root, 'out', 'main', 'index.js'))) {
      expect(r.err).toMatch(/Electron \d+\.\d+\.\d+ binary is not installed/)
      expect(r.err).toContain('npx tokendesk serve')
    } else {
      expect(r.err).toContain('npm run build')
    }
  })
})

describe('npm run package:linux where Electron cannot be downloaded', () => {
  it.runIf(process.platform === 'linux')('fails with one clear sentence', () => {
    const r = run('package.mjs', ['linux'])
    expect(r.code).toBe(1)
    noStack(r.err)
    const lines = r.err.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Cannot package TokenDesk for linux: the Electron \S+ binary could not be downloaded \(.+\), so no AppImage or deb was produced\.$/)
  })

  it('refuses an unknown platform with its usage', () => {
    const r = run('package.mjs', ['beos'])
    expect(r.code).toBe(1)
    expect(r.err.trim()).toBe('Usage: node scripts/package.mjs linux|mac|win [electron-builder options]')
  })
})
