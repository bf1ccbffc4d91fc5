import { contract, type Channel } from '../../shared/contract'

/**
 * Every channel of the contract and whether it mutates: all the renderer's api needs of the contract at run time.
 * The renderer build replaces this module with the same table as a literal (electron.vite.config.ts), so the first
 * chunk carries neither zod nor the contract's schemas; tests and type checks use this module as it is.
 */
export const CHANNEL_MUTATES = Object.fromEntries(
  Object.entries(contract).map(([name, def]) => [name, def.mutates])
) as Record<Channel, boolean>
