import type { z } from 'zod'

/**
 * One channel of the contract. `O` is phantom: it exists only for the type checker, so the result type sits next to
 * the channel name and its input schema (Beekeeper's `namespace/action` handlers + Insomnia's typed names).
 */
export interface ChannelDef<I extends z.ZodType, O> {
  input: I
  /** Mutating channels write one audit row per call. */
  mutates: boolean
  /** Phantom result type. */
  readonly __output?: O
}

/** The lazy values made so far, by the stand-in each `lazy` returned (tests read it through `isBuilt`). */
const made = new WeakMap<object, () => boolean>()

/**
 * A schema (or any object) built by `make` on its first use and kept: the returned stand-in behaves as the built value
 * in every way but identity. Building zod schemas costs a short CLI command more than its own work, so a module
 * declares them all and a run builds only those it touches.
 */
export function lazy<T extends object>(make: () => T): T {
  let value: T | undefined
  const get = (): T => (value ??= make())
  const stand = new Proxy({} as T, {
    get: (_, key) => Reflect.get(get(), key, get()),
    set: (_, key, v) => Reflect.set(get(), key, v),
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
    deleteProperty: (_, key) => Reflect.deleteProperty(get(), key),
    // A property the value holds as non-configurable must be so on the stand-in's own target too (a Proxy invariant).
    getOwnPropertyDescriptor: (target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key)
      if (d && !d.configurable && !Reflect.getOwnPropertyDescriptor(target, key)) Reflect.defineProperty(target, key, d)
      return d
    },
    defineProperty: (target, key, d) => {
      if (!Reflect.defineProperty(get(), key, d)) return false
      if (d.configurable === false) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(get(), key)!)
      return true
    }
  })
  made.set(stand, () => value !== undefined)
  return stand
}

/** Whether a `lazy` value has been built (undefined for a value that is not lazy). */
export function isBuilt(v: unknown): boolean | undefined {
  return typeof v === 'object' && v !== null ? made.get(v)?.() : undefined
}
