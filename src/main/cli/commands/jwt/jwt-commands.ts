import { InvalidArgumentError, type Command } from 'commander'
import type { Input, JwtDecoded, JwtExplanation, JwtMintResult } from '../../../../shared/contract'
import { JWT_ALGORITHMS } from '../../../../shared/contract'
import {
  CliFailure,
  collect,
  failure,
  given,
  parseIntOption,
  watchJob,
  type CliContext,
  subcommand
} from '../../runtime'
import { addDataforLoginOptions, dataforLoginInput, type DataforLoginFlags } from '../datafor-login'
import { addKeyOptions, parseJsonOption, readJsonFile, readKeySource, readToken, type KeyOptions } from './key-options'
import { writeErr } from '../../io'
import { subcommandFilter, topCommand } from '../../table'

type Alg = (typeof JWT_ALGORITHMS)[number]

function parseAlg(v: string): Alg {
  if (v === 'none') throw new InvalidArgumentError('"none" is never allowed')
  if (!(JWT_ALGORITHMS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${JWT_ALGORITHMS.join(', ')}`)
  return v as Alg
}

function parseAlgList(v: string, prev: Alg[] = []): Alg[] {
  return [...prev, ...v.split(',').map((a) => parseAlg(a.trim()))]
}

interface SignFlags extends KeyOptions {
  alg: Alg
  claims?: Record<string, unknown>
  claimsFile?: string
  header?: Record<string, unknown>
  expiresIn?: string
  notBefore?: string
  iss?: string
  sub?: string
  aud?: string[]
  jti?: string
  allowWeakKey?: boolean
}

function addSignOptions(cmd: Command): Command {
  addKeyOptions(cmd)
  return cmd
    .requiredOption('--alg <alg>', `signing algorithm: ${JWT_ALGORITHMS.join(', ')}`, parseAlg)
    .option('--claims <json>', 'claims as a JSON object', parseJsonOption('--claims'))
    .option('--claims-file <file>', 'claims from a JSON file')
    .option(
      '--header <json>',
      'extra header fields as JSON (e.g. {"kid":"k1","typ":"at+jwt"})',
      parseJsonOption('--header')
    )
    .option('--expires-in <duration>', 'exp = now + duration (90s, 15m, 1h, 7d)')
    .option('--not-before <duration>', 'nbf = now + duration')
    .option('--iss <issuer>', 'iss claim')
    .option('--sub <subject>', 'sub claim')
    .option('--aud <audience>', 'aud claim (repeat for several)', collect)
    .option('--jti <id>', 'jti claim (default: a random UUID)')
    .option('--allow-weak-key', 'accept an HMAC secret shorter than the hash (RFC 7518 §3.2), with a warning')
}

function signInput(o: SignFlags): Input<'jwt:sign'> {
  if (o.claims && o.claimsFile) throw failure('VALIDATION', 'Give --claims or --claims-file, not both.')
  const claims = o.claimsFile ? readJsonFile(o.claimsFile, 'claims') : o.claims
  return {
    alg: o.alg,
    key: readKeySource(o),
    ...(claims ? { claims } : {}),
    ...(o.header ? { header: o.header } : {}),
    ...(o.expiresIn !== undefined ? { expiresIn: o.expiresIn } : {}),
    ...(o.notBefore !== undefined ? { notBefore: o.notBefore } : {}),
    ...(o.iss !== undefined ? { iss: o.iss } : {}),
    ...(o.sub !== undefined ? { sub: o.sub } : {}),
    ...(o.aud?.length ? { aud: o.aud.length === 1 ? o.aud[0] : o.aud } : {}),
    ...(o.jti !== undefined ? { jti: o.jti } : {}),
    ...(o.allowWeakKey ? { allowWeakKey: true } : {})
  }
}

function warn(warnings: string[] | undefined): void {
  for (const w of warnings ?? []) writeErr(`warning: ${w}\n`)
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2)

/** Every subcommand of `jwt` with its help line, in help order. */
const JWT_HELP = {
  sign: 'sign a JWT; prints the compact token',
  verify: 'verify a JWT: exit 0 if valid, 1 with a JWT_* code if not',
  decode: 'decode a JWT WITHOUT verifying it (header and payload)',
  explain: 'decode (unverified) and explain: registered claims, times, sizes, Datafor and xdua notes',
  datafor: 'a Datafor SSO test token (claims by the config fieldmap, exp = now + expire) and its login URL',
  xdua: 'an xdua token with the ADD fields (typ aud sap jti ipm dvm tag api bug shop role rule) as claims',
  mint: 'bulk-mint N tokens (unique jti each) to a JSON-lines or CSV file on worker threads; Ctrl-C cancels'
}

/** Every subcommand of `jwt`, in help order. */
export const JWT_SUBCOMMANDS = Object.keys(JWT_HELP)

/** `tokendesk jwt ...`; an argv that names a subcommand right after `jwt` gets that one alone (see subcommandFilter). */
export function register(program: Command, ctx: CliContext, args: string[] = []): void {
  const jwt = topCommand(program, 'jwt')
  const want = subcommandFilter(args, JWT_SUBCOMMANDS)
  registerCheckCommands(jwt, ctx, want)
  if (want('datafor')) registerDataforToken(jwt, ctx)
  if (want('xdua')) registerXduaToken(jwt, ctx)
  if (want('mint')) registerBulkMint(jwt, ctx)
}

/** sign, verify, decode, explain: one token at a time. */
function registerCheckCommands(jwt: Command, ctx: CliContext, want: (name: string) => boolean): void {
  if (want('sign'))
    addSignOptions(subcommand(jwt, 'sign', JWT_HELP.sign)).action(async (o: SignFlags) => {
      const r = await ctx.call('jwt:sign', signInput(o))
      warn(r.warnings)
      ctx.print(r, (v: typeof r) => v.token)
    })

  if (want('verify'))
    addKeyOptions(
      subcommand(jwt, 'verify', JWT_HELP.verify)
        .argument('<token>', 'the token, or - to read it from stdin')
        .requiredOption('--alg <algs>', 'allowed algorithm(s), comma-separated or repeated', parseAlgList)
        .option('--aud <audience>', 'required audience (repeat: any of them)', collect)
        .option('--iss <issuer>', 'required issuer')
        .option('--clock-tolerance <duration>', 'leeway for exp/nbf (default 0s)')
        .option('--allow-weak-key', 'accept an HMAC secret shorter than the hash, with a warning')
    ).action(
      async (
        tokenArg: string,
        o: KeyOptions & { alg: Alg[]; aud?: string[]; iss?: string; clockTolerance?: string; allowWeakKey?: boolean }
      ) => {
        const input: Input<'jwt:verify'> = {
          token: readToken(tokenArg, o),
          algorithms: o.alg,
          key: readKeySource(o),
          ...(o.aud?.length ? { audience: o.aud.length === 1 ? o.aud[0] : o.aud } : {}),
          ...(o.iss !== undefined ? { issuer: o.iss } : {}),
          ...(o.clockTolerance !== undefined ? { clockTolerance: o.clockTolerance } : {}),
          ...(o.allowWeakKey ? { allowWeakKey: true } : {})
        }
        let r
        try {
          r = await ctx.call('jwt:verify', input)
        } catch (e) {
          // The --json failure body keeps the answer's `valid` key: {"valid":false,"error":{code,message}}.
          if (e instanceof CliFailure)
            throw new CliFailure(e.error, { valid: false, error: { code: e.error.code, message: e.error.message } })
          throw e
        }
        warn(r.warnings.map((w) => `${w.code}: ${w.message}`))
        ctx.print(r, (v: typeof r) => [
          `valid (${String(v.header.alg)})`,
          `header  ${JSON.stringify(v.header)}`,
          `payload ${pretty(v.payload)}`
        ])
      }
    )

  if (want('decode'))
    subcommand(jwt, 'decode', JWT_HELP.decode)
      .argument('<token>', 'the token, or - to read it from stdin')
      .action(async (tokenArg: string) => {
        const r = await ctx.call('jwt:decode', { token: readToken(tokenArg, {}) })
        if (!ctx.json) writeErr(`note: ${r.notice}\n`)
        ctx.print(r, (v: JwtDecoded) => pretty({ header: v.header, payload: v.payload }))
      })

  if (want('explain'))
    subcommand(jwt, 'explain', JWT_HELP.explain)
      .argument('<token>', 'the token, or - to read it from stdin')
      .option(
        '--datafor-fieldmap <json>',
        'the Datafor SSO config fieldmap, e.g. {"username":"loginname"}',
        parseJsonOption('--datafor-fieldmap')
      )
      .action(async (tokenArg: string, o: { dataforFieldmap?: Record<string, unknown> }) => {
        const r = await ctx.call('jwt:explain', {
          token: readToken(tokenArg, {}),
          ...(o.dataforFieldmap ? { dataforFieldmap: o.dataforFieldmap as { username: string } } : {})
        })
        ctx.print(r, explainText)
      })
}

/** `jwt datafor`: a Datafor SSO test token and its login URL. */
function registerDataforToken(jwt: Command, ctx: CliContext): void {
  const cmd = addDataforLoginOptions(
    subcommand(jwt, 'datafor', JWT_HELP.datafor)
      .requiredOption('--alg <alg>', 'the config algorithm', parseAlg)
      .requiredOption('--expire <seconds>', 'the config expire (seconds)', parseIntOption('--expire'))
      .requiredOption('--username <login>', 'the login name')
      .option(
        '--fieldmap <json>',
        'the config fieldmap (default {"username":"loginname"})',
        parseJsonOption('--fieldmap')
      )
      .option('--token-name <name>', 'the config token_name (URL parameter)', 'token')
  )
  addKeyOptions(cmd).action(
    async (
      o: KeyOptions &
        DataforLoginFlags & {
          alg: Alg
          expire: number
          username: string
          fieldmap?: Record<string, unknown>
          tokenName: string
        }
    ) => {
      const r = await ctx.call('jwt:datafor', {
        algorithm: o.alg,
        expire: o.expire,
        fieldmap: (o.fieldmap as { username: string }) ?? { username: 'loginname' },
        tokenName: o.tokenName,
        key: readKeySource(o),
        username: o.username,
        ...given({ name: o.name }),
        ...dataforLoginInput(o)
      })
      warn(r.warnings)
      ctx.print(r, (v: typeof r) => [v.token, ...(v.loginUrl ? [v.loginUrl] : [])])
    }
  )
}

/** `jwt xdua`: a token carrying the xdua ADD fields as claims. */
function registerXduaToken(jwt: Command, ctx: CliContext): void {
  addKeyOptions(
    subcommand(jwt, 'xdua', JWT_HELP.xdua)
      .requiredOption('--alg <alg>', 'signing algorithm', parseAlg)
      .requiredOption('--fields <json>', 'the ADD fields as JSON', parseJsonOption('--fields'))
      .option('--iss <issuer>', 'iss claim')
      .option('--sub <subject>', 'sub claim')
      .option('--expires-in <duration>', 'exp = now + duration')
      .option('--allow-weak-key', 'accept a short HMAC secret, with a warning')
  ).action(
    async (
      o: KeyOptions & {
        alg: Alg
        fields: Record<string, string>
        iss?: string
        sub?: string
        expiresIn?: string
        allowWeakKey?: boolean
      }
    ) => {
      const r = await ctx.call('jwt:xdua', {
        alg: o.alg,
        key: readKeySource(o),
        fields: o.fields,
        ...given({ iss: o.iss, sub: o.sub, expiresIn: o.expiresIn }),
        ...(o.allowWeakKey ? { allowWeakKey: true } : {})
      })
      warn(r.warnings)
      ctx.print(r, (v: typeof r) => v.token)
    }
  )
}

/** `jwt mint`: bulk minting to a file as a job; a cancel still reports the whole lines written. */
function registerBulkMint(jwt: Command, ctx: CliContext): void {
  addSignOptions(
    subcommand(jwt, 'mint', JWT_HELP.mint)
      .requiredOption('--count <n>', 'how many tokens', parseIntOption('--count'))
      .requiredOption('--out <file>', 'output file')
      .option('--format <fmt>', 'jsonl (default) or csv', (v: string) => {
        if (v !== 'jsonl' && v !== 'csv') throw new InvalidArgumentError('must be jsonl or csv')
        return v
      })
      .option('--workers <n>', 'worker threads (default: all cores)', parseIntOption('--workers'))
      .option('--overwrite', 'replace the output file if it exists')
  ).action(
    async (
      o: SignFlags & { count: number; out: string; format?: 'jsonl' | 'csv'; workers?: number; overwrite?: boolean }
    ) => {
      const { jobId } = await ctx.call('jwt:mintStart', {
        count: o.count,
        out: o.out,
        ...(o.format ? { format: o.format } : {}),
        ...(o.workers !== undefined ? { workers: o.workers } : {}),
        ...(o.overwrite ? { overwrite: true } : {}),
        sign: signInput(o)
      })
      const info = await watchJob(ctx, jobId, 'minted')
      const r = info.result as JwtMintResult | undefined
      if (info.state === 'failed') throw new CliFailure(info.error ?? { code: 'INTERNAL', message: 'The mint failed.' })
      if (info.state === 'cancelled' || r?.cancelled) {
        const body = {
          error: {
            code: 'CANCELLED',
            message: `Cancelled: ${r?.written ?? info.done} whole lines written to ${o.out}`
          },
          result: r
        }
        throw new CliFailure({ code: 'CANCELLED', message: body.error.message }, body)
      }
      ctx.print(
        r,
        (v: JwtMintResult) =>
          `minted ${v.written} tokens to ${v.out} (${v.format}, ${v.workers} workers, ${v.bytes} bytes)`
      )
    }
  )
}

function explainText(v: JwtExplanation): string[] {
  const field = (f: JwtExplanation['claims'][number]) => {
    const time = f.iso ? `  ${f.iso}${f.relative ? ` (${f.relative})` : ''}` : ''
    return `  ${f.name.padEnd(8)} ${JSON.stringify(f.value)}${time}\n           ${f.meaning}`
  }
  return [
    `NOT VERIFIED: ${v.notice}`,
    '',
    'header',
    ...v.headerFields.map(field),
    '',
    'claims',
    ...v.claims.map(field),
    '',
    `timing   ${v.timing.summary}`,
    `size     token ${v.sizes.token} chars; signing input ${v.signingInputBytes} bytes (header ${v.sizes.header}, payload ${v.sizes.payload}); signature ${v.sizes.signature} chars`,
    '',
    'Datafor',
    ...v.notes.datafor.map((n) => `  - ${n}`),
    '',
    'xdua',
    ...v.notes.xdua.map((n) => `  - ${n}`)
  ]
}
