import type { Command } from 'commander'
import type { CliContext } from './runtime'

/** Registers a top-level command; `args` (argv without node and script) lets it register only the subcommand named. */
type Register = (program: Command, ctx: CliContext, args: string[]) => void

/** One top-level command: what `--help` shows without loading it, and the module that registers its subcommands. */
export interface CommandEntry {
  name: string
  description: string
  /** The help term when the command takes options of its own (commander shows `name [options]`). */
  term?: string
  load(): Promise<Register>
}

/** Every top-level command with its help line, in help order: what `--help` shows without loading any of them. */
const HELP = {
  status: 'data folder, store schema version, keychain reachable or not',
  audit: 'the append-only audit log',
  serve: 'run the console in a browser: the built renderer and the RPC on 127.0.0.1 only',
  jwt: 'sign, verify, decode and explain JWTs; bulk-mint test tokens',
  keys: 'JWT keys: public parts in the store, private parts and secrets in the OS keychain',
  tokens: 'the local lifecycle token store (xdua shape): ADD SET DOL RCC DIS ENB OFF PUB GET GIT QRY QRI DEL',
  'access-tokens': 'Fess-shaped access tokens in the local store (values in the keychain)',
  'sso-apps': 'Datafor-shaped SSO apps in the local store (secret and initpwd in the keychain)',
  connections: 'Server connection profiles (credentials in the OS keychain)',
  remote: 'Manage tokens on Fess, Datafor and xdua servers',
  inventory: 'every token across the local store and all servers, with findings; refresh pulls them all'
}
type Name = keyof typeof HELP

/** The help term of a command that takes options of its own (commander shows `name [options]`). */
const TERMS: Partial<Record<Name, string>> = { serve: 'serve [options]', inventory: 'inventory [options]' }

/**
 * The module of each command; each exports its `register`. A run loads only the module of the command it names, so
 * `--version`, `--help` and `jwt decode` never pay for the store, the native addons or the other domains.
 */
const MODULES: Record<Name, () => Promise<{ register: Register }>> = {
  status: () => import('./commands/status'),
  audit: () => import('./commands/audit'),
  serve: () => import('./commands/serve'),
  jwt: () => import('./commands/jwt/jwt-commands'),
  keys: () => import('./commands/jwt/keys-commands'),
  tokens: () => import('./commands/tokens'),
  'access-tokens': () => import('./commands/access-tokens'),
  'sso-apps': () => import('./commands/sso-apps'),
  connections: () => import('./commands/connections'),
  remote: () => import('./commands/remote'),
  inventory: () => import('./commands/inventory')
}

/** Every top-level command, in help order. */
export const COMMANDS: CommandEntry[] = (Object.keys(HELP) as Name[]).map((name) => {
  const term = TERMS[name]
  return {
    name,
    description: HELP[name],
    ...(term ? { term } : {}),
    load: async () => (await MODULES[name]()).register
  }
})

/** Global options that take a value: the word after them is not a command name. */
const VALUE_OPTIONS = new Set(['--data'])

/** The top-level command an argv (without node and script) names, looking through `help <command>`. */
export function commandNamed(args: string[]): CommandEntry | undefined {
  const words: string[] = []
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const a = args[i]
    if (a === '--') break
    if (VALUE_OPTIONS.has(a)) i++
    else if (!a.startsWith('-')) words.push(a)
    else continue
    if (words[0] && words[0] !== 'help') break
  }
  const name = words[0] === 'help' ? words[1] : words[0]
  return COMMANDS.find((c) => c.name === name)
}

/**
 * The word right after the top-level command when it is one (`counts` of `tokens counts --json`), else undefined:
 * an option or `--` there, or `help <command>`, may ask for the command's own help, which lists every subcommand.
 */
function subcommandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') return undefined
    if (VALUE_OPTIONS.has(a)) i++
    else if (!a.startsWith('-')) {
      const next = args[i + 1]
      return a === 'help' || next === undefined || next.startsWith('-') ? undefined : next
    }
  }
  return undefined
}

/** Which subcommands of the named command to register: the one `subcommandWord` names when it is one of `names`, else all. */
export function subcommandFilter(args: string[], names: readonly string[]): (name: string) => boolean {
  const word = subcommandWord(args)
  const only = word !== undefined && names.includes(word) ? word : undefined
  return (name) => only === undefined || only === name
}

/** The top-level command `name` with its help line from COMMANDS, for the module that registers it in full. */
export function topCommand(program: Command, name: string): Command {
  const entry = COMMANDS.find((c) => c.name === name)
  if (!entry) throw new Error(`no top-level command ${name}`)
  return program.command(name).description(entry.description)
}
