import { create } from 'zustand'
import type {
  FindingRule,
  Input,
  InventoryCounts,
  InventoryKind,
  InventoryRow,
  RefreshResult
} from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { api, waitForJob } from '../api'

/** The Inventory screen's filters as the controls hold them ('' = any). */
export interface InventoryFilterState {
  server: string
  kind: '' | InventoryKind
  /** Days, as typed; '' = no bound. */
  within: string
  expired: boolean
  neverExpires: boolean
  findings: boolean
}

export const emptyInventoryFilter: InventoryFilterState = {
  server: '',
  kind: '',
  within: '',
  expired: false,
  neverExpires: false,
  findings: false
}

/** The channel's filter from the controls: unset controls send nothing. */
export function filterInput(f: InventoryFilterState): Input<'inventory:export'> & object {
  const days = Number(f.within)
  return {
    ...(f.server ? { server: f.server } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.within.trim() && Number.isInteger(days) && days >= 0 ? { expiringWithin: days } : {}),
    ...(f.expired ? { expired: true } : {}),
    ...(f.neverExpires ? { neverExpires: true } : {}),
    ...(f.findings ? { findings: true } : {})
  }
}

/** One row's key in the table and the selection: kind and local id name a record. */
export const rowKey = (r: Pick<InventoryRow, 'kind' | 'id'>) => `${r.kind}:${r.id}`

export interface InventoryState {
  filter: InventoryFilterState
  rows: InventoryRow[]
  nextCursor: string | null
  /** Epoch ms the time rules were judged at, and the watch window they used. */
  at: number | null
  windowDays: number
  loading: boolean
  error: AppErrorShape | null
  counts: InventoryCounts | null
  rules: FindingRule[]
  /** Server filter choices: "local" and every connection's name. */
  servers: string[]
  selected: Set<string>
  activeKey: string | null
  refresh: { done: number; total: number | null } | null
  refreshResult: RefreshResult | null
  refreshError: AppErrorShape | null
}

export interface InventoryActions {
  load(): Promise<void>
  more(): Promise<void>
  setFilter(patch: Partial<InventoryFilterState>, replace?: boolean): void
  loadCounts(): Promise<void>
  loadMeta(): Promise<void>
  setSelected(next: Set<string>): void
  activate(key: string | null): void
  refreshAll(): Promise<void>
  clearRefresh(): void
  reset(): void
}

const initialInventoryState: InventoryState = {
  filter: emptyInventoryFilter,
  rows: [],
  nextCursor: null,
  at: null,
  windowDays: 14,
  loading: false,
  error: null,
  counts: null,
  rules: [],
  servers: ['local'],
  selected: new Set(),
  activeKey: null,
  refresh: null,
  refreshResult: null,
  refreshError: null
}

const PAGE = 100
let listSeq = 0
let countsSeq = 0

export const useInventoryStore = create<InventoryState & InventoryActions>()((set, get) => ({
  ...initialInventoryState,
  async load() {
    const n = ++listSeq
    set({ loading: true })
    const r = await api.inventory.list({ ...filterInput(get().filter), limit: PAGE })
    if (n !== listSeq) return
    if (!r.ok) return set({ loading: false, error: r.error })
    const keys = new Set(r.value.items.map(rowKey))
    set({
      rows: r.value.items,
      nextCursor: r.value.nextCursor,
      at: r.value.at,
      windowDays: r.value.windowDays,
      loading: false,
      error: null,
      // A selection or an open row that left the list goes with it.
      selected: new Set([...get().selected].filter((k) => keys.has(k))),
      activeKey: get().activeKey && keys.has(get().activeKey!) ? get().activeKey : null
    })
  },
  async more() {
    const cursor = get().nextCursor
    if (!cursor) return
    const n = ++listSeq
    const r = await api.inventory.list({ ...filterInput(get().filter), limit: PAGE, cursor })
    if (n !== listSeq) return
    if (!r.ok) return set({ error: r.error })
    set({ rows: [...get().rows, ...r.value.items], nextCursor: r.value.nextCursor, error: null })
  },
  setFilter(patch, replace = false) {
    set({
      filter: replace ? { ...emptyInventoryFilter, ...patch } : { ...get().filter, ...patch },
      selected: new Set()
    })
    void get().load()
  },
  async loadCounts() {
    const n = ++countsSeq
    const r = await api.inventory.counts({})
    if (n !== countsSeq) return
    if (r.ok) set({ counts: r.value })
  },
  async loadMeta() {
    const [rules, conns] = await Promise.all([api.inventory.findings({}), api.connections.list({})])
    set({
      ...(rules.ok ? { rules: rules.value } : {}),
      ...(conns.ok ? { servers: ['local', ...conns.value.map((c) => c.name)] } : {})
    })
  },
  setSelected(next) {
    set({ selected: next })
  },
  activate(key) {
    set({ activeKey: key })
  },
  async refreshAll() {
    set({ refresh: { done: 0, total: null }, refreshResult: null, refreshError: null })
    const r = await api.inventory.refresh({})
    if (!r.ok) return set({ refresh: null, refreshError: r.error })
    const end = await waitForJob(r.value.jobId, (job) => set({ refresh: { done: job.done, total: job.total } }))
    set({ refresh: null })
    if (!end.ok) set({ refreshError: end.error })
    else if (end.value.state === 'failed')
      set({ refreshError: end.value.error ?? { code: 'INTERNAL', message: 'The refresh failed' } })
    else set({ refreshResult: (end.value.result as RefreshResult | undefined) ?? null })
    await Promise.all([get().load(), get().loadCounts()])
  },
  clearRefresh() {
    set({ refreshResult: null, refreshError: null })
  },
  reset() {
    listSeq++
    countsSeq++
    set({ ...initialInventoryState, selected: new Set() })
  }
}))

/** Opens the Inventory with exactly these filters (the dashboard card, the watch banner, a notification). */
export function showInventory(patch: Partial<InventoryFilterState>, go: (screen: 'inventory') => void): void {
  useInventoryStore.getState().setFilter(patch, true)
  go('inventory')
}
