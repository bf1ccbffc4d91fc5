import { create } from 'zustand'
import type { Input, Output, SsoAppRecord, SsoAppSaved } from '../../../shared/contract'
import type { Result } from '../../../shared/errors'
import { api } from '../api'
import { initialRecordListState, recordListActions, type RecordListActions, type RecordListState } from './recordList'

export type SsoMint = Output<'ssoApps:mint'>

export interface SsoAppsState extends RecordListState<SsoAppRecord> {
  /** The last test token minted (the user asked for it; it is a test credential meant to be copied). */
  minted: SsoMint | null
}

export interface SsoAppsActions extends RecordListActions<
  SsoAppRecord,
  Input<'ssoApps:add'>,
  Input<'ssoApps:update'>,
  SsoAppSaved
> {
  mint(input: Input<'ssoApps:mint'>): Promise<Result<SsoMint>>
}

const initialSsoAppsState: SsoAppsState = { ...initialRecordListState, minted: null }

export const useSsoAppsStore = create<SsoAppsState & SsoAppsActions>()((set, get) => ({
  ...initialSsoAppsState,
  ...recordListActions(set, get, api.ssoApps, initialSsoAppsState, () => set({ minted: null })),
  async mint(input) {
    const r = await api.ssoApps.mint(input)
    if (r.ok) {
      set({ minted: r.value })
      // The mint is audited: the selected app's history shows it.
      await get().reloadHistory()
    }
    return r
  }
}))
