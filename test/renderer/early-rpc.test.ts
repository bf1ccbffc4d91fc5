import { describe, expect, it, vi } from 'vitest'

/** A fetch stub that answers every RPC at once and records the channels asked for, in order. */
const asked: string[] = []
vi.stubGlobal(
  'fetch',
  vi.fn(async (url: string) => {
    asked.push(url.replace('/rpc/', ''))
    const value = url.endsWith('tokens:expiry')
      ? { from: 0, perDay: [] }
      : url.endsWith('audit:list')
        ? { items: [], nextCursor: null }
        : {}
    return new Response(JSON.stringify({ ok: true, value }), { headers: { 'content-type': 'application/json' } })
  })
)

// What the entry module does first: the shell's and the dashboard's first reads leave before any render.
const { startFirstReads } = await import('../../src/renderer/src/early')
startFirstReads('')
const { api, prefetch } = await import('../../src/renderer/src/api')
const { useDashboardStore } = await import('../../src/renderer/src/stores/dashboard.store')
const { useSystemStore } = await import('../../src/renderer/src/stores/system.store')

describe('the entry starts the first reads early (api.prefetch)', () => {
  it('asks before any store does, and the first screens take those answers instead of asking again', async () => {
    expect([...asked].sort()).toEqual([
      'audit:list',
      'system:getSettings',
      'system:status',
      'tokens:counts',
      'tokens:expiry'
    ])
    await useSystemStore.getState().loadStatus()
    await useSystemStore.getState().loadSettings()
    await useDashboardStore.getState().load()
    // The dashboard's own counts, expiry and audit calls were the prefetched ones; only the sidebar's counts, a
    // second identical call, asks again.
    expect(asked.filter((c) => c !== 'tokens:counts').sort()).toEqual([
      'audit:list',
      'system:getSettings',
      'system:status',
      'tokens:expiry'
    ])
    await useDashboardStore.getState().load()
    expect(asked.filter((c) => c === 'tokens:expiry')).toHaveLength(2)
  })

  it('starts the dashboard reads only when the page opens on the dashboard', () => {
    const before = asked.length
    startFirstReads('#/tokens')
    expect(asked.slice(before).sort()).toEqual(['system:getSettings', 'system:status'])
  })

  it('never starts a mutation early', async () => {
    const before = asked.length
    prefetch('system:updateSettings', { theme: 'dark' })
    expect(asked).toHaveLength(before)
    await api.tokens.get({ id: 'AAAAAAAA' })
    expect(asked).toHaveLength(before + 1)
  })
})
