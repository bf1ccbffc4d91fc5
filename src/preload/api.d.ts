import type { TokenDeskApi } from '../shared/contract'

declare global {
  interface Window {
    /** Present only inside the Electron shell (the preload); the web mode uses RPC instead. */
    tokendesk?: TokenDeskApi
  }
}
export {}
