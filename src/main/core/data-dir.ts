import { homedir, platform } from 'node:os'
import { join, resolve } from 'node:path'

/** Per-user default data folder, used when neither --data nor TOKENDESK_DATA is given. */
function defaultDataDir(): string {
  const home = homedir()
  if (platform() === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'TokenDesk')
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'TokenDesk')
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'tokendesk')
}

export function resolveDataDir(flag?: string): string {
  return resolve(flag ?? process.env.TOKENDESK_DATA ?? defaultDataDir())
}
