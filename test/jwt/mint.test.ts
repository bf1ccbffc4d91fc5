import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { JwtMintResult } from '../../src/shared/contract'
import { makeCore } from '../helpers/core'

const core = makeCore()
afterAll(() => core.cleanup())
const key = { secret: 'm'.repeat(32) }
const sign = { alg: 'HS256' as const, key, expiresIn: '1h', iss: 'bulk' }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('bulk mint', () => {
  it('streams N tokens as JSON lines, unique jti each, every token valid, progress to N', async () => {
    const out = join(core.dataDir, 'a.jsonl')
    const { jobId } = await core.call('jwt:mintStart', { count: 25_000, out, sign, workers: 2 })
    const info = await core.deps.jobs.wait(jobId)
    expect(info.state).toBe('done')
    expect(info.done).toBe(25_000)
    const r = info.result as JwtMintResult
    expect(r).toMatchObject({ written: 25_000, requested: 25_000, cancelled: false, workers: 2, format: 'jsonl' })
    const text = readFileSync(out, 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    const rows = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { n: number; jti: string; token: string })
    expect(rows).toHaveLength(25_000)
    expect(new Set(rows.map((x) => x.jti)).size).toBe(25_000)
    expect(new Set(rows.map((x) => x.n)).size).toBe(25_000)
    expect(Buffer.byteLength(text)).toBe(r.bytes)
    for (const row of rows.filter((_, i) => i % 997 === 0)) {
      const v = await core.call('jwt:verify', { token: row.token, algorithms: ['HS256'], key, issuer: 'bulk' })
      expect(v.payload.jti).toBe(row.jti)
    }
  })
  it('writes CSV with a header row', async () => {
    const out = join(core.dataDir, 'b.csv')
    const r = await core.services.jwt.mint(
      { count: 1500, out, format: 'csv', sign, workers: 2 },
      { signal: new AbortController().signal, progress: () => {} }
    )
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('n,jti,token')
    expect(lines).toHaveLength(1501)
    expect(r.written).toBe(1500)
    const [, jti, token] = lines[1].split(',')
    expect((await core.services.jwt.verify(token, { algorithms: ['HS256'], key })).payload.jti).toBe(jti)
  })
  it('mints from the Datafor template: its claims plus a unique jti', async () => {
    const out = join(core.dataDir, 'd.jsonl')
    const datafor = {
      algorithm: 'HS256' as const,
      expire: 3600,
      fieldmap: { username: 'loginname' },
      tokenName: 'token',
      key,
      username: 'admin'
    }
    const { jobId } = await core.call('jwt:mintStart', { count: 10, out, datafor })
    expect((await core.deps.jobs.wait(jobId)).state).toBe('done')
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]) as { token: string }
    const p = core.services.jwt.decode(first.token).payload
    expect(Object.keys(p).sort()).toEqual(['exp', 'jti', 'loginname'])
  })
  it('refuses to clobber a file unless asked, and refuses bad keys before starting', async () => {
    const out = join(core.dataDir, 'exists.jsonl')
    writeFileSync(out, 'keep\n')
    expect((await core.callError('jwt:mintStart', { count: 5, out, sign })).code).toBe('CONFLICT')
    expect(readFileSync(out, 'utf8')).toBe('keep\n')
    expect(
      (
        await core.callError('jwt:mintStart', {
          count: 5,
          out: join(core.dataDir, 'w.jsonl'),
          sign: { alg: 'HS256', key: { secret: 'abcd' } }
        })
      ).code
    ).toBe('JWT_WEAK_KEY')
    const { jobId } = await core.call('jwt:mintStart', { count: 5, out, sign, overwrite: true })
    expect((await core.deps.jobs.wait(jobId)).state).toBe('done')
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(6)
  })
  it('can be cancelled: the file holds whole lines only, as many as reported', async () => {
    const out = join(core.dataDir, 'c.jsonl')
    const { jobId } = await core.call('jwt:mintStart', { count: 5_000_000, out, sign, workers: 2 })
    let seen = 0
    for (let i = 0; i < 600 && seen < 20_000; i++) {
      await sleep(25)
      seen = (await core.call('jobs:get', { id: jobId })).done
    }
    expect(seen).toBeGreaterThan(0)
    await core.call('jobs:cancel', { id: jobId })
    const info = await core.deps.jobs.wait(jobId)
    expect(info.state).toBe('cancelled')
    const r = info.result as JwtMintResult
    expect(r.cancelled).toBe(true)
    expect(r.written).toBeLessThan(5_000_000)
    const text = readFileSync(out, 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trimEnd().split('\n')
    expect(lines).toHaveLength(r.written)
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()
  })
})
