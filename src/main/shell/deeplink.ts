import { CompactJwt, DeepLinkId, Screen, type ShellEvent } from '../../shared/shell-events'

/**
 * Deep links `tokendesk://...` come from any web page or program on the machine, so they are validated like any
 * other input and only ever turned into one of three harmless shell events:
 *   tokendesk://token/<id>               -> open that token's detail
 *   tokendesk://jwt/decode?token=<jwt>   -> decode (never verify, sign or store) that JWT
 *   tokendesk://open/<screen>            -> show a screen
 * Anything else is ignored. Parsing never throws.
 */
export const DEEP_LINK_SCHEME = 'tokendesk'
const MAX_LINK = 20_000

export function parseDeepLink(raw: unknown): ShellEvent | null {
  if (typeof raw !== 'string' || raw.length > MAX_LINK) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.username || url.password || url.port) return null
  const parts = url.pathname.split('/').filter(Boolean)
  switch (url.hostname) {
    case 'token': {
      if (parts.length !== 1 || url.search) return null
      const id = DeepLinkId.safeParse(parts[0])
      return id.success ? { type: 'openToken', id: id.data } : null
    }
    case 'jwt': {
      if (parts.length !== 1 || parts[0] !== 'decode') return null
      const keys = [...url.searchParams.keys()]
      if (keys.length !== 1 || keys[0] !== 'token') return null
      const token = CompactJwt.safeParse(url.searchParams.get('token'))
      return token.success ? { type: 'decodeJwt', token: token.data } : null
    }
    case 'open': {
      if (parts.length !== 1 || url.search) return null
      const screen = Screen.safeParse(parts[0])
      return screen.success ? { type: 'navigate', screen: screen.data } : null
    }
    default:
      return null
  }
}

/** On Linux and Windows a deep link arrives as a command-line argument (first launch or `second-instance`). */
export function findDeepLink(argv: readonly string[]): string | null {
  return argv.find((a) => typeof a === 'string' && a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`)) ?? null
}
