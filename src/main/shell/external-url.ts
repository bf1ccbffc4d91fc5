/**
 * What `openExternalSafe` accepts (src/main/shell/links.ts): https only, with a host, and no credentials in the URL
 * (a `https://bank.example@evil.example` lookalike). Returns the normalized href, or null when refused.
 * Kept apart from links.ts so navigation decisions can use it without importing electron.
 */
export function checkExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 8192) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null
  return url.href
}
