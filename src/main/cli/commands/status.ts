import type { Command } from 'commander'
import type { SystemStatus } from '../../../shared/contract'
import type { CliContext } from '../runtime'
import { topCommand } from '../table'

/** `tokendesk status`: the data folder, the store schema and whether the keychain is reachable. */
export function register(program: Command, ctx: CliContext): void {
  topCommand(program, 'status').action(async () => {
    const s = await ctx.call('system:status', {})
    ctx.print(s, (v: SystemStatus) => [
      `data folder     ${v.dataDir}`,
      `store file      ${v.dbFile}`,
      `schema version  ${v.schemaVersion}`,
      `keychain        ${v.keychain.available ? `reachable (${v.keychain.backend})` : 'NOT reachable'}`,
      ...(v.keychain.available ? [] : [`                ${v.keychain.message ?? ''}`]),
      `operator        ${v.operator}`,
      `version         ${v.appVersion}`
    ])
  })
}
