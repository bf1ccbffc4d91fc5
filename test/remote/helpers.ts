import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, type CliRun } from '../helpers/cli'

/**
 * Runs the built CLI without blocking the event loop (test/helpers/cli.ts uses spawnSync, which would freeze the
 * emulators that live in the test process).
 */
export function runCliAsync(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: opts.env ?? process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += String(d)))
    child.stderr.on('data', (d) => (stderr += String(d)))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json() {
          return JSON.parse(stdout.trim().split('\n').pop() ?? '')
        }
      })
    )
    child.stdin.end(opts.input ?? '')
  })
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl), its key and SHA-256 fingerprint. */
export function selfSignedCert(): { key: string; cert: string; fingerprint: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-tls-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem')
    ],
    { stdio: 'ignore' }
  )
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
  const der = Buffer.from(cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  const fingerprint = createHash('sha256').update(der).digest('hex')
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert, fingerprint, dir }
}

export function writeSecretFile(dir: string, name: string, value: string): string {
  const f = join(dir, name)
  writeFileSync(f, `${value}\n`, { mode: 0o600 })
  return f
}
