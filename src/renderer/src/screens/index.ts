import { lazy, type ComponentType } from 'react'
import type { ScreenId } from '../stores/ui.store'
import { DashboardScreen } from './Dashboard'

// The landing screen ships with the shell; every other screen is its own chunk, loaded when first opened.
export const screenComponents: Record<ScreenId, ComponentType> = {
  dashboard: DashboardScreen,
  inventory: lazy(() => import('./inventory/InventoryScreen').then((m) => ({ default: m.InventoryScreen }))),
  tokens: lazy(() => import('./tokens/TokensScreen').then((m) => ({ default: m.TokensScreen }))),
  accessTokens: lazy(() => import('./AccessTokens').then((m) => ({ default: m.AccessTokensScreen }))),
  ssoApps: lazy(() => import('./SsoApps').then((m) => ({ default: m.SsoAppsScreen }))),
  jwt: lazy(() => import('./Jwt').then((m) => ({ default: m.JwtScreen }))),
  keys: lazy(() => import('./Keys').then((m) => ({ default: m.KeysScreen }))),
  connections: lazy(() => import('./Connections').then((m) => ({ default: m.ConnectionsScreen }))),
  audit: lazy(() => import('./Audit').then((m) => ({ default: m.AuditScreen }))),
  settings: lazy(() => import('./Settings').then((m) => ({ default: m.SettingsScreen })))
}
