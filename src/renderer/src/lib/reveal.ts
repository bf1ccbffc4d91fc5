import { useEffect, useRef, useState } from 'react'
import { useUiStore } from '../stores/ui.store'

export const REVEAL_MS = 20_000

/**
 * A revealed secret lives only in this component's state, only after the user clicked Reveal, and is dropped again
 * after REVEAL_MS (or when the component goes away / the record changes).
 */
export function useReveal<T>(resetKey: unknown) {
  const [value, setValue] = useState<T | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const hide = () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    setValue(null)
  }
  const show = (v: T) => {
    if (timer.current) clearTimeout(timer.current)
    setValue(v)
    timer.current = setTimeout(() => setValue(null), REVEAL_MS)
  }
  // The shell's idle lock bumps lockEpoch: a revealed secret goes away with it.
  const lockEpoch = useUiStore((s) => s.lockEpoch)
  useEffect(() => hide, [resetKey, lockEpoch])
  return { value, show, hide }
}
