import { lazy, Suspense, useEffect, useState } from 'react'
import { useUiStore } from '../stores/ui.store'

// The palette (and cmdk with it) is its own chunk: loaded once the shell has painted, or at once when asked for.
const CommandPalette = lazy(() => import('./Palette').then((m) => ({ default: m.CommandPalette })))

export function PaletteHost() {
  const open = useUiStore((s) => s.paletteOpen)
  const [load, setLoad] = useState(false)
  useEffect(() => {
    if (load) return
    const t = setTimeout(() => setLoad(true), 0)
    // Ctrl+K before the chunk arrives still opens it; once loaded the palette listens itself.
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        useUiStore.getState().setPalette(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      clearTimeout(t)
      window.removeEventListener('keydown', onKey)
    }
  }, [load])
  if (!load && !open) return null
  return (
    <Suspense fallback={null}>
      <CommandPalette />
    </Suspense>
  )
}
