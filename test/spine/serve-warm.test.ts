import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/core'

const dir = tempDir('tokendesk-serve-warm-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tokendesk serve (the built bin)', () => {
  it('opens the store in the background after printing its URL, before any RPC asks for it', async () => {
    const data = join(dir, 'data')
    const child = spawn(process.execPath, [BIN, '--data', data, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      const first: string = await new Promise((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
      })
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
      // No request is sent: the store file appears because serve opened it on its own.
      const db = join(data, 'tokendesk.db')
      for (let i = 0; i < 600 && !existsSync(db); i++) await new Promise((r) => setTimeout(r, 50))
      expect(existsSync(db)).toBe(true)
    } finally {
      child.kill('SIGTERM')
    }
  })
})
