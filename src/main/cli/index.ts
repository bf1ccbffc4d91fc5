import { Command, CommanderError } from 'commander'
import { APP_VERSION } from '../core/version'
import { CliContext, EXIT, reportFailure, toCliFailure } from './runtime'
import { registerSystemCommands } from './commands/system'
import { registerServeCommand } from './commands/serve'
import { registerJwtCommands } from './commands/jwt'
import { registerTokenCommands } from './commands/tokens'
import { registerRemoteCommands } from './commands/remote'

export function buildProgram(): { program: Command; ctx: CliContext } {
  const program = new Command('tokendesk')
  const ctx = new CliContext(program)
  program
    .description('TokenDesk: API tokens for Datafor, Fess and xdua servers, a local token store, and offline JWTs')
    .version(APP_VERSION)
    .option('--data <dir>', 'data folder (default: $TOKENDESK_DATA or a per-user folder)')
    .option('--json', 'machine-readable result on stdout')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
  registerSystemCommands(program, ctx)
  registerServeCommand(program, ctx)
  registerJwtCommands(program, ctx)
  registerTokenCommands(program, ctx)
  registerRemoteCommands(program, ctx)
  // Subcommands inherit exitOverride so a usage error anywhere exits 2, not 1.
  const override = (c: Command) => {
    c.exitOverride()
    c.commands.forEach(override)
  }
  override(program)
  return { program, ctx }
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { program, ctx } = buildProgram()
  try {
    await program.parseAsync(argv)
    return EXIT.OK
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE
    }
    reportFailure(toCliFailure(e), ctx.json)
    return EXIT.FAILED
  } finally {
    ctx.close()
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code
    },
    () => {
      process.exitCode = EXIT.FAILED
    }
  )
}
