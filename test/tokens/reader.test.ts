import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { createReader } from '../../src/main/tokens/reader'

const cores: TestCore[] = []
afterAll(() => cores.forEach((c) => c.cleanup()))
async function seeded(count: number): Promise<TestCore> {
  const c = makeCore()
  cores.push(c)
  await c.call('tokens:seed', { count, seed: 9 }).then(({ jobId }) => c.deps.jobs.wait(jobId))
  return c
}

describe('count reader (tokens:count off the serving thread)', () => {
  it('answers on its worker what the store answers here, sees each write once committed, and refuses a bad statement', async () => {
    const c = await seeded(600)
    const reader = createReader(c.db)
    try {
      expect(reader.offThread).toBe(true)
      const sql = 'SELECT count(*) FROM tokens WHERE state = @state'
      const here = () => c.db.prepare(sql).pluck().get({ state: 1 })
      expect(await reader.get(sql, { state: 1 })).toBe(here())
      const t = (await c.call('tokens:list', { state: 'enabled', limit: 1 })).items[0]
      await c.call('tokens:dis', { id: t.id, version: t.version })
      expect(await reader.get(sql, { state: 1 })).toBe(here())
      await expect(reader.get('SELECT count(*) FROM no_such_table', {})).rejects.toThrow(/no such table/)
      // Still serving after a refusal.
      expect(await reader.get('SELECT count(*) FROM tokens', {})).toBe(600)
    } finally {
      reader.close()
    }
  })

  it('counts in this thread for a store in memory, and after close', async () => {
    const mem = new Database(':memory:')
    mem.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)')
    const reader = createReader(mem)
    expect(reader.offThread).toBe(false)
    expect(await reader.get('SELECT count(*) FROM t WHERE x > @min', { min: 1 })).toBe(2)
    mem.close()

    const c = await seeded(50)
    const r2 = createReader(c.db)
    expect(await r2.get('SELECT count(*) FROM tokens', {})).toBe(50)
    r2.close()
    expect(r2.offThread).toBe(false)
    expect(await r2.get('SELECT count(*) FROM tokens', {})).toBe(50)

    // A count pending when its store closes ends (with an error), it does not hang.
    const r3 = createReader(c.db)
    const pending = r3.get('SELECT count(*) FROM tokens', {})
    r3.close()
    c.db.close()
    await expect(pending).rejects.toThrow(/not open/)
  })

  it('the built worker (out/main/count-worker.js, what the CLI and the shell load) answers a count', async () => {
    const built = resolve('out/main/count-worker.js')
    expect(existsSync(built), 'npm test builds out/ first; by hand: npx electron-vite build').toBe(true)
    const c = await seeded(120)
    const w = new Worker(built, { workerData: { dbFile: c.db.name } })
    try {
      const answer = new Promise<{ id: number; n?: number; error?: string }>((res, rej) => {
        w.once('message', res)
        w.once('error', rej)
      })
      w.postMessage({ id: 7, sql: 'SELECT count(*) FROM tokens WHERE bin = @bin', args: { bin: 0 } })
      expect(await answer).toEqual({
        id: 7,
        n: c.db.prepare('SELECT count(*) FROM tokens WHERE bin = 0').pluck().get()
      })
    } finally {
      await w.terminate()
    }
  })
})
