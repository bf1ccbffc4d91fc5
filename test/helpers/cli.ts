import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { join } from 'node:path'

export const BIN = join(__dirname, '..', '..', 'bin', 'tokendesk')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json(): any
}

/** Runs the built CLI (out/main/cli.js; `npm test` builds it first) as a user would. */
export function runCli(args: string[], opts: SpawnSyncOptions & { input?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, ...opts })
  const stdout = String(r.stdout ?? '')
  return {
    code: r.status ?? -1,
    stdout,
    stderr: String(r.stderr ?? ''),
    json() {
      return JSON.parse(stdout.trim().split('\n').pop() ?? '')
    }
  }
}
