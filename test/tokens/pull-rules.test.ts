import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FessEmulator } from '../emulators/fess'
import type { XduaEmulator } from '../emulators/xdua'
import type { TestCore } from '../helpers/core'
import { coreWithServers } from '../helpers/servers'
import type { PullResult } from '../../src/shared/contract'

// A pull stores only what the contract's line schemas accept (the ones import uses); the rest is reported.
describe('pull refuses server records the contract refuses', () => {
  let fess: FessEmulator
  let x: XduaEmulator
  let core: TestCore
  let stop: () => Promise<void>
  beforeAll(async () => {
    ;({ core, fess, x, stop } = await coreWithServers({ fess: { tokens: 5 }, xdua: { tokens: 4 } }))
  })
  afterAll(() => stop())
  const pull = async (conn: string) => {
    const info = await core.deps.jobs.wait((await core.call('remote:pull', { conn })).jobId)
    expect(info.state, JSON.stringify(info.error)).toBe('done')
    return info.result as PullResult
  }

  it('Fess: a name with a terminal escape and a creation time past the year 9999 are not stored', async () => {
    const items = [...fess.state.items.values()].filter((i) => /^token-/.test(i.name))
    items[0].name = 'evil\u001b]0;pwned\u0007'
    items[1].created_time = 9_000_000_000_000_000
    fess.state.changed()
    const r = await pull('f')
    expect(r.refused).toEqual(
      expect.arrayContaining([
        { remoteId: items[0].id, reason: expect.stringMatching(/^name: /) },
        { remoteId: items[1].id, reason: expect.stringMatching(/^created: /) }
      ])
    )
    expect(r.inserted).toBe(r.pulled - 2)
    const names = core.db.prepare('SELECT name, created FROM access_tokens').all() as Array<{
      name: string
      created: number
    }>
    expect(names.some((n) => n.name.includes('\u001b') || n.created > 253_402_300_799_999)).toBe(false)
    expect((await core.call('accessTokens:list', { limit: 500 })).items.length).toBe(r.inserted)
  })

  it('xdua: a name with a right-to-left override is not stored', async () => {
    const [first] = [...x.state.tokens.values()]
    first.name = 'abc\u202edef'
    const r = await pull('x')
    expect(r.refused).toEqual([{ remoteId: first.id, reason: expect.stringMatching(/^name: /) }])
    expect(r.inserted).toBe(r.pulled - 1)
    expect((await core.call('tokens:list', {})).items.every((t) => !t.name.includes('\u202e'))).toBe(true)
  })
})
