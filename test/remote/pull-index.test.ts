import { afterAll, describe, expect, it } from 'vitest'
import { makeCore } from '../helpers/core'

// A pull looks up each pulled copy by (connection, server id); over a large local store that must be an index probe,
// not a scan of every token per pulled row.
describe('pulled copies are found by an index', () => {
  const core = makeCore()
  afterAll(() => core.cleanup())

  it('tokens: (origin_connection_id, remote_id) is probed through tokens_origin', () => {
    const plan = core.db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM tokens WHERE origin_connection_id = ? AND remote_id = ?')
      .all('c', 'r') as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING (COVERING )?INDEX tokens_origin/)
  })

  it("a pull's one read of a connection's copies walks tokens_origin too", () => {
    const plan = core.db
      .prepare('EXPLAIN QUERY PLAN SELECT remote_id, id FROM tokens WHERE origin_connection_id = ?')
      .all('c') as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING (COVERING )?INDEX tokens_origin/)
  })

  it('access tokens and SSO apps have theirs too', () => {
    for (const table of ['access_tokens', 'sso_apps']) {
      const plan = core.db
        .prepare(`EXPLAIN QUERY PLAN SELECT id FROM ${table} WHERE origin_connection_id = ? AND remote_id = ?`)
        .all('c', 'r') as Array<{ detail: string }>
      expect(plan.map((p) => p.detail).join('\n')).toMatch(new RegExp(`INDEX ${table}_origin`))
    }
  })
})
