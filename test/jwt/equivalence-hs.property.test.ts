import { describe, it } from 'vitest'
import { checkEquivalence, RUNS } from './equivalence'

// The fast path's licence (see ./equivalence.ts): one file per family so vitest runs them on every core.
describe('node:crypto fast path is equivalent to jose', () => {
  it.each(['HS256', 'HS384', 'HS512'])(
    `%s: ${RUNS} random claim sets, cross-verified both ways`,
    async (alg) => checkEquivalence(alg),
    600_000
  )
})
