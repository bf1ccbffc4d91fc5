import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { encodeCursor } from '../../src/main/tokens/util'
import { SEED_CLAIMS } from '../helpers/claims'

/** Inputs the fuzz suite once answered INTERNAL for, kept as plain tests so `npm test` runs them every time. */

const ADD = SEED_CLAIMS
let core: TestCore
let id = ''
beforeAll(async () => {
  core = makeCore()
  id = (await core.call('tokens:add', { ...ADD, name: 'nul_brief', brief: 'nul\u0000inside x' })).id
  await core.call('tokens:add', { ...ADD, name: 'plain_one', brief: 'nothing here' })
})
afterAll(() => core?.cleanup())

describe('a search with a NUL character', () => {
  // FTS5 reads its query as C text: the NUL ended it inside a quoted trigram ("unterminated string").
  it.each(['nul\u0000inside', '\u0000\u0000\u0000', 'a\u0000b\u0000c'])(
    '%j: tokens:qri, list, count and seek answer',
    async (search) => {
      for (const channel of ['tokens:qri', 'tokens:list'] as const) {
        const r = await core.dispatch(channel, { search })
        expect(r.ok, JSON.stringify(r)).toBe(true)
      }
      expect((await core.dispatch('tokens:count', { search })).ok).toBe(true)
      expect((await core.dispatch('tokens:seek', { search, position: 0 })).ok).toBe(true)
    }
  )

  it('still finds the token whose brief holds it', async () => {
    const page = await core.call('tokens:qri', { search: 'nul\u0000inside' })
    expect(page.items.map((t) => t.id)).toContain(id)
  })
})

describe('a cursor whose sort value is not a scalar', () => {
  // Its value was bound into SQL as it came: better-sqlite3 cannot bind an object or a boolean (TypeError).
  it.each([{}, true, [1], { a: 1 }])('v = %j: VALIDATION, not INTERNAL', async (v) => {
    for (const channel of ['tokens:qri', 'tokens:qry', 'tokens:list'] as const) {
      const cursor = encodeCursor({ s: 'updated', d: 'desc', v, r: 1 })
      const r = await core.dispatch(channel, { cursor })
      expect(r.ok ? 'ok' : r.error.code, channel).toBe('VALIDATION')
    }
  })

  it('a cursor a page returned still pages', async () => {
    const first = await core.call('tokens:list', { limit: 1 })
    const next = await core.call('tokens:list', { limit: 1, cursor: first.nextCursor! })
    expect(next.items).toHaveLength(1)
    expect(next.items[0].id).not.toBe(first.items[0].id)
  })
})
