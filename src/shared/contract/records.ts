import type { z } from 'zod'
import { reads, writes } from './channel'
import type { ChannelDef } from './define'
import type { KeysetPage } from './fields'

/**
 * The channels every record kind of the local store has (access tokens, SSO apps), by verb, and what each answers:
 * `R` is the record, `S` a saved one (the record, or the record with what the save warns of).
 */
interface RecordAnswers<R, S> {
  /** Create a record; its secret values go into the keychain */
  add: S
  /** One record, its secret values left out (masked, or only whether they are stored) */
  get: R
  /** Records by name, keyset-paged */
  list: KeysetPage<R>
  /** Change a record (needs the version read; a stale one is CONFLICT) */
  update: S
  /** Delete a record and its keychain items (needs the version read) */
  delete: { id: string }
}
type RecordVerb = keyof RecordAnswers<unknown, unknown>

/** A record kind's input schema of each shared channel. */
type RecordInputs = Record<RecordVerb, z.ZodType>

type RecordChannels<D extends string, R, S, I extends RecordInputs> = {
  [V in RecordVerb as `${D}:${V}`]: ChannelDef<I[V], RecordAnswers<R, S>[V]>
}

/**
 * The channel table of record kind `domain`: the shared channels (`<domain>:add`, `:get`, `:list`, `:update`,
 * `:delete`) with the kind's input schemas, and the kind's own channels. Call it as `/* @__PURE__ *\/ recordChannels`:
 * the renderer imports the kind's schemas from the same module, and the mark lets its bundle leave the table out.
 */
export function recordChannels<R, S extends R = R>() {
  return <D extends string, I extends RecordInputs, O>(domain: D, inputs: I, own: O): RecordChannels<D, R, S, I> & O =>
    ({
      [`${domain}:add`]: writes<S>()(inputs.add),
      [`${domain}:get`]: reads<R>()(inputs.get),
      [`${domain}:list`]: reads<KeysetPage<R>>()(inputs.list),
      [`${domain}:update`]: writes<S>()(inputs.update),
      [`${domain}:delete`]: writes<{ id: string }>()(inputs.delete),
      ...own
    }) as RecordChannels<D, R, S, I> & O
}
