import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { SEED_CLAIMS } from '../helpers/claims'

const ADD = SEED_CLAIMS
const sign = { alg: 'HS256' as const, key: { secret: 'm'.repeat(32) }, expiresIn: '1h' }
const cores: TestCore[] = []
afterEach(() => {
  while (cores.length) cores.pop()!.cleanup()
})
const mode = (f: string) => statSync(f).mode & 0o777

async function done(core: TestCore, p: Promise<{ jobId: string }>) {
  const info = await core.deps.jobs.wait((await p).jobId)
  expect(info.state, JSON.stringify(info.error)).toBe('done')
  return info
}

describe("files of the store are the user's alone, whatever the umask", () => {
  it('creates the data folder 0700 and the db, its WAL and SHM, exports and bulk-mint files 0600', async () => {
    const old = process.umask(0)
    try {
      const dataDir = join(tempDir(), 'fresh', 'data')
      const core = makeCore({ dataDir })
      cores.push(core)
      await core.call('tokens:add', { ...ADD, name: 'mode_probe' })
      expect(mode(dataDir)).toBe(0o700)
      for (const f of ['tokendesk.db', 'tokendesk.db-wal', 'tokendesk.db-shm'])
        expect(mode(join(dataDir, f)), f).toBe(0o600)
      const file = join(dataDir, 'export.jsonl')
      await done(core, core.call('tokens:export', { file }))
      expect(mode(file)).toBe(0o600)
      // Replacing a file that was readable by others leaves a private one.
      const out = join(dataDir, 'mint.jsonl')
      writeFileSync(out, 'old\n', { mode: 0o644 })
      await done(core, core.call('jwt:mintStart', { count: 3, out, sign, overwrite: true }))
      expect(mode(out)).toBe(0o600)
    } finally {
      process.umask(old)
    }
  })
})

describe('files written whole or not at all', () => {
  it('a bulk mint writes beside its output and renames when whole; a leftover temporary is removed by the next run', async () => {
    const core = makeCore()
    cores.push(core)
    const out = join(core.dataDir, 'tokens.jsonl')
    // What a killed mint leaves: a temporary with a torn last line.
    writeFileSync(`${out}.partial`, '{"n":0,"jti":"x","token":"eyJ')
    const { jobId } = await core.call('jwt:mintStart', { count: 2000, out, sign })
    // Until the mint has ended, nothing stands under the final name.
    expect(existsSync(out)).toBe(false)
    await done(core, Promise.resolve({ jobId }))
    expect(existsSync(`${out}.partial`)).toBe(false)
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(2000)
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()
  })

  it('a cancelled import says how many records it committed, and they are in the store', async () => {
    const src = makeCore()
    cores.push(src)
    await done(src, src.call('tokens:seed', { count: 12_000, seed: 4 }))
    const file = join(src.dataDir, 'seeded.jsonl')
    await done(src, src.call('tokens:export', { file }))
    const core = makeCore()
    cores.push(core)
    const { jobId } = await core.call('tokens:import', { file, batchSize: 1000 })
    while (!(core.deps.jobs.get(jobId).done > 0)) await new Promise((r) => setImmediate(r))
    core.deps.jobs.cancel(jobId)
    const info = await core.deps.jobs.wait(jobId)
    expect(info.state).toBe('cancelled')
    const n = (core.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    expect(n).toBeGreaterThan(0)
    expect(info.error?.code).toBe('CANCELLED')
    expect(info.error?.message).toBe(
      `Import cancelled: ${n} records were committed before the cancel and stay in the store (importing the file again skips them)`
    )
    expect(info.error?.details).toEqual({ committed: { tokens: n, accessTokens: 0, ssoApps: 0 } })
  })
})
