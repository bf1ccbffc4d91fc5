import type { AuditEntry, KeysetPage } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'

/** A searchable, paged list of versioned records with one selected and its audit history (access tokens, SSO apps). */
export interface RecordListState<R> {
  search: string
  items: R[]
  nextCursor: string | null
  loading: boolean
  error: AppErrorShape | null
  selectedId: string | null
  history: AuditEntry[]
}

/** `Saved` is what add and update answer: the record, or the record with what the save warns of. */
export interface RecordListActions<R, AddInput, UpdateInput, Saved extends R = R> {
  setSearch(s: string): void
  load(): Promise<void>
  loadMore(): Promise<void>
  select(id: string | null): Promise<void>
  /** Reads the selected record's audit history again (after an audited action on it). */
  reloadHistory(): Promise<void>
  add(input: AddInput): Promise<Result<Saved>>
  update(input: UpdateInput): Promise<Result<Saved>>
  remove(rec: { id: string; version: number }): Promise<Result<unknown>>
  reset(): void
}

/** The channels a record list calls, by role. */
export interface RecordCalls<R, AddInput, UpdateInput, Saved extends R = R> {
  list(q: { limit: number; cursor?: string; search?: string }): Promise<Result<KeysetPage<R>>>
  add(input: AddInput): Promise<Result<Saved>>
  update(input: UpdateInput): Promise<Result<Saved>>
  delete(input: { id: string; version: number }): Promise<Result<unknown>>
}

export const initialRecordListState = {
  search: '',
  items: [],
  nextCursor: null,
  loading: false,
  error: null,
  selectedId: null,
  history: []
} satisfies RecordListState<never>

const PAGE = 200
const HISTORY = 30

/**
 * The actions of a record list store. Request counters drop stale answers: a list or history that arrives after a
 * newer request was made is not shown. `onSelect` clears what belongs to the previous selection; `initial` is what
 * reset() restores.
 */
export function recordListActions<R extends { id: string }, AddInput, UpdateInput, Saved extends R = R>(
  set: (patch: Partial<RecordListState<R>>) => void,
  get: () => RecordListState<R> & RecordListActions<R, AddInput, UpdateInput, Saved>,
  calls: RecordCalls<R, AddInput, UpdateInput, Saved>,
  initial: RecordListState<R>,
  onSelect: () => void = () => undefined
): RecordListActions<R, AddInput, UpdateInput, Saved> {
  let seq = 0
  let historySeq = 0
  const query = (cursor?: string) => {
    const search = get().search.trim()
    return { limit: PAGE, ...(cursor ? { cursor } : {}), ...(search ? { search } : {}) }
  }
  const history = async (id: string) => {
    const n = ++historySeq
    const h = await api.audit.list({ target: id, limit: HISTORY })
    if (n === historySeq && h.ok) set({ history: h.value.items })
  }
  return {
    setSearch(search) {
      set({ search })
      void get().load()
    },
    async load() {
      const n = ++seq
      set({ loading: true })
      const r = await calls.list(query())
      if (n !== seq) return
      if (r.ok) set({ items: r.value.items, nextCursor: r.value.nextCursor, loading: false, error: null })
      else set({ error: r.error, loading: false })
    },
    async loadMore() {
      const cursor = get().nextCursor
      if (!cursor) return
      const n = ++seq
      const r = await calls.list(query(cursor))
      if (n !== seq) return
      if (r.ok) set({ items: [...get().items, ...r.value.items], nextCursor: r.value.nextCursor })
      else set({ error: r.error })
    },
    async select(id) {
      historySeq++
      set({ selectedId: id, history: [] })
      onSelect()
      if (id) await history(id)
    },
    async reloadHistory() {
      const id = get().selectedId
      if (id) await history(id)
    },
    async add(input) {
      const r = await calls.add(input)
      if (r.ok) {
        await get().load()
        await get().select(r.value.id)
      }
      return r
    },
    async update(input) {
      const r = await calls.update(input)
      await get().load()
      if (r.ok) await get().select(r.value.id)
      return r
    },
    async remove(rec) {
      const r = await calls.delete({ id: rec.id, version: rec.version })
      if (r.ok) await get().select(null)
      await get().load()
      return r
    },
    reset() {
      seq++
      historySeq++
      set(initial)
    }
  }
}
