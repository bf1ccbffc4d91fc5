import { describe, expect, it } from 'vitest'
import { createCoreGate, STORE_UNAVAILABLE } from '../../src/main/shell/core-gate'

describe('core gate (IPC bound before the store opens)', () => {
  it('holds calls made before the store opens and answers them from it', async () => {
    const gate = createCoreGate()
    const seen: string[] = []
    const early = gate.dispatch('system:status', {})
    let answered = false
    void early.then(() => (answered = true))
    await new Promise((r) => setTimeout(r, 10))
    expect(answered).toBe(false)
    gate.open({ dispatch: async (name) => (seen.push(name), { ok: true, value: name }) })
    expect(await early).toEqual({ ok: true, value: 'system:status' })
    expect(await gate.dispatch('audit:list', {})).toEqual({ ok: true, value: 'audit:list' })
    expect(seen).toEqual(['system:status', 'audit:list'])
    expect(gate.settled).toBe(true)
  })

  it('answers a coded error when the store could not be opened, and opens only once', async () => {
    const gate = createCoreGate()
    const early = gate.dispatch('system:status', {})
    gate.open(null)
    gate.open({ dispatch: async () => ({ ok: true, value: 1 }) })
    expect(await early).toEqual(STORE_UNAVAILABLE)
    expect(await gate.dispatch('system:status', {})).toEqual(STORE_UNAVAILABLE)
  })
})
