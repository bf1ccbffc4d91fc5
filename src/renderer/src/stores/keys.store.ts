import { create } from 'zustand'
import type { Input, KeyExport, KeyInfo } from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'
import { latest, loadItems } from './latest'

export interface KeysState {
  items: KeyInfo[]
  loading: boolean
  error: AppErrorShape | null
  selected: string | null
  /** The last export (public material only: keys:export never returns a secret). */
  exported: KeyExport | null
}

export interface KeysActions {
  load(): Promise<void>
  select(name: string | null): void
  generate(input: Input<'keys:generate'>): Promise<Result<KeyInfo>>
  importKey(input: Input<'keys:import'>): Promise<Result<KeyInfo>>
  exportKey(input: Input<'keys:export'>): Promise<Result<KeyExport>>
  remove(name: string): Promise<Result<unknown>>
}

const initialKeysState: KeysState = { items: [], loading: false, error: null, selected: null, exported: null }

const requests = latest('list')

export const useKeysStore = create<KeysState & KeysActions>()((set, get) => {
  /** A key just generated or imported: the list is read again and the new key selected. */
  const selectNew = async (r: Result<KeyInfo>): Promise<Result<KeyInfo>> => {
    if (r.ok) {
      await get().load()
      set({ selected: r.value.name, exported: null })
    }
    return r
  }
  return {
    ...initialKeysState,
    load: () => loadItems(requests.list, set, () => api.keys.list({})),
    select(name) {
      set({ selected: name, exported: null })
    },
    generate: async (input) => selectNew(await api.keys.generate(input)),
    importKey: async (input) => selectNew(await api.keys.import(input)),
    async exportKey(input) {
      const r = await api.keys.export(input)
      if (r.ok) set({ exported: r.value })
      return r
    },
    async remove(name) {
      const r = await api.keys.delete({ name })
      if (r.ok) {
        set({ selected: null, exported: null })
        await get().load()
      }
      return r
    }
  }
})

/** Algorithms a key can be used with: an HMAC secret signs HS*, RSA RS* and PS*, EC its curve's ES*, OKP EdDSA. */
export function algorithmsFor(key: Pick<KeyInfo, 'kty' | 'crv' | 'alg'>): string[] {
  switch (key.kty) {
    case 'oct':
      return ['HS256', 'HS384', 'HS512']
    case 'RSA':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
    case 'EC':
      return key.crv === 'P-384' ? ['ES384'] : key.crv === 'P-521' ? ['ES512'] : ['ES256']
    case 'OKP':
      return ['EdDSA']
    default:
      return [key.alg]
  }
}
