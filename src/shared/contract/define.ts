import type { z } from 'zod'

/**
 * One channel of the contract. `O` is phantom: it exists only for the type checker, so the result type sits next to
 * the channel name and its input schema (Beekeeper's `namespace/action` handlers + Insomnia's typed names).
 */
export interface ChannelDef<I extends z.ZodType, O> {
  input: I
  /** Mutating channels write one audit row per call. */
  mutates: boolean
  /** One line for CLI help, the command palette and docs. */
  summary: string
  /** Phantom result type. */
  readonly __output?: O
}

export function channel<O>() {
  return <I extends z.ZodType>(def: { input: I; mutates: boolean; summary: string }): ChannelDef<I, O> => def
}
