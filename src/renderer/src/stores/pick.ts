import { useShallow } from 'zustand/react/shallow'

/** Several fields of a store under one subscription: a re-render only when one of them changes (zustand's useShallow). */
export function usePick<S, K extends keyof S>(useStore: <U>(selector: (s: S) => U) => U, ...keys: K[]): Pick<S, K> {
  return useStore(
    useShallow((s: S) => {
      const picked = {} as Pick<S, K>
      for (const k of keys) picked[k] = s[k]
      return picked
    })
  )
}
