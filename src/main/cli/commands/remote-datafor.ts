import { type Command, InvalidArgumentError } from 'commander'
import type { DataforConfig } from '../../../shared/contract'
import { collect, failure, parseIntOption, readFileText, stripNewline, type CliContext, subcommand } from '../runtime'
import { cliIo } from '../io'
import { addDataforRotate } from './rotate'
import { table } from './remote-options'
import { targetFrom, serverCommand } from './remote-target'

/** `tokendesk remote datafor ...`: Datafor JWT-SSO token configurations. */

const dfLine = (c: DataforConfig) => [
  c.name,
  c.algorithm,
  c.tokenName,
  String(c.expire),
  c.enable ? 'enabled' : 'disabled',
  c.secretKept ? 'kept' : c.hasSecret ? 'on server' : '-'
]

function parseFieldmap(v: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of v.split(',')) {
    const [k, val] = part.split('=')
    if (!['username', 'name', 'email'].includes(k) || val === undefined)
      throw new InvalidArgumentError('--fieldmap is username=X,name=Y,email=Z')
    out[k] = val
  }
  return out
}

export function registerDatafor(remote: Command, ctx: CliContext): void {
  const df = serverCommand(
    remote,
    'datafor',
    'Datafor JWT-SSO token configurations (newer API docs win over the old seed page: JSON bodies, string error codes)'
  )
  addDataforRotate(df, ctx, (c) => targetFrom('datafor', c))
  subcommand(df, 'list', 'list configurations (secrets masked)').action(async (_o: unknown, cmd: Command) => {
    const r = await ctx.call('remote:dataforList', targetFrom('datafor', cmd))
    ctx.print(r, (v: typeof r) =>
      table([['NAME', 'ALG', 'PARAM', 'EXPIRE', 'STATE', 'SECRET'], ...v.items.map(dfLine)])
    )
  })
  df.command('get')
    .argument('<name>')
    .action(async (name: string, _o: unknown, cmd: Command) =>
      ctx.print(await ctx.call('remote:dataforGet', { ...targetFrom('datafor', cmd), name }), (c: DataforConfig) =>
        JSON.stringify(c, null, 2)
      )
    )
  addDataforPut(df, ctx)
  df.command('delete')
    .argument('<name>')
    .action(async (name: string, _o: unknown, cmd: Command) =>
      ctx.print(
        await ctx.call('remote:dataforDelete', { ...targetFrom('datafor', cmd), name }),
        () => `deleted "${name}"`
      )
    )
  df.command('delete-many')
    .argument('<names...>')
    .description('delete several (unknown names are skipped; not atomic)')
    .action(async (names: string[], _o: unknown, cmd: Command) =>
      ctx.print(
        await ctx.call('remote:dataforDeleteMany', { ...targetFrom('datafor', cmd), names }),
        (r: { deleted: string[]; missing: string[] }) =>
          `deleted ${r.deleted.join(', ') || 'none'}${r.missing.length ? `; not on the server: ${r.missing.join(', ')}` : ''}`
      )
    )
  addDataforMint(df, ctx)
}

function addDataforPut(df: Command, ctx: CliContext): void {
  df.command('put')
    .argument('<name>')
    .description(
      'create a configuration or change one (fields not given keep their server values; the secret is kept unless given)'
    )
    .option('--token-name <t>', 'URL parameter carrying the JWT')
    .option(
      '--secret-file <file>',
      'HMAC secret (or RS/ES Base64 public key), from a file; kept in the keychain for offline minting'
    )
    .option('--secret-env <var>', 'the secret from an environment variable')
    .option('--expire <s>', 'lifetime in seconds', parseIntOption('--expire'))
    .option('--fieldmap <map>', 'username=X,name=Y,email=Z', parseFieldmap)
    .option('--algorithm <alg>', 'HS256/384/512, RS256/384/512, ES256/384/512')
    .option('--enable', 'enable SSO')
    .option('--disable', 'disable SSO')
    .option('--inituser', 'create missing users at first login')
    .option('--no-inituser', 'do not create missing users')
    .option('--initrole <r>', 'role of created users (repeatable)', collect)
    .option('--self-service', 'self service on')
    .option('--no-self-service', 'self service off')
    .action(async (name: string, o: Record<string, unknown>, cmd: Command) => {
      if (o.enable && o.disable) throw failure('VALIDATION', 'Give --enable or --disable, not both')
      let secret: string | undefined
      if (o.secretFile) secret = stripNewline(readFileText(String(o.secretFile), 'secret'))
      else if (o.secretEnv) {
        secret = cliIo().env[String(o.secretEnv)]
        if (secret === undefined)
          throw failure('VALIDATION', `The environment variable ${String(o.secretEnv)} is not set`)
      }
      // commander sets negatable flags to true by default: only pass what the user typed.
      const typed = (key: string) => cmd.getOptionValueSource(key) === 'cli'
      const r = await ctx.call('remote:dataforPut', {
        ...targetFrom('datafor', cmd),
        name,
        ...(o.tokenName ? { tokenName: String(o.tokenName) } : {}),
        ...(secret ? { secret } : {}),
        ...(o.expire !== undefined ? { expire: Number(o.expire) } : {}),
        ...(o.fieldmap ? { fieldmap: o.fieldmap as Record<string, string> } : {}),
        ...(o.algorithm ? { algorithm: String(o.algorithm) as 'HS256' } : {}),
        ...(o.enable ? { enable: true } : o.disable ? { enable: false } : {}),
        ...(typed('inituser') ? { inituser: Boolean(o.inituser) } : {}),
        ...(o.initrole ? { initroles: o.initrole as string[] } : {}),
        ...(typed('selfService') ? { selfService: Boolean(o.selfService) } : {})
      })
      ctx.print(
        r,
        (v: typeof r) =>
          `${v.created ? 'created' : 'updated'} "${v.item.name}"; changed: ${v.changed.join(', ') || 'nothing'}`
      )
    })
}

/** mint signs offline with the kept secret; generate has the server sign. */
function addDataforMint(df: Command, ctx: CliContext): void {
  df.command('mint')
    .argument('<name>')
    .description('mint a test JWT offline with the secret TokenDesk set on the server (needs --conn)')
    .requiredOption('--username <u>', 'login name')
    .option('--display-name <n>', 'name claim')
    .option('--email <e>', 'email claim')
    .option('--allow-weak-key', 'sign even with an HMAC secret shorter than the hash (RFC 7518 §3.2)')
    .action(
      async (
        name: string,
        o: { username: string; displayName?: string; email?: string; allowWeakKey?: boolean },
        cmd: Command
      ) => {
        const t = targetFrom('datafor', cmd)
        if (!t.conn) throw failure('VALIDATION', 'mint needs --conn: the kept secret belongs to a saved connection')
        const r = await ctx.call('remote:dataforMint', {
          conn: t.conn,
          name,
          username: o.username,
          displayName: o.displayName,
          email: o.email,
          allowWeakKey: o.allowWeakKey
        })
        ctx.print(r, (v: typeof r) => [
          v.token,
          ...(v.loginUrl ? [v.loginUrl] : []),
          ...v.warnings.map((w) => `warning: ${w}`)
        ])
      }
    )
  df.command('generate')
    .argument('<name>')
    .description('have the server sign a test JWT (HS* configurations only)')
    .requiredOption('--username <u>', 'login name')
    .action(async (name: string, o: { username: string }, cmd: Command) =>
      ctx.print(
        await ctx.call('remote:dataforGenerate', { ...targetFrom('datafor', cmd), name, username: o.username }),
        (r: { token: string }) => r.token
      )
    )
}
