import { describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { makeCore } from '../helpers/core'

describe('findings triggers at open', () => {
  it('reinstalls the triggers and recomputes every finding when the rules changed', async () => {
    const a = makeCore()
    await a.call('accessTokens:add', { name: 'forever', permissions: ['{role}admin'] })
    // As a store written by an older rule set: other stored findings, another rules hash, a trigger missing.
    a.db.exec(
      "DELETE FROM token_findings; UPDATE hygiene_meta SET value = 'older' WHERE key = 'rules'; DROP TRIGGER hyg_access_tokens_ai"
    )
    a.close()
    const b = makeCore({ dataDir: a.dataDir })
    try {
      const c = await b.call('inventory:counts', {})
      expect(c.byRule['never-expires']).toBe(1)
      expect(c.byRule['fess-admin']).toBe(1)
      await b.call('accessTokens:add', { name: 'second', permissions: ['{role}admin-api'] })
      expect((await b.call('inventory:counts', {})).byRule['fess-admin']).toBe(2)
    } finally {
      b.close()
      rmSync(a.dataDir, { recursive: true, force: true })
    }
  })
})
