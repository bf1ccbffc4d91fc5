import { create } from 'zustand'
import type { AuditEntry, Input, Output, SsoAppRecord } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'

export type SsoMint = Output<'ssoApps:mint'>

export interface SsoAppsState {
  search: string
  items: SsoAppRecord[]
  nextCursor: string | null
  loading: boolean
  error: AppErrorShape | null
  selectedId: string | null
  history: AuditEntry[]
  /** The last test token minted (the user asked for it; it is a test credential meant to be copied). */
  minted: SsoMint | null
}

export interface SsoAppsActions {
  setSearch(s: string): void
  load(): Promise<void>
  select(id: string | null): Promise<void>
  add(input: Input<'ssoApps:add'>): Promise<Result<SsoAppRecord>>
  update(input: Input<'ssoApps:update'>): Promise<Result<SsoAppRecord>>
  remove(rec: Pick<SsoAppRecord, 'id' | 'version'>): Promise<Result<unknown>>
  mint(input: Input<'ssoApps:mint'>): Promise<Result<SsoMint>>
}

export const initialSsoAppsState: SsoAppsState = {
  search: '',
  items: [],
  nextCursor: null,
  loading: false,
  error: null,
  selectedId: null,
  history: [],
  minted: null
}

let seq = 0
let historySeq = 0

export const useSsoAppsStore = create<SsoAppsState & SsoAppsActions>()((set, get) => ({
  ...initialSsoAppsState,
  setSearch(search) {
    set({ search })
    void get().load()
  },
  async load() {
    const n = ++seq
    set({ loading: true })
    const search = get().search.trim()
    const r = await api.ssoApps.list({ limit: 200, ...(search ? { search } : {}) })
    if (n !== seq) return
    if (r.ok) set({ items: r.value.items, nextCursor: r.value.nextCursor, loading: false, error: null })
    else set({ error: r.error, loading: false })
  },
  async select(id) {
    const n = ++historySeq
    set({ selectedId: id, history: [], minted: null })
    if (!id) return
    const h = await api.audit.list({ target: id, limit: 30 })
    if (n === historySeq && h.ok) set({ history: h.value.items })
  },
  async add(input) {
    const r = await api.ssoApps.add(input)
    if (r.ok) {
      await get().load()
      await get().select(r.value.id)
    }
    return r
  },
  async update(input) {
    const r = await api.ssoApps.update(input)
    await get().load()
    if (r.ok) await get().select(r.value.id)
    return r
  },
  async remove(rec) {
    const r = await api.ssoApps.delete({ id: rec.id, version: rec.version })
    if (r.ok) await get().select(null)
    await get().load()
    return r
  },
  async mint(input) {
    const r = await api.ssoApps.mint(input)
    if (r.ok) {
      set({ minted: r.value })
      const id = get().selectedId
      if (id) {
        const h = await api.audit.list({ target: id, limit: 30 })
        if (h.ok) set({ history: h.value.items })
      }
    }
    return r
  }
}))
