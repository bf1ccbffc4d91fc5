import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/core'

const dir = tempDir('tokendesk-serve-stop-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * `tokendesk serve` stopped while it still opens the store behind its URL line (a Ctrl+C right after start): it must
 * end, with code 0 and no INTERNAL error, instead of closing the store under its own warm-up.
 */
function stopRightAfterUrl(data: string, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, [BIN, '--data', data, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  createInterface({ input: child.stdout }).once('line', () => child.kill(signal))
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('exit', (code, sig) => {
      clearTimeout(timer)
      resolve({ code, signal: sig, stderr })
    })
  })
}

describe('tokendesk serve stopped during its start', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    it(`${signal} right after the URL line: exits 0, no internal error, nothing in the error log`, async () => {
      for (let round = 0; round < 4; round++) {
        const data = join(dir, `${signal}-${round}`)
        const r = await stopRightAfterUrl(data, signal)
        expect(r.stderr).not.toMatch(/internal error/i)
        expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null })
        const log = join(data, 'logs', 'tokendesk.log')
        expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toMatch(/INTERNAL/)
      }
    })
})
