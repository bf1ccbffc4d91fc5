import { create } from 'zustand'
import type { AuditEntry, Input, TokenCounts, TokenRecord, TokenVerbResult } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'
import { useUiStore } from './ui.store'

/** The key of Undo offers made for a token. */
export const undoKey = (id: string) => `token-undo:${id}`

export type TokenSort = 'name' | 'created' | 'updated' | 'expiry'
export type VerbName = 'set' | 'dol' | 'rcc' | 'dis' | 'enb' | 'off' | 'pub' | 'del'

export interface TokenFilter {
  search: string
  state: '' | 'enabled' | 'disabled'
  published: '' | 'online' | 'offline'
  bin: boolean
  creator: string
  /** yyyy-mm-dd from the date field, or an exact ISO date-time set by the dashboard; '' for none. */
  expiringBefore: string
  /** As expiringBefore, the window's other end: the dashboard's "expiring in N days" sets both. */
  expiringAfter: string
  origin: '' | 'local' | 'pulled'
  sort: TokenSort
  dir: 'asc' | 'desc'
}

export interface TokensState {
  filter: TokenFilter
  /**
   * Keyset pages by page number (FIRST_PAGE rows in page 0, PAGE_SIZE in the others). Only pages near what is on screen are kept, so a 1,000,000-row
   * store never sits in renderer memory; `cursors[k]` (kept for every page walked or reached by 'tokens:seek', sparse
   * after far jumps) fetches page k again.
   */
  pages: Record<number, TokenRecord[]>
  cursors: (string | null)[]
  /** Pages read in order from the top so far, and the rows in them. */
  walked: number
  walkedRows: number
  /** false once the last page was read. */
  more: boolean
  /**
   * How many rows the filters match when the counts per state cannot say (a search, a creator, an expiry window):
   * 'tokens:count' asked once the first page shows there is more than one page; `capped` above its cap.
   */
  matched: { count: number; capped: boolean } | null
  /** true once the first page of the current query answered. */
  loaded: boolean
  loading: boolean
  /**
   * A short jump walks keyset pages from the nearest known cursor: which page it is on and which it needs (for the UI).
   * Far jumps (more than one page to walk) ask 'tokens:seek' for the target page's cursor instead.
   */
  seeking: { page: number; target: number } | null
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
  /** Loads the keyset pages holding rows first..last (a seek for far pages, then keyset reads). */
  ensureRows(first: number, last: number): Promise<void>
  loadCounts(): Promise<void>
  select(id: string | null): Promise<void>
  add(input: Input<'tokens:add'>): Promise<Result<TokenVerbResult>>
  set(input: Input<'tokens:set'>): Promise<Result<TokenVerbResult>>
  verb(
    verb: Exclude<VerbName, 'set'>,
    record: Pick<TokenRecord, 'id' | 'version'>,
    reason?: string
  ): Promise<Result<unknown>>
  reset(): void
}

const initialTokenFilter: TokenFilter = {
  search: '',
  state: '',
  published: '',
  bin: false,
  creator: '',
  expiringBefore: '',
  expiringAfter: '',
  origin: '',
  sort: 'updated',
  dir: 'desc'
}

const initialTokensState: TokensState = {
  filter: initialTokenFilter,
  pages: {},
  cursors: [null],
  walked: 0,
  walkedRows: 0,
  more: true,
  matched: null,
  loaded: false,
  loading: false,
  seeking: null,
  error: null,
  counts: null,
  selectedId: null,
  detail: null,
  history: [],
  detailError: null
}

export const PAGE_SIZE = 500
/**
 * The first page is small: it is what the user waits for after navigating or typing a search, and a non-selective
 * search costs the store time in proportion to the rows it must find. Later pages are large so walks need few calls.
 */
const FIRST_PAGE = 100

function pageOf(index: number): number {
  return index < FIRST_PAGE ? 0 : 1 + Math.floor((index - FIRST_PAGE) / PAGE_SIZE)
}
export function firstRowOf(page: number): number {
  return page === 0 ? 0 : FIRST_PAGE + (page - 1) * PAGE_SIZE
}

// `gen` identifies the current query: pages of an older query (the user typed again) are dropped on arrival.
let gen = 0
let countsSeq = 0
let detailSeq = 0
let paging: Promise<void> | null = null
/** Pages kept around the viewport (plus page 0); the rest are dropped and fetched again by cursor when needed. */
const KEEP_PAGES = 4

export function rowAt(s: Pick<TokensState, 'pages'>, index: number): TokenRecord | undefined {
  const p = pageOf(index)
  return s.pages[p]?.[index - firstRowOf(p)]
}

function queryOf(f: TokenFilter) {
  return { ...filtersOf(f), limit: FIRST_PAGE }
}

/** What decides the rows and their order: shared by 'tokens:list' and 'tokens:seek'. */
function filtersOf(f: TokenFilter) {
  return {
    bin: f.bin,
    sort: f.sort,
    dir: f.dir,
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.state ? { state: f.state } : {}),
    ...(f.published ? { published: f.published === 'online' } : {}),
    ...(f.creator.trim() ? { creatorPrefix: f.creator.trim() } : {}),
    ...(f.expiringBefore ? { expiringBefore: f.expiringBefore } : {}),
    ...(f.expiringAfter ? { expiringAfter: f.expiringAfter } : {}),
    ...(f.origin ? { origin: f.origin } : {})
  }
}

