import type { z } from 'zod'
import type { ChannelDef } from './define'

/** A channel that changes nothing (no audit row); `O` is its result type. */
export function reads<O>() {
  return <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input, mutates: false })
}

/** A channel that changes something: one audit row per call; `O` is its result type. */
export function writes<O>() {
  return <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input, mutates: true })
}
