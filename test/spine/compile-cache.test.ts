import { afterAll, describe, expect, it } from 'vitest'
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { tempDir } from '../helpers/core'

// bin/compile-cache.js: the CLI's code cache on Nodes without module.enableCompileCache. Each run is a fresh process
// with TMPDIR pointed at a folder of the test's own, where the cache folder goes.
const CACHE_JS = join(__dirname, '..', '..', 'bin', 'compile-cache.js')
const dir = tempDir('tokendesk-compile-cache-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const root = join(dir, 'app')
mkdirSync(root, { recursive: true })
writeFileSync(join(root, 'a.js'), "exports.value = require('./b.js').twice(21) + ':' + __filename.endsWith('a.js')\n")
writeFileSync(join(root, 'b.js'), 'exports.twice = (n) => n * 2\n')
const outside = join(dir, 'outside.js')
writeFileSync(outside, 'exports.value = 1\n')

function run(tmp: string): string {
  const script = `require(${JSON.stringify(CACHE_JS)}).install(${JSON.stringify(root)});process.stdout.write(require(${JSON.stringify(join(root, 'a.js'))}).value + ',' + require(${JSON.stringify(outside)}).value)`
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp }
  })
  expect(r.status, r.stderr).toBe(0)
  return r.stdout
}

const cacheOf = (tmp: string) => {
  const [folder] = readdirSync(tmp).filter((f) => f.startsWith('tokendesk-compile-cache-'))
  return folder ? join(tmp, folder) : null
}

describe('the CLI code cache (bin/compile-cache.js)', () => {
  it('saves the bundle files it compiled and runs from them next time, with the same result', () => {
    const tmp = join(dir, 'tmp-ok')
    mkdirSync(tmp)
    expect(run(tmp)).toBe('42:true,1')
    const cache = cacheOf(tmp)!
    expect((statSync(cache).mode & 0o777).toString(8)).toBe('700')
    const files = readdirSync(cache)
    expect(files).toHaveLength(2) // a.js and b.js; outside.js is not under the root
    const before = files.map((f) => statSync(join(cache, f)).mtimeMs)
    expect(run(tmp)).toBe('42:true,1')
    // Accepted caches are not written again.
    expect(readdirSync(cache).map((f) => statSync(join(cache, f)).mtimeMs)).toEqual(before)
  })

  it('replaces a cache V8 rejects and still runs the code', () => {
    const tmp = join(dir, 'tmp-bad')
    mkdirSync(tmp)
    run(tmp)
    const cache = cacheOf(tmp)!
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), 'not bytecode')
    expect(run(tmp)).toBe('42:true,1')
    for (const f of readdirSync(cache)) expect(readFileSync(join(cache, f), 'utf8')).not.toBe('not bytecode')
  })

  it('keeps the old build of a file out: a changed file gets a new cache and the old one goes', () => {
    const tmp = join(dir, 'tmp-changed')
    mkdirSync(tmp)
    run(tmp)
    const cache = cacheOf(tmp)!
    const first = readdirSync(cache).sort()
    writeFileSync(join(root, 'b.js'), 'exports.twice = (n) => n + n\n')
    try {
      expect(run(tmp)).toBe('42:true,1')
      const second = readdirSync(cache).sort()
      expect(second).toHaveLength(2)
      expect(second).not.toEqual(first)
    } finally {
      writeFileSync(join(root, 'b.js'), 'exports.twice = (n) => n * 2\n')
    }
  })

  it('keeps one cache per checkout: two builds with the same file names do not evict each other', () => {
    const tmp = join(dir, 'tmp-two')
    mkdirSync(tmp)
    const other = join(dir, 'other-app')
    mkdirSync(other, { recursive: true })
    writeFileSync(join(other, 'a.js'), "exports.value = 'other'\n")
    run(tmp)
    const cache = cacheOf(tmp)!
    const first = readdirSync(cache).sort()
    const script = `require(${JSON.stringify(CACHE_JS)}).install(${JSON.stringify(other)});process.stdout.write(require(${JSON.stringify(join(other, 'a.js'))}).value)`
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp }
    })
    expect(r.stdout).toBe('other')
    const after = readdirSync(cache)
    expect(after).toHaveLength(3)
    for (const f of first) expect(after).toContain(f)
  })

  it('keeps a cache per variant (the command a run names), each with the functions its own runs compiled', () => {
    const tmp = join(dir, 'tmp-variant')
    mkdirSync(tmp)
    for (const variant of ['tokens', 'jwt', 'tokens']) {
      const script = `require(${JSON.stringify(CACHE_JS)}).install(${JSON.stringify(root)}, '${variant}');process.stdout.write(require(${JSON.stringify(join(root, 'a.js'))}).value)`
      const r = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp }
      })
      expect(r.stdout).toBe('42:true')
    }
    const files = readdirSync(cacheOf(tmp)!)
    expect(files).toHaveLength(4)
    expect(files.filter((f) => f.includes('~tokens@'))).toHaveLength(2)
    expect(files.filter((f) => f.includes('~jwt@'))).toHaveLength(2)
  })

  it.skipIf(process.platform === 'win32')('uses no cache folder that others may write to', () => {
    const tmp = join(dir, 'tmp-shared')
    mkdirSync(tmp)
    const cache = join(tmp, `tokendesk-compile-cache-${process.getuid!()}`)
    mkdirSync(cache)
    chmodSync(cache, 0o777)
    expect(run(tmp)).toBe('42:true,1')
    expect(readdirSync(cache)).toEqual([])
  })
})
