import type { z } from 'zod'
import type { ChannelDef } from './define'
import type { ChannelsOf, Contract, Domain } from './index'

type DomainChannels<D extends Domain> = { [C in ChannelsOf<D>]: Contract[C] }

/**
 * Each domain's contract module, loaded on first use: main's dispatch builds the zod schemas of the domains a run
 * calls, not all of them. A new domain adds one line here (the type checker asks for it).
 */
export const domainContracts: { [D in Domain]: () => Promise<DomainChannels<D>> } = {
  system: async () => (await import('./system')).systemChannels,
  audit: async () => (await import('./audit')).auditChannels,
  jobs: async () => (await import('./jobs')).jobsChannels,
  jwt: async () => (await import('./jwt')).jwtChannels,
  keys: async () => (await import('./keys')).keysChannels,
  tokens: async () => (await import('./tokens')).tokensChannels,
  accessTokens: async () => (await import('./accessTokens')).accessTokensChannels,
  ssoApps: async () => (await import('./ssoApps')).ssoAppsChannels,
  connections: async () => (await import('./connections')).connectionsChannels,
  remote: async () => {
    const [fessDatafor, rotate] = await Promise.all([import('./remote'), import('./rotate-remote')])
    return { ...fessDatafor.remoteChannels, ...rotate.remoteRotateChannels }
  },
  inventory: async () => (await import('./inventory')).inventoryChannels,
  watch: async () => (await import('./watch')).watchChannels
}

/** The domain part of a channel name (`tokens` of `tokens:counts`), or undefined when it names no known domain. */
export function domainOf(name: string): Domain | undefined {
  const d = name.slice(0, Math.max(0, name.indexOf(':')))
  return Object.prototype.hasOwnProperty.call(domainContracts, d) ? (d as Domain) : undefined
}

/** A channel's definition, loading only its domain's contract module; undefined for an unknown channel. */
export async function channelDef(name: string): Promise<ChannelDef<z.ZodType, unknown> | undefined> {
  const domain = domainOf(name)
  if (!domain) return undefined
  const defs = (await domainContracts[domain]()) as Record<string, ChannelDef<z.ZodType, unknown>>
  return Object.prototype.hasOwnProperty.call(defs, name) ? defs[name] : undefined
}
