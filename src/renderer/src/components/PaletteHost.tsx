import { lazy, Suspense, useEffect, useState } from 'react'
import { useUiStore } from '../stores/ui.store'

// The palette (and cmdk with it) is its own chunk: loaded once the shell has painted, or at once when asked for.
const CommandPalette = lazy(() => import('./Palette').then((m) => ({ default: m.CommandPalette })))

export function PaletteHost() {
  const open = useUiStore((s) => s.paletteOpen)
  const [load, setLoad] = useState(false)
  // Ctrl+K is handled here for the whole session, so there is no moment (the chunk loading, the palette mounting)
  // when the shortcut falls between two listeners.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        const ui = useUiStore.getState()
        ui.setPalette(!ui.paletteOpen)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  useEffect(() => {
    if (load) return
    const t = setTimeout(() => setLoad(true), 0)
    return () => clearTimeout(t)
  }, [load])
  if (!load && !open) return null
  return (
    <Suspense fallback={null}>
      <CommandPalette />
    </Suspense>
  )
}
