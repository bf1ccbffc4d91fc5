import { afterEach, describe, expect, it, vi } from 'vitest'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { runMain } from '../helpers/cli'
import { tempDir } from '../helpers/core'
import { CliContext } from '../../src/main/cli/runtime'

// A failure the CLI did not expect (not a coded error): the user gets INTERNAL and where the details are; the stack,
// redacted, is in the data folder's error log.
describe('CLI internal failures', () => {
  const dirs: string[] = []
  afterEach(() => {
    vi.restoreAllMocks()
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('writes the redacted stack to <data>/logs/tokendesk.log and names it', async () => {
    const data = tempDir()
    dirs.push(data)
    const planted = 'Bearer PLANTEDSECRET0123456789'
    vi.spyOn(CliContext.prototype, 'print').mockImplementation(function printerBug() {
      throw new TypeError(`cannot format row (${planted})`)
    })
    const r = await runMain(['--data', data, 'tokens', 'list'])
    const log = join(data, 'logs', 'tokendesk.log')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error INTERNAL:')
    expect(r.stderr).toContain(log)
    expect(r.stderr + r.stdout).not.toContain('PLANTEDSECRET')
    const text = readFileSync(log, 'utf8')
    expect(text).toMatch(/ERROR INTERNAL in the CLI \(TypeError\)/)
    expect(text).toContain('printerBug')
    expect(text).not.toContain('PLANTEDSECRET')

    const j = await runMain(['--data', data, '--json', 'tokens', 'list'])
    expect(j.json().error).toMatchObject({ code: 'INTERNAL' })
    expect(j.json().error.message).toContain(log)
  })
})
