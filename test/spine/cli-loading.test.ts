import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/core'
import { channels } from '../../src/shared/contract'

// The built bin, run with a preload that records every module the run loaded, and with V8's coverage on. The bundle
// names each source module it holds in a `// src/...` line; in a chunk whose modules run on first import, a module's
// `init_` function runs when it is imported, so the coverage tells which source modules (and which domain contracts) a
// command evaluated.
const dir = tempDir('tokendesk-cli-loading-')
const recorder = join(dir, 'record.cjs')
writeFileSync(
  recorder,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_TO, [...Object.keys(require.cache), ...process.moduleLoadList].join('\\n')))\n"
)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const DOMAINS = [...new Set(channels.map((c) => c.slice(0, c.indexOf(':'))))]

function run(
  args: string[],
  data: string,
  preloads: string[] = []
): { stdout: string; loaded: string[]; contracts: string[]; sources: string[] } {
  const record = join(dir, 'loaded.txt')
  const coverage = join(dir, `coverage-${++runs}`)
  const extra = preloads.flatMap((p) => ['--require', p])
  const r = spawnSync(process.execPath, ['--require', recorder, ...extra, BIN, '--data', data, ...args], {
    encoding: 'utf8',
    env: { ...process.env, RECORD_TO: record, NODE_V8_COVERAGE: coverage },
    timeout: 60_000
  })
  expect(r.status, r.stderr).toBe(0)
  const loaded = readFileSync(record, 'utf8').split('\n')
  const chunks = loaded.filter((f) => /[\\/]out[\\/]main[\\/].*\.js$/.test(f))
  expect(chunks.length, 'the recorder saw the bundle').toBeGreaterThan(0)
  const ran = initsRun(coverage)
  const sources = chunks.flatMap((f) => evaluatedSources(f, ran.get(f) ?? new Set()))
  const modules = sources.flatMap((s) => /^src\/shared\/contract\/(\w+)\.ts$/.exec(s)?.[1] ?? [])
  return {
    stdout: r.stdout,
    loaded,
    sources,
    contracts: [...new Set(modules.filter((m) => DOMAINS.includes(m)))].sort()
  }
}

let runs = 0

/**
 * Per loaded script (its path, as bin/compile-cache.js names it, or its file URL), the `init_` functions the run
 * called (V8's coverage, written at exit; the names are unique in a file).
 */
function initsRun(coverageDir: string): Map<string, Set<string>> {
  const ran = new Map<string, Set<string>>()
  for (const f of readdirSync(coverageDir)) {
    const { result } = JSON.parse(readFileSync(join(coverageDir, f), 'utf8')) as {
      result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }>
    }
    for (const script of result) {
      const names = script.functions
        .filter((fn) => fn.functionName.startsWith('init_') && fn.ranges[0].count > 0)
        .map((fn) => fn.functionName)
      const file = script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url
      ran.set(file, new Set([...(ran.get(file) ?? []), ...names]))
    }
  }
  return ran
}

/**
 * The source modules a loaded bundle file evaluated: every one it holds, or, in a file whose modules run on first
 * import (an `init_` function each), those whose `init_` function ran.
 */
