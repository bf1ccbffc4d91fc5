import { Command, CommanderError, Help } from 'commander'
import { APP_VERSION } from '../core/version'
import { CliContext, EXIT, reportFailure, subcommand, toCliFailure } from './runtime'
import { COMMANDS, commandNamed } from './table'
import { cliIo, escapeControls, withIo, type CliIo } from './io'

/**
 * Builds the program for one argv: the command it names is loaded and registered in full, every other top-level
 * command only by name and description (enough for `--help` and for commander's "unknown command" advice).
 */
export async function buildProgram(args: string[]): Promise<{ program: Command; ctx: CliContext }> {
  const program = new Command('tokendesk')
  const ctx = new CliContext(program)
  const terms = new Map<Command, string>()
  program
    .description('TokenDesk: API tokens for Datafor, Fess and xdua servers, a local token store, and offline JWTs')
    .version(APP_VERSION)
    .option('--data <dir>', 'data folder (default: $TOKENDESK_DATA or a per-user folder)')
    .option('--json', 'machine-readable result on stdout')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cliIo().stdout.write(escapeControls(s)),
      writeErr: (s) => cliIo().stderr.write(escapeControls(s))
    })
    .configureHelp({ subcommandTerm: (c) => terms.get(c) ?? Help.prototype.subcommandTerm.call(new Help(), c) })
    .showHelpAfterError('(run with --help for usage)')
    // The services (and the store's native addon) load only once a command is about to run; serve loads them itself,
    // after printing its URL.
    .hook('preAction', (_root, action) => (action.name() === 'serve' ? undefined : ctx.load()))
  const named = commandNamed(args)
  for (const entry of COMMANDS) {
    if (entry === named) (await entry.load())(program, ctx, args)
    else {
      const stub = subcommand(program, entry.name, entry.description)
      if (entry.term) terms.set(stub, entry.term)
    }
  }
  // Subcommands inherit exitOverride so a usage error anywhere exits 2, not 1.
  const override = (c: Command) => {
    c.exitOverride()
    c.commands.forEach(override)
  }
  override(program)
  return { program, ctx }
}

/**
 * Runs the CLI on argv (node and script first, as process.argv); resolves to the exit code and never exits itself.
 * Tests pass an io of buffers; the default is the process's stdout, stderr, stdin and environment.
 */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  return withIo(io, async () => {
    const { program, ctx } = await buildProgram(argv.slice(2))
    try {
      await program.parseAsync(argv)
      return ctx.exitCode ?? EXIT.OK
    } catch (e) {
      if (e instanceof CommanderError) {
        // --help and --version end through here with exit code 0.
        return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE
      }
      reportFailure(toCliFailure(e, ctx), ctx.json)
      return EXIT.FAILED
    } finally {
      ctx.close()
    }
  })
}
