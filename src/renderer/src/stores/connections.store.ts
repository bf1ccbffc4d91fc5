import { create } from 'zustand'
import type {
  Connection,
  ConnectionTestResult,
  DataforConfig,
  DiffResult,
  FessListResult,
  Input,
  JobInfo,
  XduaToken
} from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'
import { followJobInto, latest, loadItems } from './latest'

/** What the selected connection's server holds right now, by kind. */
export type RemoteListing =
  | { kind: 'fess'; result: FessListResult }
  | { kind: 'datafor'; items: DataforConfig[] }
  | { kind: 'xdua'; total: number; items: XduaToken[] }

export interface ConnectionsState {
  items: Connection[]
  loading: boolean
  error: AppErrorShape | null
  selectedId: string | null
  testResults: Record<string, { ok: ConnectionTestResult | null; error: AppErrorShape | null }>
  remote: RemoteListing | null
  remoteLoading: boolean
  remoteError: AppErrorShape | null
  pullJob: JobInfo | null
  pullError: AppErrorShape | null
  diff: DiffResult | null
}

export interface ConnectionsActions {
  load(): Promise<void>
  select(id: string | null): Promise<void>
  add(input: Input<'connections:add'>): Promise<Result<Connection>>
  update(input: Input<'connections:update'>): Promise<Result<Connection>>
  remove(id: string): Promise<Result<unknown>>
  test(id: string): Promise<void>
  refreshRemote(): Promise<void>
  pull(): Promise<void>
  loadDiff(): Promise<Result<DiffResult>>
}

const initialConnectionsState: ConnectionsState = {
  items: [],
  loading: false,
  error: null,
  selectedId: null,
  testResults: {},
  remote: null,
  remoteLoading: false,
  remoteError: null,
  pullJob: null,
  pullError: null,
  diff: null
}

const requests = latest('list', 'remote', 'pull')

export const useConnectionsStore = create<ConnectionsState & ConnectionsActions>()((set, get) => ({
  ...initialConnectionsState,
  load: () => loadItems(requests.list, set, () => api.connections.list({})),
  async select(id) {
    set({ selectedId: id, remote: null, remoteError: null, pullJob: null, pullError: null, diff: null })
    if (id) await get().refreshRemote()
  },
  async add(input) {
    const r = await api.connections.add(input)
    if (r.ok) {
      await get().load()
      await get().select(r.value.id)
    }
    return r
  },
  async update(input) {
    const r = await api.connections.update(input)
    await get().load()
    if (r.ok) await get().refreshRemote()
    return r
  },
  async remove(id) {
    const r = await api.connections.remove({ id })
    if (r.ok && get().selectedId === id) await get().select(null)
    await get().load()
    return r
  },
  async test(id) {
    set({ testResults: { ...get().testResults, [id]: { ok: null, error: null } } })
    const r = await api.connections.test({ id })
    set({
      testResults: { ...get().testResults, [id]: r.ok ? { ok: r.value, error: null } : { ok: null, error: r.error } }
    })
  },
  async refreshRemote() {
    const conn = get().items.find((c) => c.id === get().selectedId)
    if (!conn) return
    const current = requests.remote.start()
    set({ remoteLoading: true, remoteError: null })
    let r: Result<RemoteListing>
    if (conn.kind === 'fess') {
      const x = await api.remote.fessList({ conn: conn.id, all: true })
      r = x.ok ? { ok: true, value: { kind: 'fess', result: x.value } } : x
    } else if (conn.kind === 'datafor') {
      const x = await api.remote.dataforList({ conn: conn.id })
      r = x.ok ? { ok: true, value: { kind: 'datafor', items: x.value.items } } : x
    } else {
      const x = await api.remote.xdua({ conn: conn.id, verb: 'QRI', limit: 200 })
      r = x.ok
        ? { ok: true, value: { kind: 'xdua', total: x.value.list?.total ?? 0, items: x.value.list?.items ?? [] } }
        : x
    }
    if (!current()) return
    if (r.ok) set({ remote: r.value, remoteLoading: false })
    else set({ remote: null, remoteError: r.error, remoteLoading: false })
  },
  async pull() {
    const id = get().selectedId
    if (!id) return
    await followJobInto(requests.pull, set, {
      before: { pullJob: null, pullError: null },
      start: () => api.remote.pull({ conn: id }),
      progress: (pullJob) => ({ pullJob }),
      failed: (pullError) => ({ pullError })
    })
  },
  async loadDiff() {
    const id = get().selectedId!
    const r = await api.remote.diff({ conn: id })
    if (r.ok) set({ diff: r.value })
    return r
  }
}))
