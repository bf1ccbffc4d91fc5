import type { Command } from 'commander'
import type { CliContext } from '../runtime'
import { registerJwtSubcommands } from './jwt/jwt-commands'
import { registerKeysSubcommands } from './jwt/keys-commands'

/** `tokendesk jwt ...` and `tokendesk keys ...` (issue 3). */
export function registerJwtCommands(program: Command, ctx: CliContext): void {
  registerJwtSubcommands(program, ctx)
  registerKeysSubcommands(program, ctx)
}
