import type { TokenDeskApi } from '../shared/contract'
import type { TokenDeskShellApi } from '../shared/shell-events'

declare global {
  interface Window {
    /** Present only inside the Electron shell (the preload); the web mode uses RPC instead. */
    tokendesk?: TokenDeskApi
    /** Present only inside the Electron shell: menu actions, the idle lock and deep links (src/shared/shell-events.ts). */
    tokendeskShell?: TokenDeskShellApi
  }
}
export {}
