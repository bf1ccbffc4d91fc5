import type { z } from 'zod'
import type { ChannelDef } from './define'
import { systemChannels } from './system'
import { auditChannels } from './audit'
import { jobsChannels } from './jobs'
import { jwtChannels } from './jwt'
import { keysChannels } from './keys'
import { tokensChannels } from './tokens'
import { accessTokensChannels } from './accessTokens'
import { ssoAppsChannels } from './ssoApps'
import { connectionsChannels } from './connections'
import { remoteChannels } from './remote'
import { remoteRotateChannels } from './rotate-remote'
import { inventoryChannels } from './inventory'
import { watchChannels } from './watch'

/**
 * The one IPC contract: every channel `domain:verb`, its zod input schema and its result type. Main binds handlers
 * from it, the preload generates `window.tokendesk.<domain>.<verb>` from it, the web mode serves `POST /rpc/<channel>`
 * from it, and the renderer's types come from it. Nothing else names a channel.
 */
export const contract = {
  ...systemChannels,
  ...auditChannels,
  ...jobsChannels,
  ...jwtChannels,
  ...keysChannels,
  ...tokensChannels,
  ...accessTokensChannels,
  ...ssoAppsChannels,
  ...connectionsChannels,
  ...remoteChannels,
  ...remoteRotateChannels,
  ...inventoryChannels,
  ...watchChannels
}

export type Contract = typeof contract
export type Channel = keyof Contract
export type Input<C extends Channel> = Contract[C] extends ChannelDef<infer I, unknown> ? z.input<I> : never
/** The input after zod parsing (defaults applied): what handlers receive. */
export type ParsedInput<C extends Channel> = Contract[C] extends ChannelDef<infer I, unknown> ? z.output<I> : never
export type Output<C extends Channel> = Contract[C] extends ChannelDef<z.ZodType, infer O> ? O : never

export type Domain = Channel extends `${infer D}:${string}` ? D : never
export type ChannelsOf<D extends string> = Extract<Channel, `${D}:${string}`>
export type VerbOf<C extends string> = C extends `${string}:${infer V}` ? V : never

export const channels = Object.keys(contract) as Channel[]

export function splitChannel(name: Channel): { domain: string; verb: string } {
  const i = name.indexOf(':')
  return { domain: name.slice(0, i), verb: name.slice(i + 1) }
}

/** The shape the preload exposes and the web adapter mirrors: `api.<domain>.<verb>(input)`. */
export type TokenDeskApi = {
  [D in Domain]: {
    [C in ChannelsOf<D> as VerbOf<C>]: (input?: Input<C>) => Promise<import('../errors').Result<Output<C>>>
  }
}

export { domainContracts, domainOf, channelDef } from './domains'
export type { ChannelDef } from './define'
export * from './system'
export * from './audit'
export * from './jobs'
export * from './jwt'
export * from './keys'
export * from './tokens'
export * from './token-states'
export * from './accessTokens'
export * from './ssoApps'
export * from './connections'
export * from './remote'
export * from './fields'
export * from './storeLines'
export * from './inventory'
export * from './watch'
export * from './rotate'
