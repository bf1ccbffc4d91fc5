import { beforeEach, describe, expect, it, vi } from 'vitest'

/** Every api call waits until the test answers it, so the order answers arrive in is the test's to choose. */
const pending: { channel: string; input: any; answer: (value: unknown) => void }[] = []
function held(channel: string) {
  return (input: unknown) =>
    new Promise((resolve) => pending.push({ channel, input, answer: (value) => resolve({ ok: true, value }) }))
}
vi.mock('../../src/renderer/src/api', () => ({
  api: {
    tokens: {
      get: held('tokens:get'),
      list: held('tokens:list'),
      counts: held('tokens:counts'),
      count: held('tokens:count'),
      enb: held('tokens:enb')
    },
    audit: { list: held('audit:list') },
    accessTokens: { list: held('accessTokens:list') }
  }
}))

const { useTokensStore, undoKey } = await import('../../src/renderer/src/stores/tokens.store')
const { useAccessTokensStore } = await import('../../src/renderer/src/stores/accessTokens.store')
const { useUiStore } = await import('../../src/renderer/src/stores/ui.store')

const take = (channel: string, pred: (input: any) => boolean = () => true) => {
  const i = pending.findIndex((p) => p.channel === channel && pred(p.input))
  if (i < 0) throw new Error(`no pending ${channel}`)
  return pending.splice(i, 1)[0]
}
const flush = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  pending.length = 0
  useTokensStore.getState().reset()
  useAccessTokensStore.getState().reset()
  useUiStore.getState().reset()
})

describe('stores: stale answers never overwrite newer ones', () => {
  it('tokens: the detail pane shows the last token selected, whatever order the answers come in', async () => {
    const a = useTokensStore.getState().select('AAAAAAAA')
    const b = useTokensStore.getState().select('BBBBBBBB')
    take('tokens:get', (i) => i.id === 'BBBBBBBB').answer({ id: 'BBBBBBBB' })
    take('audit:list', (i) => i.target === 'BBBBBBBB').answer({ items: [], nextCursor: null })
    await b
    take('tokens:get', (i) => i.id === 'AAAAAAAA').answer({ id: 'AAAAAAAA' })
    take('audit:list', (i) => i.target === 'AAAAAAAA').answer({ items: [], nextCursor: null })
    await a
    expect(useTokensStore.getState().detail?.id).toBe('BBBBBBBB')
    expect(useTokensStore.getState().selectedId).toBe('BBBBBBBB')
  })

  it('access tokens: a list for an older search arriving late is dropped', async () => {
    useAccessTokensStore.getState().setSearch('old')
    useAccessTokensStore.getState().setSearch('new')
    take('accessTokens:list', (i) => i.search === 'new').answer({ items: [{ id: 'n' }], nextCursor: null })
    await flush()
    take('accessTokens:list', (i) => i.search === 'old').answer({ items: [{ id: 'o' }], nextCursor: null })
    await flush()
    expect(useAccessTokensStore.getState().items.map((i) => i.id)).toEqual(['n'])
  })
})

describe('stores: a change withdraws stale follow-up offers', () => {
  it('a successful verb on a token removes the earlier Undo offers made for it, and only those', async () => {
    const ui = useUiStore.getState()
    ui.toast('ok', 'disabled', { label: 'Undo (ENB)', run: () => {}, key: undoKey('AAAAAAAA') })
    ui.toast('ok', 'other', { label: 'Undo (ENB)', run: () => {}, key: undoKey('BBBBBBBB') })
    const done = useTokensStore.getState().verb('enb', { id: 'AAAAAAAA', version: 2 })
    take('tokens:enb').answer({ id: 'AAAAAAAA' })
    await flush()
    expect(useUiStore.getState().toasts.map((t) => t.text)).toEqual(['other'])
    // Let the refresh that follows finish.
    for (const p of pending.splice(0))
      p.answer(p.channel === 'tokens:list' || p.channel === 'audit:list' ? { items: [], nextCursor: null } : {})
    await done
  })
})
