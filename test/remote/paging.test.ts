import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XduaEmulator } from '../emulators/xdua'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'

// Servers that cap the page size lower than asked: a pull pages by `total` and gets every row, or says it cannot.
describe('paging by total against servers with a lower page cap', () => {
  let x: XduaEmulator
  let core: TestCore
  let stop: () => Promise<void>
  beforeAll(async () => {
    // 1,200 + the admin token on a Fess that answers at most 100 per page; 650 xdua tokens, at most 100 per query.
    ;({ core, x, stop } = await coreWithServers({
      fess: { tokens: 1200, maxSize: 100 },
      datafor: { configs: 7, listCap: 5 },
      xdua: { tokens: 650, maxLimit: 100 }
    }))
  })
  afterAll(() => stop())

  const pull = async (conn: string) => {
    const { jobId } = await core.call('remote:pull', { conn })
    return core.deps.jobs.wait(jobId)
  }

  it('Fess: list --all and a pull get all 1,201 tokens, each once', async () => {
    const r = await core.call('remote:fessList', { conn: 'f', all: true })
    expect(r.items).toHaveLength(1201)
    expect(new Set(r.items.map((t) => t.id)).size).toBe(1201)
    expect(r.truncated).toBe(false)
    const info = await pull('f')
    expect(info.state, JSON.stringify(info.error)).toBe('done')
    expect(info.result).toMatchObject({ pulled: 1201 })
  })

  it('xdua: a pull gets all 650 tokens although each page holds 100', async () => {
    const info = await pull('x')
    expect(info.state, JSON.stringify(info.error)).toBe('done')
    expect(info.result).toMatchObject({ pulled: 650 })
    const qri = x.requests.filter((q) => q.path === '/token.queri')
    expect(qri.length).toBe(7)
    expect(qri.map((q) => Number(q.query.offset))).toEqual(Array.from({ length: 7 }, (_, i) => i * 100))
  })

  it('xdua: an empty page ends the pull even when total says more', async () => {
    const body = JSON.stringify({
      status: 200,
      error: 0,
      reason: 'success',
      result: { total: 99, limit: 500, list: [] }
    })
    x.setFault({ kind: 'answer', times: 1, answer: { status: 200, body } })
    x.clearRequests()
    const info = await pull('x')
    expect(info.state).toBe('done')
    expect(x.requests.filter((q) => q.path === '/token.queri')).toHaveLength(1)
  })

  it('Datafor: a list cut short with a larger total is refused, not taken for the whole list', async () => {
    const e = await core.callError('remote:dataforList', { conn: 'd' })
    expect(e).toMatchObject({ code: 'PROTOCOL', details: { listed: 5, total: 7 } })
    const info = await pull('d')
    expect(info.state).toBe('failed')
    expect(info.error).toMatchObject({ code: 'PROTOCOL' })
  })
})
