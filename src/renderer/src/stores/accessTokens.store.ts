import { create } from 'zustand'
import type { AccessTokenRecord, Input } from '../../../shared/contract'
import { api } from '../api'
import { initialRecordListState, recordListActions, type RecordListActions, type RecordListState } from './recordList'

export type AccessTokensState = RecordListState<AccessTokenRecord>
export type AccessTokensActions = RecordListActions<
  AccessTokenRecord,
  Input<'accessTokens:add'>,
  Input<'accessTokens:update'>
>

const initialAccessTokensState: AccessTokensState = initialRecordListState

export const useAccessTokensStore = create<AccessTokensState & AccessTokensActions>()((set, get) => ({
  ...initialAccessTokensState,
  ...recordListActions(set, get, api.accessTokens, initialAccessTokensState)
}))