/** The exact row count when the counts per state answer it; null when it takes a count or paging to tell. */
export function exactTotal(f: TokenFilter, c: TokenCounts | null): number | null {
  if (!c || f.search.trim() || f.creator.trim() || f.expiringBefore || f.expiringAfter || f.origin) return null
  if (f.bin) return f.state || f.published ? null : c.bin
  if (f.state && f.published) return null
  if (f.state) return f.state === 'enabled' ? c.enabled : c.disabled
  if (f.published) return f.published === 'online' ? c.online : c.offline
  return c.live
}

/** The row count the list can rely on (exact), or null while only paging can tell. */
export function knownTotal(
  s: Pick<TokensState, 'filter' | 'counts' | 'matched' | 'more' | 'walkedRows'>
): number | null {
  if (!s.more) return s.walkedRows
  const exact = exactTotal(s.filter, s.counts)
  if (exact !== null) return exact
  return s.matched && !s.matched.capped ? s.matched.count : null
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
    set({ loading: true, error: null, seeking: null, matched: null })
    const { filter } = get()
    const r = await api.tokens.list(queryOf(filter))
    if (g !== gen) return
    if (r.ok)
      set({
        pages: { 0: r.value.items },
        cursors: [null, r.value.nextCursor],
        walked: 1,
        walkedRows: r.value.items.length,
        more: r.value.nextCursor !== null,
        loaded: true,
        loading: false
      })
    else
      set({
        pages: {},
        cursors: [null],
        walked: 0,
        walkedRows: 0,
        more: false,
        loaded: true,
        loading: false,
        error: r.error
      })
    // One page answers its own count; more than one, and the counts per state not covering the filters: ask the store.
    if (r.ok && r.value.nextCursor !== null && exactTotal(filter, get().counts) === null) {
      const { sort: _sort, dir: _dir, ...filters } = filtersOf(filter)
      const c = await api.tokens.count(filters)
      if (g === gen && c.ok) set({ matched: c.value })
    }
  },
  async ensureRows(first, last) {
    const g = gen
    const want = { from: pageOf(first), to: pageOf(last) }
    const missing = () => {
      for (let k = want.from; k <= want.to; k++) if (!get().pages[k] && (k < get().walked || get().more)) return k
      return -1
    }
    // One walker at a time; a newer viewport simply asks again when this one finishes.
    while (paging) await paging
    if (g !== gen || missing() < 0) return
    paging = (async () => {
      for (let k = missing(); k >= 0 && g === gen; k = missing()) {
        // The nearest page at or before k whose cursor we know: every page up to `walked` has one, and pages reached
        // by a seek (and the pages after them) have theirs.
        let start = Math.min(k, get().walked)
        for (let j = k; j > start; j--)
          if (get().cursors[j] !== undefined) {
            start = j
            break
          }
        if (k - start > 1) {
          // Far jump: ask the store for page k's keyset cursor (one index probe) instead of walking every page before
          // it; the page itself is then an ordinary keyset read, and near scrolling continues from its cursors.
          set({ loading: true, seeking: null })
          const r = await api.tokens.seek({ ...filtersOf(get().filter), position: firstRowOf(k) })
          if (g !== gen) return
          if (!r.ok) return set({ error: r.error, loading: false })
          if (r.value.end) return set({ loading: false })
          const cursors = get().cursors.slice()
          cursors[k] = r.value.cursor
          set({ cursors })
          start = k
        }
        for (let j = start; j <= k && g === gen; j++) {
          if (get().pages[j] && j < k) continue
          const cursor = get().cursors[j]
          if (j > 0 && !cursor) return
          set({ loading: true, seeking: k - j > 1 ? { page: j, target: k } : null })
          const r = await api.tokens.list({
            ...queryOf(get().filter),
            limit: j === 0 ? FIRST_PAGE : PAGE_SIZE,
            ...(cursor ? { cursor } : {})
          })
          if (g !== gen) return
          if (!r.ok) return set({ error: r.error, loading: false })
          const s = get()
          const cursors = s.cursors.slice()
          cursors[j + 1] = r.value.nextCursor
          const pages: Record<number, TokenRecord[]> = {}
          for (const [key, rows] of Object.entries(s.pages)) {
            const n = Number(key)
            if (n === 0 || (n >= want.from - KEEP_PAGES && n <= want.to + KEEP_PAGES)) pages[n] = rows
          }
          pages[j] = r.value.items
          const extends_ = j === s.walked
          set({
            pages,
            cursors,
            loading: false,
            ...(extends_
              ? { walked: j + 1, walkedRows: s.walkedRows + r.value.items.length, more: r.value.nextCursor !== null }
              : {})
          })
          if (r.value.nextCursor === null) return
        }
      }
    })()
    try {
      await paging
    } finally {
      paging = null
      if (g === gen) set({ seeking: null })
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
    if (r.ok) useUiStore.getState().dismissKey(undoKey(input.id))
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
    // Any change to a token makes an earlier Undo offer for it stale (it would undo from a state it is no longer in).
    if (r.ok) useUiStore.getState().dismissKey(undoKey(rec.id))
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
