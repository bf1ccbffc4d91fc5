import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { makeCore, type TestCore } from '../helpers/core'
import { PROPERTY_RUNS } from '../helpers/property'
import { encodePermission } from '../../src/main/tokens/access-tokens'
import { readsBackChanged } from '../../src/main/hygiene/findings'

// The fess-readback trigger (SQL over stored lines) agrees with the store's own encode/decode pair on every line.
describe('fess-readback SQL matches encodePermission', () => {
  let core: TestCore
  beforeAll(() => {
    core = makeCore()
    core.db
      .prepare("INSERT INTO access_tokens (id, name, permissions, created, updated) VALUES ('t', 't', '', 0, 0)")
      .run()
  })
  afterAll(() => core.cleanup())

  const line = fc
    .tuple(
      fc.constantFrom('', '(allow)', '(deny)', '(Deny)', '(ALLOW)'),
      fc.constantFrom('', '{role}', '{user}', '{group}'),
      fc.stringMatching(/^[RD12a-z{}()]{1,6}$/)
    )
    .map(([a, b, c]) => `${a}${b}${c}`)

  it('flags a token exactly when one of its lines reads back changed', () => {
    const set = core.db.prepare("UPDATE access_tokens SET permissions = ? WHERE id = 't'")
    const flagged = core.db.prepare(
      "SELECT count(*) AS n FROM token_findings WHERE kind = 'access-token' AND ref = 't' AND rule = 'fess-readback'"
    )
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        // The store keeps each line as encodePermission normalises it (access.ts), joined by "\n".
        set.run(lines.map((l) => encodePermission(l).line).join('\n'))
        const sql = (flagged.get() as { n: number }).n === 1
        expect(sql).toBe(lines.some(readsBackChanged))
      }),
      { numRuns: PROPERTY_RUNS }
    )
  })
})
