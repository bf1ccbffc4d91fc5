import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { join } from 'node:path'
import { main } from '../../src/main/cli'

export const BIN = join(__dirname, '..', '..', 'bin', 'tokendesk')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json(): any
}

function cliRun(code: number, stdout: string, stderr: string): CliRun {
  return {
    code,
    stdout,
    stderr,
    json() {
      return JSON.parse(stdout.trim().split('\n').pop() ?? '')
    }
  }
}

/** Runs the built CLI (out/main/cli.js; `npm test` builds it first) as a user would: for smoke tests of the real bin. */
export function runCli(args: string[], opts: SpawnSyncOptions & { input?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, ...opts })
  return cliRun(r.status ?? -1, String(r.stdout ?? ''), String(r.stderr ?? ''))
}

/** Runs the CLI's main() in this process (the source, no build): stdout, stderr and stdin are buffers. */
export async function runMain(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'tokendesk', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    readStdin: () => opts.input ?? '',
    env: opts.env ?? process.env
  })
  return cliRun(code, stdout, stderr)
}
