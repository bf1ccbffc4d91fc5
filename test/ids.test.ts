import { describe, expect, it } from 'vitest'
import { ALNUM, quickId, randomAlnum } from '../src/main/ids'

describe('ids', () => {
  it('randomAlnum and quickId give letters and digits of the asked length', () => {
    for (const n of [1, 8, 20, 64]) {
      expect(randomAlnum(n)).toMatch(new RegExp(`^[A-Za-z0-9]{${n}}$`))
      expect(quickId(n)).toMatch(new RegExp(`^[A-Za-z0-9]{${n}}$`))
    }
    expect(quickId()).toHaveLength(8)
  })

  it('draws every character of the alphabet and does not repeat ids', () => {
    const seen = new Set<string>()
    const ids = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const a = randomAlnum(12)
      const q = quickId(12)
      ids.add(a).add(q)
      for (const c of a + q) seen.add(c)
    }
    expect(ids.size).toBe(4000)
    expect([...seen].sort().join('')).toBe([...ALNUM].sort().join(''))
  })
})
