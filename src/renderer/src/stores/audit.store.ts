import { create } from 'zustand'
import type { AuditEntry } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api } from '../api'

export interface AuditFilter {
  action: string
  target: string
  outcome: string
}

export interface AuditState {
  filter: AuditFilter
  items: AuditEntry[]
  nextCursor: number | null
  loading: boolean
  error: AppErrorShape | null
}

export interface AuditActions {
  setFilter(patch: Partial<AuditFilter>): void
  load(): Promise<void>
  loadMore(): Promise<void>
}

const initialAuditState: AuditState = {
  filter: { action: '', target: '', outcome: '' },
  items: [],
  nextCursor: null,
  loading: false,
  error: null
}

const PAGE = 100
let seq = 0

function query(f: AuditFilter, before?: number) {
  return {
    limit: PAGE,
    ...(f.action.trim() ? { action: f.action.trim() } : {}),
    ...(f.target.trim() ? { target: f.target.trim() } : {}),
    ...(f.outcome.trim() ? { outcome: f.outcome.trim() } : {}),
    ...(before ? { before } : {})
  }
}

export const useAuditStore = create<AuditState & AuditActions>()((set, get) => ({
  ...initialAuditState,
  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } })
  },
  async load() {
    const n = ++seq
    set({ loading: true, error: null })
    const r = await api.audit.list(query(get().filter))
    if (n !== seq) return
    if (r.ok) set({ items: r.value.items, nextCursor: r.value.nextCursor, loading: false })
    else set({ error: r.error, loading: false })
  },
  async loadMore() {
    const cursor = get().nextCursor
    if (cursor === null) return
    const n = ++seq
    set({ loading: true })
    const r = await api.audit.list(query(get().filter, cursor))
    if (n !== seq) return
    if (r.ok) set({ items: [...get().items, ...r.value.items], nextCursor: r.value.nextCursor, loading: false })
    else set({ error: r.error, loading: false })
  }
}))
