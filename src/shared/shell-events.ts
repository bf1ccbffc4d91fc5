import { z } from 'zod'

/**
 * The one main -> renderer message the desktop shell sends: a small typed list of shell events (menu actions, the
 * idle lock, validated deep links). Requests still go renderer -> main through the contract only; this is the
 * opposite direction, so it is a single event stream, not a second RPC mechanism. The preload forwards an event
 * only if it parses against `ShellEvent`, and never hands the renderer the raw IPC event object.
 * Pure: no Node, no Electron, no DOM.
 */
export const SHELL_EVENT = 'shell:event'

/** The console's screens, in menu order. */
export const SCREENS = [
  'tokens',
  'accessTokens',
  'ssoApps',
  'jwt',
  'keys',
  'connections',
  'audit',
  'settings',
  'inventory'
] as const
export const Screen = z.enum(SCREENS)
export type Screen = z.infer<typeof Screen>

/** The console's main actions the application menu offers besides navigation. */
const SHELL_COMMANDS = ['commandPalette', 'newToken', 'newKey', 'signJwt', 'refresh'] as const
export const ShellCommand = z.enum(SHELL_COMMANDS)
export type ShellCommand = z.infer<typeof ShellCommand>

/** A record id as it may appear in a deep link: short, URL-safe, nothing to interpret. */
export const DeepLinkId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1-64 letters, digits, "_" or "-"')
/** A compact JWS (RFC 7515 §7.1): three base64url parts. Bounded so a link cannot carry megabytes. */
export const CompactJwt = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, 'a compact JWT (header.payload.signature)')

const LockReason = z.enum(['idle', 'screen-locked', 'suspend', 'menu'])

export const ShellEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('navigate'), screen: Screen }),
  z.strictObject({ type: z.literal('command'), command: ShellCommand }),
  /** Hide every revealed secret and show the lock screen (idle lock, OS screen lock, suspend, or the menu). */
  z.strictObject({ type: z.literal('lock'), reason: LockReason }),
  /** Deep link tokendesk://token/<id>. */
  z.strictObject({ type: z.literal('openToken'), id: DeepLinkId }),
  /** The expiry watch's notification was clicked: the Inventory, filtered to tokens expiring within the window. */
  z.strictObject({ type: z.literal('openInventory'), expiringWithin: z.number().int().min(1).max(365) }),
  /** Deep link tokendesk://jwt/decode?token=<jwt>: decode only, never verify or store. */
  z.strictObject({ type: z.literal('decodeJwt'), token: CompactJwt })
])
export type ShellEvent = z.infer<typeof ShellEvent>

/** What the preload exposes as `window.tokendeskShell` (beside `window.tokendesk`, which is the contract only). */
export interface TokenDeskShellApi {
  /** Subscribes to shell events; returns the unsubscribe function. */
  onShellEvent(callback: (event: ShellEvent) => void): () => void
}
