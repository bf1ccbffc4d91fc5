import { InvalidArgumentError, type Command } from 'commander'
import type { Input } from '../../../../shared/contract'
import {
  addSecretSourceOptions,
  failure,
  readFileText,
  readSecretSource,
  readStdin,
  stripNewline,
  type SecretSourceOptions
} from '../../runtime'

/** KEY on the command line: a secret from a file/env/stdin, a key file (PEM, JWK, JWKS + --kid), or a stored key. */
export interface KeyOptions extends SecretSourceOptions {
  secretEncoding?: 'utf8' | 'base64' | 'base64url' | 'hex'
  keyFile?: string
  kid?: string
  key?: string
}

export type KeySourceInput = Input<'jwt:sign'>['key']

const ENCODINGS = ['utf8', 'base64', 'base64url', 'hex']

export function addKeyOptions(cmd: Command): Command {
  addSecretSourceOptions(cmd, 'HMAC secret')
  return cmd
    .option(
      '--secret-encoding <enc>',
      'how the secret is written: utf8 (default), base64, base64url or hex',
      (v: string) => {
        if (!ENCODINGS.includes(v)) throw new InvalidArgumentError(`must be one of ${ENCODINGS.join(', ')}`)
        return v
      }
    )
    .option('--key-file <file>', 'a PEM key or certificate, a JWK, or a JWKS (pick one with --kid)')
    .option('--kid <kid>', 'with --key-file holding a JWKS: the key id to use')
    .option('--key <name>', 'a stored key (see `tokendesk keys list`) by name or kid')
}

/** Key-file text: JSON is a JWK or JWKS, anything with a PEM armour is PEM. */
export function keyFileSource(
  text: string,
  kid: string | undefined,
  file: string
): Exclude<KeySourceInput, { keyName: string } | { secret: string }> {
  const t = text.trim()
  if (t.startsWith('{')) {
    let jwk: Record<string, unknown>
    try {
      jwk = JSON.parse(t) as Record<string, unknown>
    } catch {
      throw failure('VALIDATION', `${file} looks like JSON but does not parse as a JWK or JWKS.`)
    }
    return kid !== undefined ? { jwk, kid } : { jwk }
  }
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(t)) {
    if (kid !== undefined) throw failure('VALIDATION', '--kid picks a key out of a JWKS; this file is PEM.')
    return { pem: t }
  }
  throw failure('VALIDATION', `${file} is neither PEM nor a JWK/JWKS.`)
}

/** Exactly one key source; undefined only if `optional` and none was given. */
export function readKeySource(o: KeyOptions): KeySourceInput {
  const secret = readSecretSource(o, 'HMAC secret')
  const given = [secret !== undefined, o.keyFile !== undefined, o.key !== undefined].filter(Boolean).length
  if (given === 0)
    throw failure(
      'VALIDATION',
      'Give a key: --secret-file, --secret-env, --secret-stdin, --key-file or --key NAME (never the secret itself as an argument).'
    )
  if (given > 1) throw failure('VALIDATION', 'Give one key only: a secret source, --key-file or --key.')
  if (secret !== undefined) return { secret, ...(o.secretEncoding ? { encoding: o.secretEncoding } : {}) }
  if (o.secretEncoding)
    throw failure('VALIDATION', '--secret-encoding applies to a secret (--secret-file/--secret-env/--secret-stdin).')
  if (o.kid !== undefined && o.keyFile === undefined) throw failure('VALIDATION', '--kid goes with --key-file.')
  if (o.keyFile !== undefined) return keyFileSource(readFileText(o.keyFile, 'key'), o.kid, o.keyFile)
  return { keyName: o.key! }
}

/** TOKEN or `-` (stdin). Stdin cannot carry both the secret and the token. */
export function readToken(arg: string, o: SecretSourceOptions): string {
  if (arg !== '-') return arg
  if (o.secretStdin)
    throw failure('VALIDATION', 'Stdin cannot carry both the secret and the token: use --secret-file or --secret-env.')
  return stripNewline(readStdin()).trim()
}

export function parseJsonOption(name: string) {
  return (v: string): Record<string, unknown> => {
    let parsed: unknown
    try {
      parsed = JSON.parse(v)
    } catch {
      throw new InvalidArgumentError(`${name} must be a JSON object`)
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InvalidArgumentError(`${name} must be a JSON object`)
    return parsed as Record<string, unknown>
  }
}

export function readJsonFile(file: string, what: string): Record<string, unknown> {
  const text = readFileText(file, what)
  try {
    const v = JSON.parse(text) as unknown
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    // fall through
  }
  throw failure('VALIDATION', `${file} is not a JSON object.`)
}
