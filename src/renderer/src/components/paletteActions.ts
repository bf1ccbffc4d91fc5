import { useEffect } from 'react'
import { create } from 'zustand'

// Apart from Palette.tsx, so a screen offering actions does not pull the palette (cmdk) into its chunk.

export interface PaletteAction {
  id: string
  label: string
  group: string
  run: () => void
}

/** Screens register their actions here while mounted, so the palette offers what the current screen can do. */
export const usePaletteRegistry = create<{ byOwner: Record<string, PaletteAction[]> }>()(() => ({ byOwner: {} }))

export function usePaletteActions(owner: string, actions: PaletteAction[]) {
  useEffect(() => {
    usePaletteRegistry.setState((s) => ({ byOwner: { ...s.byOwner, [owner]: actions } }))
    return () => {
      usePaletteRegistry.setState((s) => {
        const next = { ...s.byOwner }
        delete next[owner]
        return { byOwner: next }
      })
    }
    // Actions are rebuilt every render; the label list is what matters for re-registration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [owner, actions.map((a) => a.id + a.label).join('|')])
}
