import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/core'

// The built bin, run with a preload that records, when the first line reaches stdout, every file and built-in module
// loaded so far: what `tokendesk serve` paid for before its URL line.
const dir = tempDir('tokendesk-serve-url-first-')
const recorder = join(dir, 'record.cjs')
writeFileSync(
  recorder,
  `const fs = require('node:fs')
const write = process.stdout.write.bind(process.stdout)
let done = false
process.stdout.write = (chunk, ...rest) => {
  if (!done) {
    done = true
    fs.writeFileSync(process.env.RECORD_TO, [...Object.keys(require.cache), ...process.moduleLoadList].join('\\n'))
  }
  return write(chunk, ...rest)
}
`
)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The source modules a built file holds (the bundle names each in a `// src/...` line). */
const sourcesOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^\/\/ (src\/[\w/.-]+\.ts)$/gm)].map((m) => m[1])

describe('tokendesk serve (the built bin)', () => {
  it('prints its URL before it loads the store, the services or a native addon', async () => {
    const record = join(dir, 'loaded.txt')
    const child = spawn(
      process.execPath,
      ['--require', recorder, BIN, '--data', join(dir, 'data'), 'serve', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, RECORD_TO: record }
      }
    )
    try {
      const first: string = await new Promise((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
      })
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/)
    } finally {
      child.kill('SIGTERM')
    }
    const loaded = readFileSync(record, 'utf8').split('\n')
    expect(loaded.filter((f) => /better-sqlite3|keytar/.test(f))).toEqual([])
    expect(loaded).not.toContain('NativeModule worker_threads')
    const bundle = loaded.filter((f) => /[\\/]out[\\/]main[\\/].*\.js$/.test(f))
    const sources = bundle.flatMap(sourcesOf)
    expect(sources).toContain('src/main/web/server.ts')
    const services = /^src\/main\/(core\/(index|assemble|dispatch)\.ts|db|tokens|jwt|remote|hygiene|secrets|jobs)[/.]/
    expect(sources.filter((s) => services.test(s))).toEqual([])
    expect(sources.filter((s) => s.startsWith('src/shared/contract/'))).toEqual([])
  })
})
