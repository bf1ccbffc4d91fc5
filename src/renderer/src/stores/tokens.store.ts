import { create } from 'zustand'
import type { AuditEntry, Input, TokenCounts, TokenRecord, TokenVerbResult } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'

export type TokenSort = 'name' | 'created' | 'updated' | 'expiry'
export type VerbName = 'set' | 'dol' | 'rcc' | 'dis' | 'enb' | 'off' | 'pub' | 'del'

export interface TokenFilter {
  search: string
  state: '' | 'enabled' | 'disabled'
  published: '' | 'online' | 'offline'
  bin: boolean
  creator: string
  /** yyyy-mm-dd */
  expiringBefore: string
  origin: '' | 'local' | 'pulled'
  sort: TokenSort
  dir: 'asc' | 'desc'
}

export interface TokensState {
  filter: TokenFilter
  /** Rows loaded so far, contiguous from the top (keyset pages append). */
  rows: TokenRecord[]
  nextCursor: string | null
  /** true once the first page of the current query answered. */
  loaded: boolean
  loading: boolean
  error: AppErrorShape | null
  counts: TokenCounts | null
  selectedId: string | null
  detail: TokenRecord | null
  history: AuditEntry[]
  detailError: AppErrorShape | null
}

export interface TokensActions {
  setFilter(patch: Partial<TokenFilter>): void
  reload(): Promise<void>
  /** Loads keyset pages until row `index` is present (or the list ends). */
  ensureLoaded(index: number): Promise<void>
  loadCounts(): Promise<void>
  select(id: string | null): Promise<void>
  add(input: Input<'tokens:add'>): Promise<Result<TokenVerbResult>>
  set(input: Input<'tokens:set'>): Promise<Result<TokenVerbResult>>
  verb(verb: Exclude<VerbName, 'set'>, record: Pick<TokenRecord, 'id' | 'version'>, reason?: string): Promise<Result<unknown>>
  reset(): void
}

export const initialTokenFilter: TokenFilter = {
  search: '',
  state: '',
  published: '',
  bin: false,
  creator: '',
  expiringBefore: '',
  origin: '',
  sort: 'updated',
  dir: 'desc'
}

export const initialTokensState: TokensState = {
  filter: initialTokenFilter,
  rows: [],
  nextCursor: null,
  loaded: false,
  loading: false,
  error: null,
  counts: null,
  selectedId: null,
  detail: null,
  history: [],
  detailError: null
}

export const PAGE_SIZE = 500

// `gen` identifies the current query: pages of an older query (the user typed again) are dropped on arrival.
let gen = 0
let countsSeq = 0
let detailSeq = 0
let paging: Promise<void> | null = null

function queryOf(f: TokenFilter) {
  return {
    bin: f.bin,
    sort: f.sort,
    dir: f.dir,
    limit: PAGE_SIZE,
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.state ? { state: f.state } : {}),
    ...(f.published ? { published: f.published === 'online' } : {}),
    ...(f.creator.trim() ? { creator: f.creator.trim() } : {}),
    ...(f.expiringBefore ? { expiringBefore: f.expiringBefore } : {}),
    ...(f.origin ? { origin: f.origin } : {})
  }
}

/** The exact row count when the counts per state answer it; null when only paging can tell. */
export function exactTotal(f: TokenFilter, c: TokenCounts | null): number | null {
  if (!c || f.search.trim() || f.creator.trim() || f.expiringBefore || f.origin) return null
  if (f.bin) return f.state || f.published ? null : c.bin
  if (f.state && f.published) return null
  if (f.state) return f.state === 'enabled' ? c.enabled : c.disabled
  if (f.published) return f.published === 'online' ? c.online : c.offline
  return c.live
}

export const useTokensStore = create<TokensState & TokensActions>()((set, get) => ({
  ...initialTokensState,
  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } })
    void get().reload()
  },
  async reload() {
    const g = ++gen
    paging = null
    set({ loading: true, error: null })
    const r = await api.tokens.list(queryOf(get().filter))
    if (g !== gen) return
    if (r.ok) set({ rows: r.value.items, nextCursor: r.value.nextCursor, loaded: true, loading: false })
    else set({ rows: [], nextCursor: null, loaded: true, loading: false, error: r.error })
  },
  async ensureLoaded(index) {
    if (paging) return paging
    const g = gen
    paging = (async () => {
      while (g === gen && get().rows.length <= index && get().nextCursor) {
        set({ loading: true })
        const r = await api.tokens.list({ ...queryOf(get().filter), cursor: get().nextCursor! })
        if (g !== gen) return
        if (!r.ok) {
          set({ error: r.error, loading: false })
          return
        }
        set({ rows: [...get().rows, ...r.value.items], nextCursor: r.value.nextCursor, loading: false })
      }
    })()
    try {
      await paging
    } finally {
      if (g === gen) paging = null
    }
  },
  async loadCounts() {
    const n = ++countsSeq
    const r = await api.tokens.counts({})
    if (n === countsSeq && r.ok) set({ counts: r.value })
  },
  async select(id) {
    const n = ++detailSeq
    set({ selectedId: id, detailError: null, ...(id ? {} : { detail: null, history: [] }) })
    if (!id) return
    const [rec, hist] = await Promise.all([api.tokens.get({ id }), api.audit.list({ target: id, limit: 50 })])
    if (n !== detailSeq) return
    if (rec.ok) set({ detail: rec.value, history: hist.ok ? hist.value.items : [] })
    else set({ detail: null, history: [], detailError: rec.error })
  },
  async add(input) {
    const r = await api.tokens.add(input)
    if (r.ok) await afterChange(r.value.record.id)
    return r
  },
  async set(input) {
    const r = await api.tokens.set(input)
    if (r.ok) await afterChange(input.id)
    return r
  },
  async verb(verb, rec, reason) {
    const input = { id: rec.id, version: rec.version }
    const r =
      verb === 'dol'
        ? await api.tokens.dol(input)
        : verb === 'rcc'
          ? await api.tokens.rcc(input)
          : verb === 'dis'
            ? await api.tokens.dis({ ...input, ...(reason ? { reason } : {}) })
            : verb === 'enb'
              ? await api.tokens.enb(input)
              : verb === 'off'
                ? await api.tokens.off(input)
                : verb === 'pub'
                  ? await api.tokens.pub(input)
                  : await api.tokens.del(input)
    // Refresh either way: on CONFLICT the user must see what changed underneath.
    await afterChange(verb === 'del' && r.ok ? null : rec.id)
    return r
  },
  reset() {
    gen++
    countsSeq++
    detailSeq++
    paging = null
    set(initialTokensState)
  }
}))

async function afterChange(selectId: string | null) {
  const s = useTokensStore.getState()
  await Promise.all([s.reload(), s.loadCounts(), s.select(selectId)])
}
