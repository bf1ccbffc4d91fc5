import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Channel, Input, Output } from '../../src/shared/contract'

/** Starting `tokendesk serve` and calling its RPC: shared by the Playwright fixtures and bench/console.bench.ts. */

export const ROOT = join(__dirname, '..', '..')
export const BIN = join(ROOT, 'bin', 'tokendesk')

export interface ServeHandle {
  /** The first stdout line: the URL with the session token. */
  sessionUrl: string
  /** http://127.0.0.1:PORT/ */
  url: string
  port: number
  token: string
  dataDir: string
  proc: ChildProcess
  /** What the server wrote to stderr so far. */
  stderr(): string
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>
}

/** Starts `node bin/tokendesk --data DIR serve --port 0` and reads the session URL from its first stdout line. */
export async function startServe(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServeHandle> {
  const proc = spawn(process.execPath, [BIN, '--data', dataDir, 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  proc.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const first = await new Promise<string>((ok, bad) => {
    const rl = createInterface({ input: proc.stdout! })
    const timer = setTimeout(
      () => bad(new Error(`tokendesk serve printed no URL within 20 s. stderr:\n${stderr}`)),
      20_000
    )
    rl.once('line', (line) => {
      clearTimeout(timer)
      ok(line.trim())
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      bad(new Error(`tokendesk serve exited with ${code} before printing its URL. stderr:\n${stderr}`))
    })
  })
  const u = new URL(first)
  return {
    sessionUrl: first,
    url: `${u.protocol}//${u.host}/`,
    port: Number(u.port),
    token: u.searchParams.get('token') ?? '',
    dataDir,
    proc,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((done) => {
        // A process killed by a signal has a signalCode and no exitCode; either way it has exited already.
        if (proc.exitCode !== null || proc.signalCode !== null) return done()
        proc.once('exit', () => done())
        proc.kill('SIGTERM')
        setTimeout(() => proc.exitCode === null && proc.kill('SIGKILL'), 5000).unref()
      })
  }
}

/**
 * Calls the server's RPC from the test process (to arrange data or check the server's side), with the session cookie
 * and the server's own Host, like the console does. Typed by the contract.
 */
export async function rpc<C extends Channel>(
  serve: Pick<ServeHandle, 'url' | 'token'>,
  channel: C,
  input: Input<C>
): Promise<Output<C>> {
  const r = await fetch(`${serve.url}rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tokendesk-session': serve.token },
    body: JSON.stringify(input ?? {})
  })
  const body = (await r.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } }
  if (!body.ok) throw new Error(`${channel}: ${body.error?.code}: ${body.error?.message}`)
  return body.value as Output<C>
}
