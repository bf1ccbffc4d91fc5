import type { Command } from 'commander'
import type { CliContext } from '../runtime'

// Commands of this domain arrive with its issue.
export function registerTokenCommands(_program: Command, _ctx: CliContext): void {}
