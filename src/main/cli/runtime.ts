import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import type { Channel, Input, JobInfo, Output } from '../../shared/contract'
import { AppError, type AppErrorShape } from '../../shared/errors'
import type { Core } from '../core'
import { resolveDataDir } from '../core/data-dir'
import { createErrorLog, LOG_DIR, type ErrorLog } from '../audit/logfile'
import { cliIo, jsonText, writeErr, writeOut } from './io'

export interface GlobalOptions {
  data?: string
  json?: boolean
}

/** Exit codes of every command. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const

/** Thrown to end a command with a coded failure; main() prints it and exits 1. */
export class CliFailure extends Error {
  constructor(
    readonly error: AppErrorShape,
    readonly jsonBody?: unknown
  ) {
    super(error.message)
  }
}

/**
 * Waits for a job: its progress on stderr when that is a terminal (count, share of a known total, stage), Ctrl-C
 * cancels it through the same 'jobs:cancel' channel. Returns how it ended.
 */
export async function watchJob(ctx: CliContext, jobId: string, label: string): Promise<JobInfo> {
  const jobs = ctx.open().deps.jobs
  const stderr = cliIo().stderr
  const tty = stderr.isTTY
  const onSigint = () => void ctx.call('jobs:cancel', { id: jobId })
  process.on('SIGINT', onSigint)
  const show = (j: JobInfo) => {
    if (!tty) return
    const of = j.total === null ? '' : `/${j.total}${j.total ? ` (${Math.floor((100 * j.done) / j.total)}%)` : ''}`
    // Padded so a shorter line overwrites a longer one (a stage ending).
    stderr.write(`\r${`${label} ${j.done}${of}${j.stage ? `, ${j.stage}` : ''}`.padEnd(60)}`)
  }
  const timer = setInterval(() => show(jobs.get(jobId)), 250)
  // Stage changes are shown as they happen: a stage that holds the thread (an index build) leaves no timer tick.
  const unwatch = jobs.watch(jobId, show)
  try {
    const info = await jobs.wait(jobId)
    show(info)
    return info
  } finally {
    clearInterval(timer)
    unwatch()
    process.off('SIGINT', onSigint)
    if (tty) stderr.write('\n')
  }
}

/**
 * What a command gets: the global flags, a lazily opened core (help and --version never load it, status never opens
 * the store twice), and output helpers that honour `--json`.
 */
export class CliContext {
  private core: Core | null = null
  /** Set by a command that ends well but with a code of its own (inventory --expiring-within: 3). */
  exitCode: number | undefined
  private createCore: (typeof import('../core/lazy'))['createLazyCore'] | null = null
  constructor(readonly program: Command) {}

  /** Loads the services' code (the native addons with it); main() runs this before any command's action. */
  async load(): Promise<void> {
    this.createCore ??= (await import('../core/lazy')).createLazyCore
  }

  get globals(): GlobalOptions {
    return this.program.opts<GlobalOptions>()
  }
  get json(): boolean {
    return Boolean(this.globals.json)
  }
  get dataDir(): string {
    return resolveDataDir(this.globals.data ?? cliIo().env.TOKENDESK_DATA)
  }
  open(): Core {
    if (!this.createCore) throw new Error('CliContext.open() before load()')
    this.core ??= this.createCore({ dataDir: this.dataDir, mode: 'cli' })
    return this.core
  }
  close(): void {
    this.core?.close()
    this.core = null
  }

  /** Runs one contract channel through the same dispatch as IPC and the web mode; a coded error ends the command. */
  async call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const r = await this.open().dispatch(channel, input)
    if (!r.ok) throw new CliFailure(r.error)
    return r.value as Output<C>
  }

  /** Prints a result: JSON on stdout with --json, else the human text. */
  print(value: unknown, human?: (v: never) => string | string[]): void {
    if (this.json || !human) {
      cliIo().stdout.write(`${jsonText(value, this.json ? 0 : 2)}\n`)
      return
    }
    const text = human(value as never)
    const out = Array.isArray(text) ? text.join('\n') : text
    if (out) writeOut(`${out}\n`)
  }
}

