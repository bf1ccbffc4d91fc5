import { create } from 'zustand'
import type { AccessTokenRecord, AuditEntry, Input } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'

export interface AccessTokensState {
  search: string
  items: AccessTokenRecord[]
  nextCursor: string | null
  loading: boolean
  error: AppErrorShape | null
  selectedId: string | null
  history: AuditEntry[]
}

export interface AccessTokensActions {
  setSearch(s: string): void
  load(): Promise<void>
  loadMore(): Promise<void>
  select(id: string | null): Promise<void>
  add(input: Input<'accessTokens:add'>): Promise<Result<AccessTokenRecord>>
  update(input: Input<'accessTokens:update'>): Promise<Result<AccessTokenRecord>>
  remove(rec: Pick<AccessTokenRecord, 'id' | 'version'>): Promise<Result<unknown>>
  reset(): void
}

export const initialAccessTokensState: AccessTokensState = {
  search: '',
  items: [],
  nextCursor: null,
  loading: false,
  error: null,
  selectedId: null,
  history: []
}

let seq = 0
let historySeq = 0

export const useAccessTokensStore = create<AccessTokensState & AccessTokensActions>()((set, get) => ({
  ...initialAccessTokensState,
  setSearch(search) {
    set({ search })
    void get().load()
  },
  async load() {
    const n = ++seq
    set({ loading: true })
    const search = get().search.trim()
    const r = await api.accessTokens.list({ limit: 200, ...(search ? { search } : {}) })
    if (n !== seq) return
    if (r.ok) set({ items: r.value.items, nextCursor: r.value.nextCursor, loading: false, error: null })
    else set({ error: r.error, loading: false })
  },
  async loadMore() {
    const cursor = get().nextCursor
    if (!cursor) return
    const n = ++seq
    const search = get().search.trim()
    const r = await api.accessTokens.list({ limit: 200, cursor, ...(search ? { search } : {}) })
    if (n !== seq) return
    if (r.ok) set({ items: [...get().items, ...r.value.items], nextCursor: r.value.nextCursor })
    else set({ error: r.error })
  },
  async select(id) {
    const n = ++historySeq
    set({ selectedId: id, history: [] })
    if (!id) return
    const h = await api.audit.list({ target: id, limit: 30 })
    if (n === historySeq && h.ok) set({ history: h.value.items })
  },
  async add(input) {
    const r = await api.accessTokens.add(input)
    if (r.ok) {
      await get().load()
      await get().select(r.value.id)
    }
    return r
  },
  async update(input) {
    const r = await api.accessTokens.update(input)
    await get().load()
    if (r.ok) await get().select(r.value.id)
    return r
  },
  async remove(rec) {
    const r = await api.accessTokens.delete({ id: rec.id, version: rec.version })
    if (r.ok) await get().select(null)
    await get().load()
    return r
  },
  reset() {
    seq++
    historySeq++
    set(initialAccessTokensState)
  }
}))
