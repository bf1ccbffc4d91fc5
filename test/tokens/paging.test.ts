import { afterEach, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'

let core: TestCore
afterEach(() => core?.cleanup())

const NAMES = ['delta', 'alpha', 'echo', 'bravo', 'charlie', 'alpha2', 'foxtrot']

/** Walks every keyset page and returns the names in the order the pages gave them. */
async function walk(next: (cursor?: string) => Promise<{ items: Array<{ name: string }>; nextCursor: string | null }>) {
  const seen: string[] = []
  let cursor: string | undefined
  for (let i = 0; i < 20; i++) {
    const page = await next(cursor)
    seen.push(...page.items.map((r) => r.name))
    if (!page.nextCursor) return seen
    cursor = page.nextCursor
  }
  throw new Error('paging did not end')
}

describe('keyset paging by name (access tokens and SSO apps)', () => {
  it('pages access tokens by name with no duplicates or gaps, and filters by substring', async () => {
    core = makeCore()
    for (const name of NAMES) await core.call('accessTokens:add', { name })
    const all = await walk((cursor) => core.call('accessTokens:list', { limit: 2, cursor }))
    expect(all).toEqual([...NAMES].sort())
    const some = await walk((cursor) => core.call('accessTokens:list', { limit: 1, search: 'alpha', cursor }))
    expect(some).toEqual(['alpha', 'alpha2'])
    const bad = await core.callError('accessTokens:list', { cursor: 'not-a-cursor' })
    expect(bad.code).toBe('VALIDATION')
  })

  it('pages SSO apps by name the same way; a LIKE wildcard in the search is taken literally', async () => {
    core = makeCore()
    for (const name of NAMES)
      await core.call('ssoApps:add', { name, secret: 'a-secret-long-enough-for-hs256-0123456789' })
    const all = await walk((cursor) => core.call('ssoApps:list', { limit: 3, cursor }))
    expect(all).toEqual([...NAMES].sort())
    expect((await core.call('ssoApps:list', { search: 'a%' })).items).toEqual([])
    expect((await core.call('ssoApps:list', { search: 'ech' })).items.map((r) => r.name)).toEqual(['echo'])
  })
})