export function failure(code: AppErrorShape['code'], message: string, details?: Record<string, unknown>): CliFailure {
  return new CliFailure({ code, message, ...(details ? { details } : {}) })
}

/** Prints a failure: `error CODE: message` on stderr, and `{"error":{...}}` on stdout with --json. */
export function reportFailure(e: CliFailure, json: boolean): void {
  writeErr(`error ${e.error.code}: ${e.error.message}\n`)
  if (json)
    cliIo().stdout.write(`${jsonText(e.jsonBody ?? { error: { code: e.error.code, message: e.error.message } })}\n`)
}

/**
 * A coded error as it is; anything else is INTERNAL: its text stays out of the answer (it could carry a secret) and
 * goes, redacted and with its stack, to the data folder's error log, whose place the answer names.
 */
export function toCliFailure(e: unknown, ctx?: Pick<CliContext, 'dataDir'>): CliFailure {
  if (e instanceof CliFailure) return e
  if (e instanceof AppError) return new CliFailure(e.toJSON())
  let log: ErrorLog | null = null
  try {
    if (ctx) log = createErrorLog(join(ctx.dataDir, LOG_DIR))
  } catch {
    log = null
  }
  log?.write('error', `INTERNAL in the CLI (${e instanceof Error ? e.name : typeof e})`, e)
  return new CliFailure({
    code: 'INTERNAL',
    message: log
      ? `Internal error: the command failed unexpectedly. The details for a bug report (secrets removed) are in ${log.file}.`
      : 'Internal error: the command failed unexpectedly.',
    ...(log ? { details: { log: log.file } } : {})
  })
}

/** A subcommand of `parent` with its help line, the way the CLI declares its commands. */
export function subcommand(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description)
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets on the command line: never as a plain argument (it would show in the process list), only from a file, an
// environment variable or stdin.

export interface SecretSourceOptions {
  secretFile?: string
  secretEnv?: string
  secretStdin?: boolean
}

export function addSecretSourceOptions(cmd: Command, what = 'secret'): Command {
  return cmd
    .option('--secret-file <file>', `read the ${what} from a file (trailing newline dropped)`)
    .option('--secret-env <var>', `read the ${what} from an environment variable`)
    .option('--secret-stdin', `read the ${what} from standard input`)
}

/** Reads all of stdin once (several options may want it; only one may have it). */
export function readStdin(): string {
  return cliIo().readStdin()
}

export function readFileText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw failure('IO', `Cannot read the ${what} file ${file}`)
  }
}

/** Returns the secret from exactly one of the sources, or undefined when none was given. */
export function readSecretSource(o: SecretSourceOptions, what = 'secret'): string | undefined {
  const given = [o.secretFile !== undefined, o.secretEnv !== undefined, Boolean(o.secretStdin)].filter(Boolean).length
  if (given > 1)
    throw failure('VALIDATION', `Give the ${what} one way only: --secret-file, --secret-env or --secret-stdin`)
  if (o.secretFile !== undefined) return stripNewline(readFileText(o.secretFile, what))
  if (o.secretEnv !== undefined) return readEnvVar(o.secretEnv)
  if (o.secretStdin) return stripNewline(readStdin())
  return undefined
}

/** The value of an environment variable a `--*-env` option names; a usage failure when it is not set. */
export function readEnvVar(name: string): string {
  const v = cliIo().env[name]
  if (v === undefined) throw failure('VALIDATION', `The environment variable ${name} is not set`)
  return v
}

/** The options the user gave, for a channel's input: an absent flag (undefined) is left out, not sent as a field. */
export function given<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}

export function stripNewline(s: string): string {
  return s.replace(/\r?\n$/, '')
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

export function parseIntOption(name: string) {
  return (v: string): number => {
    // A usage error (exit 2), not a failed operation.
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be an integer, got "${v}"`)
    return Number(v)
  }
}
