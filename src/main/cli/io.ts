import { AsyncLocalStorage } from 'node:async_hooks'
import { readFileSync, writeSync } from 'node:fs'

/** Where one CLI run reads and writes: the process by default, buffers when main() runs inside a test. */
export interface CliIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown; isTTY?: boolean }
  /** All of standard input (read once per run even if several options want it). */
  readStdin(): string
  env: NodeJS.ProcessEnv
}

/**
 * The process's stdout or stderr written straight to its file descriptor: process.stdout on a pipe loads the net and
 * stream modules, most of what a short command imports. A descriptor that would block hands over to the stream, and a
 * closed reader (`| head`) ends the run quietly, as a pipe's reader expects.
 */
function fdWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): CliIo['stderr'] {
  let handedOver: NodeJS.WriteStream | null = null
  return {
    write(text: string) {
      if (handedOver) return handedOver.write(text)
      let rest = Buffer.from(text)
      try {
        while (rest.length) rest = rest.subarray(writeSync(fd, rest))
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0)
        if (code !== 'EAGAIN') throw e
        handedOver = stream()
        return handedOver.write(rest)
      }
      return true
    },
    get isTTY() {
      return stream().isTTY
    }
  }
}

function processIo(): CliIo {
  let stdin: string | null = null
  return {
    stdout: fdWriter(1, () => process.stdout),
    stderr: fdWriter(2, () => process.stderr),
    readStdin: () => (stdin ??= readFileSync(0, 'utf8')),
    env: process.env
  }
}

const current = new AsyncLocalStorage<CliIo>()
let fallback: CliIo | null = null

/** The io of the run in progress: each main() call carries its own, so concurrent in-process runs do not mix. */
export function cliIo(): CliIo {
  return current.getStore() ?? (fallback ??= processIo())
}

/** Runs fn with io as cliIo(); without an io, the process's own (no async context: its hooks tax every promise). */
export function withIo<T>(io: CliIo | undefined, fn: () => T): T {
  return io ? current.run(io, fn) : fn()
}

// C0 controls other than tab and newline, DEL and C1 controls: a name or a server's message must not drive the terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/** Makes control characters visible (`\x1b`, `\u009b`) so human output cannot carry a terminal escape sequence. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const n = c.charCodeAt(0)
    return n < 0x80 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`
  })
}

// JSON.stringify escapes C0 but leaves DEL and C1 raw; \u escapes keep the same JSON value and a safe terminal.
const RAW_IN_JSON = /[\u007f-\u009f]/g

export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** Human text on stdout / stderr, controls escaped. */
export function writeOut(text: string): void {
  cliIo().stdout.write(escapeControls(text))
}
export function writeErr(text: string): void {
  cliIo().stderr.write(escapeControls(text))
}
