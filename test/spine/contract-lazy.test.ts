import { beforeEach, describe, expect, it, vi } from 'vitest'

// Every zod factory call (z.object, z.string, ...) is counted: a schema built anywhere in the contract starts with one.
const zodCalls = vi.hoisted(() => ({ n: 0 }))
vi.mock('zod', async (importOriginal) => {
  const actual = await importOriginal<typeof import('zod')>()
  const counted = new Proxy(actual.z, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver)
      // Factories only: the classes (z.ZodObject, ...) stay themselves for instanceof.
      if (typeof v !== 'function' || typeof key !== 'string' || !/^[a-z]/.test(key)) return v
      return (...args: unknown[]) => {
        zodCalls.n++
        return (v as (...a: unknown[]) => unknown)(...args)
      }
    }
  })
  return { ...actual, z: counted }
})

type Contract = typeof import('../../src/shared/contract').contract

/** The contract as a fresh run sees it: modules loaded anew, nothing built. */
async function freshContract() {
  vi.resetModules()
  zodCalls.n = 0
  const { contract, channels } = await import('../../src/shared/contract')
  const { channelDef } = await import('../../src/shared/contract/domains')
  const { isBuilt } = await import('../../src/shared/contract/define')
  const built = () => channels.filter((c) => isBuilt(contract[c].input))
  return { contract: contract as Contract, channels, channelDef, isBuilt, built }
}

describe('the contract builds a channel schema on its first use only', () => {
  beforeEach(() => {
    zodCalls.n = 0
  })

  it('importing the whole contract builds no zod schema', async () => {
    const { channels, contract, isBuilt, built } = await freshContract()
    expect(zodCalls.n).toBe(0)
    expect(built()).toEqual([])
    // Every input is a lazy stand-in: a channel declared with an eager schema would be built at import.
    expect(channels.filter((c) => isBuilt(contract[c].input) === undefined)).toEqual([])
  })

  it('importing one domain contract builds none of its channels, nor any other domain schema', async () => {
    vi.resetModules()
    zodCalls.n = 0
    const { tokensChannels, TokenAddInput } = await import('../../src/shared/contract/tokens')
    const { isBuilt } = await import('../../src/shared/contract/define')
    expect(zodCalls.n).toBe(0)
    expect(Object.values(tokensChannels).filter((d) => isBuilt(d.input))).toEqual([])
    expect(isBuilt(TokenAddInput)).toBe(false)
  })

  it('parsing one channel input builds that schema only, as dispatch does', async () => {
    const { channelDef, built } = await freshContract()
    const def = await channelDef('tokens:counts')
    expect(zodCalls.n).toBe(0)
    expect(def!.input.safeParse(undefined)).toEqual({ success: true, data: {} })
    expect(zodCalls.n).toBeGreaterThan(0)
    expect(built()).toEqual(['tokens:counts'])
  })

  it('a schema derived from another builds the one it derives from, not its siblings', async () => {
    const { contract, built } = await freshContract()
    expect(contract['tokens:qry'].input.safeParse({ limit: 5 }).success).toBe(true)
    const after = built()
    expect(after).toContain('tokens:qry')
    // tokens:qry is tokens:list without `bin`: the list schema is built as its base, nothing else of the domain.
    expect(after.filter((c) => c !== 'tokens:qry' && c !== 'tokens:list' && c !== 'tokens:qri')).toEqual([])
    expect(after).not.toContain('tokens:add')
  })

  it('a lazy schema answers as the schema it stands for', async () => {
    const { z } = await import('zod')
    const { contract } = await freshContract()
    const input = contract['tokens:add'].input
    expect(input).toBeInstanceOf(z.ZodObject)
    expect(Object.keys(input.shape)).toContain('jti')
    const bad = input.safeParse({ jti: 'toolong123' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('jti')
    // Spread and extended like a plain shape (the remote and inventory channels build on shapes this way).
    const { RotateFlags } = await import('../../src/shared/contract/rotate')
    expect(Object.keys({ ...RotateFlags }).sort()).toEqual(['resume', 'retireOld'])
    expect(z.object({ id: z.string() }).extend(RotateFlags).safeParse({ id: 'a', resume: true }).success).toBe(true)
  })
})
