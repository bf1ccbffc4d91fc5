import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '../../src/renderer/src/api'

/** A fetch stub whose answers the test releases by hand, so "in flight" is a state the test controls. */
function heldFetch() {
  const calls: { url: string; body: string; release: (value: unknown) => void }[] = []
  const fetch = vi.fn((url: string, init: { body: string }) => {
    return new Promise<Response>((resolve) => {
      calls.push({
        url,
        body: init.body,
        release: (value) =>
          resolve(
            new Response(JSON.stringify({ ok: true, value }), { headers: { 'content-type': 'application/json' } })
          )
      })
    })
  })
  vi.stubGlobal('fetch', fetch)
  return calls
}

afterEach(() => vi.unstubAllGlobals())

describe('api: a second identical mutation while the first is in flight', () => {
  it('joins the first: one request, the same answer', async () => {
    const calls = heldFetch()
    const input = { name: 'ERP_batch', permissions: ['{role}admin-api'] }
    const a = api.accessTokens.add(input)
    const b = api.accessTokens.add({ permissions: ['{role}admin-api'], name: 'ERP_batch' })
    expect(calls).toHaveLength(1)
    calls[0].release({ id: 'x1' })
    expect(await a).toEqual({ ok: true, value: { id: 'x1' } })
    expect(await b).toEqual({ ok: true, value: { id: 'x1' } })
  })

  it('sends a different input, and the same input again once the first has answered', async () => {
    const calls = heldFetch()
    const a = api.accessTokens.add({ name: 'one', permissions: [] })
    const b = api.accessTokens.add({ name: 'two', permissions: [] })
    expect(calls).toHaveLength(2)
    calls.forEach((c) => c.release({}))
    await Promise.all([a, b])
    const c = api.accessTokens.add({ name: 'one', permissions: [] })
    expect(calls).toHaveLength(3)
    calls[2].release({})
    await c
  })

  it('never joins reads: two identical reads are two requests', async () => {
    const calls = heldFetch()
    const a = api.tokens.get({ id: '1' })
    const b = api.tokens.get({ id: '1' })
    expect(calls).toHaveLength(2)
    calls.forEach((c) => c.release({}))
    await Promise.all([a, b])
  })
})