function evaluatedSources(file: string, ran: Set<string>): string[] {
  const code = readFileSync(file, 'utf8')
  const marks = [...code.matchAll(/^\/\/ (src\/[\w/.-]+\.ts)$/gm)]
  if (!/^function init_/m.test(code)) return marks.map((m) => m[1])
  return marks.flatMap((m, i) => {
    const init = /^function (init_[\w$]+)\(/m.exec(code.slice(m.index, marks[i + 1]?.index ?? code.length))
    return init && ran.has(init[1]) ? [m[1]] : []
  })
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
const TOKEN = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'loading' })}.c2lnbmF0dXJl`

describe('a single-domain command loads only its own domain (the built bin)', () => {
  it('jwt decode builds the jwt and keys contracts only, opens no store and loads no native addon', () => {
    const data = join(dir, 'decode-data')
    const r = run(['--json', 'jwt', 'decode', TOKEN], data)
    expect(JSON.parse(r.stdout)).toMatchObject({ payload: { sub: 'loading' } })
    expect(r.contracts).toEqual(['jwt', 'keys'])
    expect(r.loaded.filter((f) => /[\\/](better-sqlite3|keytar)[\\/]|\.node$/.test(f))).toEqual([])
    expect(existsSync(data)).toBe(false)
  })

  it('tokens counts builds the token store domains only (tokens, access tokens, SSO apps)', () => {
    const r = run(['--json', 'tokens', 'counts'], join(dir, 'counts-data'))
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 0 })
    expect(r.contracts).toEqual(['accessTokens', 'ssoApps', 'tokens'])
    // The JWT engine is loaded by the token channels that sign or verify, not by a count (the CLI's duration parser
    // for --expires-in is the one file of src/main/jwt its options use, the keys table's DDL the one the store's
    // migrations hold).
    const allowed = ['src/main/jwt/duration.ts', 'src/main/jwt/schema.ts']
    expect(r.sources.filter((s) => s.startsWith('src/main/jwt/') && !allowed.includes(s))).toEqual([])
    expect(r.sources).toContain('src/main/tokens/index.ts')
  })

  it('tokens counts and jwt decode load neither node:crypto nor node:worker_threads (signing and bulk loads do)', () => {
    const heavy = (r: { loaded: string[] }) => r.loaded.filter((m) => /^NativeModule (crypto|worker_threads)$/.test(m))
    expect(heavy(run(['--json', 'tokens', 'counts'], join(dir, 'builtins-data')))).toEqual([])
    expect(heavy(run(['--json', 'jwt', 'decode', TOKEN], join(dir, 'builtins-data')))).toEqual([])
  })

  it("tokens counts runs better-sqlite3's JavaScript from the bundle and only its addon from node_modules", () => {
    const r = run(['--json', 'tokens', 'counts'], join(dir, 'sqlite-data'))
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 0 })
    const sqlite = r.loaded.filter((f) => /[\\/]node_modules[\\/](better-sqlite3|bindings)[\\/]/.test(f))
    expect(sqlite.map((f) => f.slice(f.lastIndexOf('node_modules')).replace(/\\/g, '/'))).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    ])
  })

  it('the bundled better-sqlite3 still finds its addon where it is not at the usual path', () => {
    // The CLI names the addon's file when it is at build/Release; hide it there, so the addon's own lookup runs.
    const hide = join(dir, 'hide-addon.cjs')
    writeFileSync(
      hide,
      "const fs = require('node:fs'); const exists = fs.existsSync; fs.existsSync = (p) => !String(p).endsWith('better_sqlite3.node') && exists(p)\n"
    )
    const r = run(['--json', 'tokens', 'counts'], join(dir, 'sqlite-lookup-data'), [hide])
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 0 })
    expect(r.loaded.some((f) => /[\\/]node_modules[\\/]bindings[\\/]/.test(f))).toBe(true)
    expect(r.loaded.some((f) => f.endsWith('better_sqlite3.node'))).toBe(true)
  })

  it('status builds the system domain only', () => {
    const r = run(['--json', 'status'], join(dir, 'status-data'))
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'cli' })
    expect(r.contracts).toEqual(['system'])
  })
})

describe('the CLI writes its answer on a pipe', () => {
  it('without loading the net and tty modules of process.stdout and process.stderr', () => {
    const r = run(['--json', 'tokens', 'counts'], join(dir, 'pipe-data'))
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 0 })
    expect(r.loaded.filter((m) => /^NativeModule (net|tty)$/.test(m))).toEqual([])
    // Human output of decode: the payload on stdout, the unverified notice on stderr.
    const d = run(['jwt', 'decode', TOKEN], join(dir, 'pipe-data'))
    expect(d.stdout).toContain('loading')
    expect(d.loaded.filter((m) => /^NativeModule (net|tty)$/.test(m))).toEqual([])
  })

  it('ends quietly with status 0 when the reader has closed the pipe (`| head`)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  })
})
