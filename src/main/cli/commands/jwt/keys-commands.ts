import { InvalidArgumentError, type Command } from 'commander'
import type { Input, KeyExport, KeyInfo } from '../../../../shared/contract'
import { JWT_ALGORITHMS } from '../../../../shared/contract'
import { failure, parseIntOption, readFileText, readSecretSource, type CliContext, subcommand } from '../../runtime'
import { addKeyOptions, keyFileSource, type KeyOptions } from './key-options'
import { topCommand } from '../../table'

const alg = (v: string) => {
  if (!(JWT_ALGORITHMS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${JWT_ALGORITHMS.join(', ')}`)
  return v as (typeof JWT_ALGORITHMS)[number]
}

function keyLine(k: KeyInfo): string {
  const shape = k.kty === 'RSA' ? `RSA ${k.bits}` : k.kty === 'EC' || k.kty === 'OKP' ? `${k.kty} ${k.crv}` : 'secret'
  return `${k.name}\t${k.alg}\t${shape}\t${k.hasPrivate ? 'private' : 'public only'}\t${k.kid}\t${k.created}`
}

/** `tokendesk keys ...`: JWT keys, public parts in the store and private parts in the keychain. */
export function register(program: Command, ctx: CliContext): void {
  const keys = topCommand(program, 'keys')

  subcommand(
    keys,
    'generate',
    'generate a key: HMAC secret (hash size or more), RSA 2048/3072/4096, EC P-256/384/521 or Ed25519'
  )
    .requiredOption('--name <name>', 'a name for the key')
    .requiredOption('--alg <alg>', 'the algorithm it is for (decides the key type)', alg)
    .option('--bits <n>', 'RSA modulus size: 2048 (default), 3072 or 4096', parseIntOption('--bits'))
    .option('--bytes <n>', 'HMAC secret size in bytes (default: the hash size)', parseIntOption('--bytes'))
    .action(async (o: { name: string; alg: (typeof JWT_ALGORITHMS)[number]; bits?: number; bytes?: number }) => {
      const r = await ctx.call('keys:generate', {
        name: o.name,
        alg: o.alg,
        ...(o.bits !== undefined ? { modulusLength: o.bits as 2048 } : {}),
        ...(o.bytes !== undefined ? { secretBytes: o.bytes } : {})
      })
      ctx.print(r, keyLine)
    })

  addKeyOptions(
    subcommand(
      keys,
      'import',
      'import PEM (SPKI, PKCS#8, X.509 certificate), a JWK, a JWKS key by --kid, or a raw HMAC secret'
    )
      .requiredOption('--name <name>', 'a name for the key')
      .option('--alg <alg>', 'the algorithm it is for (default: from the JWK or the key type)', alg)
  ).action(async (o: KeyOptions & { name: string; alg?: (typeof JWT_ALGORITHMS)[number] }) => {
    if (o.key !== undefined)
      throw failure('VALIDATION', 'keys import reads --key-file or a secret source, not a stored --key.')
    const secret = readSecretSource(o, 'HMAC secret')
    if (secret !== undefined && o.keyFile !== undefined)
      throw failure('VALIDATION', 'Give a secret source or --key-file, not both.')
    let source: Input<'keys:import'>['source']
    if (secret !== undefined) source = { secret, ...(o.secretEncoding ? { encoding: o.secretEncoding } : {}) }
    else if (o.keyFile !== undefined) source = keyFileSource(readFileText(o.keyFile, 'key'), o.kid, o.keyFile)
    else
      throw failure(
        'VALIDATION',
        'Give the key: --key-file F [--kid K], or --secret-file/--secret-env/--secret-stdin [--secret-encoding E].'
      )
    const r = await ctx.call('keys:import', { name: o.name, ...(o.alg ? { alg: o.alg } : {}), source })
    ctx.print(r, keyLine)
  })

  subcommand(keys, 'export', 'public key as JWK or PEM, or every public key as a JWKS (secrets are never exported)')
    .argument('[name]', 'the key (omit with --format jwks for all keys)')
    .option('--format <fmt>', 'jwk (default), jwks or pem', (v: string) => {
      if (!['jwk', 'jwks', 'pem'].includes(v)) throw new InvalidArgumentError('must be jwk, jwks or pem')
      return v
    })
    .action(async (name: string | undefined, o: { format?: 'jwk' | 'jwks' | 'pem' }) => {
      const format = o.format ?? (name ? 'jwk' : 'jwks')
      const r = await ctx.call('keys:export', { ...(name ? { name } : {}), format })
      ctx.print(r, (v: KeyExport) =>
        v.format === 'pem' ? v.pem.trimEnd() : JSON.stringify(v.format === 'jwk' ? v.jwk : v.jwks, null, 2)
      )
    })

  subcommand(keys, 'list', 'stored keys: name, alg, type, private part present, kid, created').action(async () => {
    const r = await ctx.call('keys:list', {})
    ctx.print(r, (v: KeyInfo[]) => (v.length ? v.map(keyLine) : 'no keys'))
  })

  subcommand(keys, 'delete', 'delete a stored key and its keychain item')
    .argument('<name>', 'the key name or kid')
    .action(async (name: string) => {
      const r = await ctx.call('keys:delete', { name })
      ctx.print(r, (v: typeof r) => `deleted ${v.name} (${v.kid})`)
    })
}
