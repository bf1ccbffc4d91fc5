import type { ComponentType } from 'react'
import type { ScreenId } from '../stores/ui.store'
import { AuditScreen } from './Audit'
import { SettingsScreen } from './Settings'
import { DashboardScreen } from './Dashboard'
import { KeysScreen } from './Keys'
import { ConnectionsScreen } from './Connections'
import { SsoAppsScreen } from './SsoApps'
import { AccessTokensScreen } from './AccessTokens'
import { TokensScreen } from './tokens/TokensScreen'
import { JwtScreen } from './Jwt'

export const screenComponents: Record<ScreenId, ComponentType> = {
  dashboard: DashboardScreen,
  tokens: TokensScreen,
  accessTokens: AccessTokensScreen,
  ssoApps: SsoAppsScreen,
  jwt: JwtScreen,
  keys: KeysScreen,
  connections: ConnectionsScreen,
  audit: AuditScreen,
  settings: SettingsScreen
}
