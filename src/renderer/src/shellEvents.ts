import { useEffect } from 'react'
import type { ShellEvent } from '../../shared/shell-events'
import { useUiStore, isScreen } from './stores/ui.store'
import { useTokensStore } from './stores/tokens.store'
import { useJwtStore } from './stores/jwt.store'
import { showInventory } from './stores/inventory.store'

/** Acts on one desktop-shell event (menu action, idle lock, validated deep link). Exported for tests. */
function handleShellEvent(e: ShellEvent): void {
  const ui = useUiStore.getState()
  switch (e.type) {
    case 'navigate':
      if (isScreen(e.screen)) ui.go(e.screen)
      return
    case 'lock':
      ui.lock()
      ui.toast('info', 'Locked: revealed secrets were hidden')
      return
    case 'openToken':
      ui.go('tokens')
      void useTokensStore.getState().select(e.id)
      return
    case 'openInventory':
      showInventory({ within: String(e.expiringWithin) }, ui.go)
      return
    case 'decodeJwt': {
      // Deep links only ever decode: never verify with a key or store anything.
      const jwt = useJwtStore.getState()
      ui.go('jwt')
      jwt.setTab('decode')
      jwt.setToken(e.token)
      void jwt.explain()
      return
    }
    case 'command':
      switch (e.command) {
        case 'commandPalette':
          ui.setPalette(true)
          return
        case 'newToken':
          ui.go('tokens')
          return
        case 'newKey':
          ui.go('keys')
          return
        case 'signJwt':
          ui.go('jwt')
          useJwtStore.getState().setTab('sign')
          return
        case 'refresh':
          location.reload()
          return
      }
  }
}

/** Subscribes to the desktop shell's events; a no-op in the web mode, where there is no shell. */
export function useShellEvents(): void {
  useEffect(() => window.tokendeskShell?.onShellEvent(handleShellEvent), [])
}
