import { lazy, Suspense, useEffect, useState } from 'react'
import { useUiStore } from '../stores/ui.store'

// The palette (and cmdk with it) is its own chunk: loaded once the shell has painted, or at once when asked for.
const CommandPalette = lazy(() => import('./Palette').then((m) => ({ default: m.CommandPalette })))

export function PaletteHost() {
  const open = useUiStore((s) => s.paletteOpen)
  const [load, setLoad] = useState(false)
  useEffect(() => {
    const t = setTimeout(() => setLoad(true), 0)
    return () => clearTimeout(t)
  }, [])
  useEffect(() => {
    // Ctrl+K is heard here, in the host that is always mounted: a press while the palette's chunk is still loading
    // opens it once it arrives instead of being lost.
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        useUiStore.getState().setPalette(!useUiStore.getState().paletteOpen)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  if (!load && !open) return null
  return (
    <Suspense fallback={null}>
      <CommandPalette />
    </Suspense>
  )
}
