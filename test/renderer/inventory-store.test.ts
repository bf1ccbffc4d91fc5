import { beforeEach, describe, expect, it, vi } from 'vitest'

/** Every list call waits until the test answers it, so the order answers arrive in is the test's to choose. */
const pending: { input: any; answer: (value: unknown) => void }[] = []
vi.mock('../../src/renderer/src/api', () => ({
  api: {
    inventory: {
      list: (input: unknown) =>
        new Promise((resolve) => pending.push({ input, answer: (value) => resolve({ ok: true, value }) }))
    }
  }
}))

const { filterInput, emptyInventoryFilter, useInventoryStore, rowKey } =
  await import('../../src/renderer/src/stores/inventory.store')

const row = (name: string) => ({
  kind: 'token',
  server: 'local',
  connectionId: null,
  name,
  id: name,
  remoteId: null,
  state: 'enabled',
  expiresAt: null,
  pulledAt: null,
  findings: []
})
const page = (...names: string[]) => ({ items: names.map(row), nextCursor: null, at: 0, windowDays: 14 })
const flush = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  pending.length = 0
  useInventoryStore.getState().reset()
})

describe('inventory store', () => {
  it('sends only the filters that are set, "expiring within" as whole days', () => {
    expect(filterInput(emptyInventoryFilter)).toEqual({})
    expect(
      filterInput({ ...emptyInventoryFilter, server: 'fess-prod', kind: 'access-token', within: '30', findings: true })
    ).toEqual({
      server: 'fess-prod',
      kind: 'access-token',
      expiringWithin: 30,
      findings: true
    })
    expect(filterInput({ ...emptyInventoryFilter, within: '3.5' })).toEqual({})
    expect(filterInput({ ...emptyInventoryFilter, expired: true, neverExpires: true })).toEqual({
      expired: true,
      neverExpires: true
    })
  })

  it("drops a stale answer: the list shows the newest filter's rows; a filter change clears the selection", async () => {
    const s = useInventoryStore.getState()
    s.setSelected(new Set([rowKey(row('a') as never), rowKey(row('gone') as never)]))
    s.setFilter({ within: '30' })
    s.setFilter({ within: '7' }, true)
    expect(pending.map((p) => p.input.expiringWithin)).toEqual([30, 7])
    pending[1].answer(page('a'))
    await flush()
    pending[0].answer(page('a', 'b', 'c'))
    await flush()
    expect(useInventoryStore.getState().rows.map((r) => r.name)).toEqual(['a'])
    expect(useInventoryStore.getState().filter).toEqual({ ...emptyInventoryFilter, within: '7' })
    // A filter change clears the selection.
    expect(useInventoryStore.getState().selected.size).toBe(0)
  })
})
