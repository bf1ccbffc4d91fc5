import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'

// An id that goes into a server URL path must be encodable: a lone surrogate made encodeURIComponent throw, which
// surfaced as INTERNAL (found by the channel fuzz suite).
describe('remote ids in URL paths', () => {
  let core: TestCore | null = null
  afterEach(() => core?.close())

  it.each([
    ['remote:fessGet', { conn: 'prod', id: 'a\ud800b' }],
    ['remote:fessUpdate', { conn: 'prod', id: '\udc00', name: 'x' }],
    ['remote:fessDelete', { conn: 'prod', id: 'x\ud83d' }]
  ])('%s refuses a lone surrogate in the id with VALIDATION, before any request', async (channel, input) => {
    core = makeCore()
    const r = await core.dispatch(channel, input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('VALIDATION')
  })
})
