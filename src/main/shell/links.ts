import { shell } from 'electron'
import { checkExternalUrl } from './external-url'

/**
 * The one place that opens links in the user's browser (Electron security checklist item 15). https only: a
 * `file:`, `smb:` or custom-scheme URL handed to the OS can run programs. ESLint forbids `openExternal` calls anywhere
 * else (eslint.config.mjs, proven by test/shell/lint.test.ts).
 * Resolves true when the link was handed to the OS, false when refused.
 */
export async function openExternalSafe(url: unknown): Promise<boolean> {
  const href = checkExternalUrl(url)
  if (!href) return false
  await shell.openExternal(href)
  return true
}
