import { type Command, InvalidArgumentError } from 'commander'
import type { ConnectionDraft, DataforConfig, FessToken, XduaToken, XduaVerb } from '../../../shared/contract'
import { XDUA_VERBS } from '../../../shared/contract'
import { collect, failure, parseIntOption, readFileText, stripNewline, type CliContext } from '../runtime'
import { cliIo } from '../io'
import { addDataforRotate, addServerRotate } from './rotate'
import {
  addCredentialOptions,
  addTlsOptions,
  readCredential,
  impliedAuth,
  routesOf,
  table,
  tlsOf,
  type TargetFlags
} from './remote-options'

/**
 * `tokendesk remote fess|datafor|xdua ...`: every command is one contract channel through the same dispatch as the
 * console. Credentials are read from a file, an environment variable or stdin, never from argv.
 */

// ------------------------------------------------------------------------------------------------------ formatting

const fessLine = (t: FessToken) => [
  t.id,
  t.name,
  t.permissions.join(','),
  t.parameterName ?? '',
  t.expires ?? '',
  t.tokenHint ? `…${t.tokenHint}` : ''
]
const fessDetail = (t: FessToken) => [
  `id:             ${t.id}`,
  `name:           ${t.name}`,
  `permissions:    ${t.permissions.join('\n                ') || '(none)'}`,
  `parameter name: ${t.parameterName ?? '-'}`,
  `expires:        ${t.expires ?? 'never'}`,
  `updated:        ${t.updatedTime ? new Date(t.updatedTime).toISOString() : '-'} by ${t.updatedBy ?? '-'} (updatedTime ${t.updatedTime ?? '-'})`
]
const dfLine = (c: DataforConfig) => [
  c.name,
  c.algorithm,
  c.tokenName,
  String(c.expire),
  c.enable ? 'enabled' : 'disabled',
  c.secretKept ? 'kept' : c.hasSecret ? 'on server' : '-'
]
const xLine = (t: XduaToken) => [
  t.id,
  t.name ?? '',
  t.state === 1 ? 'disabled' : 'enabled',
  t.stato ?? '',
  t.creatorName ?? '',
  t.istamp ?? ''
]

// ---------------------------------------------------------------------------------------------------------- target

function targetOf(kind: 'fess' | 'datafor' | 'xdua', o: TargetFlags): { conn?: string; adhoc?: ConnectionDraft } {
  if (o.conn && o.url) throw failure('VALIDATION', 'Give --conn NAME or --url URL, not both')
  if (o.conn) return { conn: o.conn }
  if (!o.url) throw failure('VALIDATION', 'Give --conn NAME (a saved connection) or --url URL with a credential file')
  const credential = readCredential(o)
  if (!credential)
    throw failure(
      'VALIDATION',
      'With --url, give the credential: --token-file, --password-file, --bearer-file or --jwt-file'
    )
  return {
    adhoc: {
      name: 'adhoc',
      kind,
      baseUrl: o.url,
      authMethod: impliedAuth(kind, o),
      ...(o.user ? { username: o.user } : {}),
      credential,
      ...(o.routesFile ? { routes: routesOf(o.routesFile) } : {}),
      ...(o.timeout ? { timeoutMs: o.timeout } : {}),
      ...(tlsOf(o) ? { tls: tlsOf(o) } : {}),
      allowInsecure: Boolean(o.allowInsecure)
    }
  }
}

function serverCommand(remote: Command, kind: 'fess' | 'datafor' | 'xdua', description: string): Command {
  const cmd = remote
    .command(kind)
    .description(description)
    .option('--conn <name>', 'a saved connection (name or id)')
    .option('--url <url>', 'a one-off server base URL (not saved)')
  if (kind === 'datafor')
    cmd
      .option('--user <name>', 'Datafor user name (basic or session)')
      .option('--session', 'log in with a session (JSESSIONID) instead of HTTP Basic')
  if (kind === 'xdua')
    cmd.option('--routes-file <file>', 'xdua route table overrides, JSON {VERB:{method,path,query?,body?}}')
  addCredentialOptions(cmd)
  addTlsOptions(cmd)
  return cmd
}

const targetFrom = (kind: 'fess' | 'datafor' | 'xdua', cmd: Command) =>
  targetOf(kind, cmd.optsWithGlobals<TargetFlags>())

// -------------------------------------------------------------------------------------------------------- register

export function registerRemoteCommands(program: Command, ctx: CliContext): void {
  const remote = program.command('remote').description('Manage tokens on Fess, Datafor and xdua servers')
  registerFess(remote, ctx)
  registerDatafor(remote, ctx)
  registerXdua(remote, ctx)
  remote
    .command('pull')
    .description("copy a server's tokens into the local store (read-only copies)")
    .requiredOption('--conn <name>', 'saved connection')
    .option('--keep-secrets', 'Fess: also keep each token value in the keychain')
    .action(async (o: { conn: string; keepSecrets?: boolean }) => {
      const { jobId } = await ctx.call('remote:pull', { conn: o.conn, keepSecrets: o.keepSecrets })
      const info = await ctx.open().deps.jobs.wait(jobId)
      if (info.state !== 'done')
        throw failure(info.error?.code ?? 'INTERNAL', info.error?.message ?? `pull ${info.state}`)
      ctx.print(
        info.result,
        (r: { pulled: number; inserted: number; updated: number; removed: number; truncated: boolean }) =>
          `pulled ${r.pulled} (new ${r.inserted}, updated ${r.updated}, removed ${r.removed})${r.truncated ? '; the server list was cut at 10,000' : ''}`
      )
    })
  remote
    .command('push')
    .description('push a local record to a server (create, or update what an earlier push created)')
    .requiredOption('--conn <name>', 'saved connection')
    .argument('<localId>', 'local record id')
    .action(async (localId: string, o: { conn: string }) => {
      const r = await ctx.call('remote:push', { conn: o.conn, localId })
      ctx.print(r, (v: typeof r) => [
        `${v.action} ${v.kind} ${v.remoteId}`,
        ...(v.token ? [`token: ${v.token}`] : []),
        ...v.notes
      ])
    })
  remote
    .command('diff')
    .description('what differs between local copies and the server now')
    .requiredOption('--conn <name>', 'saved connection')
    .action(async (o: { conn: string }) => {
      const r = await ctx.call('remote:diff', { conn: o.conn })
      ctx.print(r, (v: typeof r) => [
        `same ${v.counts.same}, changed ${v.counts.changed}, only local ${v.counts.onlyLocal}, only on server ${v.counts.onlyRemote}`,
        ...v.items
          .filter((i) => i.status !== 'same')
          .map(
            (i) =>
              `${i.status.padEnd(10)} ${i.name}${i.fields.length ? `: ${i.fields.map((f) => f.field).join(', ')}` : ''}`
          )
      ])
    })
}

function registerFess(remote: Command, ctx: CliContext): void {
  const fess = serverCommand(remote, 'fess', 'Fess access tokens (admin API)')
  addServerRotate(fess, 'fess', ctx, (c) => targetFrom('fess', c))
  fess
    .command('list')
    .description('list access tokens (one page, or --all)')
    .option('--all', 'every page (up to Fess’s 10,000-result window)')
    .option('--page <n>', 'page (1-based)', parseIntOption('--page'))
    .option('--size <n>', 'page size', parseIntOption('--size'))
    .action(async (o: { all?: boolean; page?: number; size?: number }, cmd: Command) => {
      const r = await ctx.call('remote:fessList', {
        ...targetFrom('fess', cmd),
        all: o.all,
        page: o.page,
        size: o.size
      })
      ctx.print(r, (v: typeof r) => [
        ...table([['ID', 'NAME', 'PERMISSIONS', 'PARAM', 'EXPIRES', 'TOKEN'], ...v.items.map(fessLine)]),
        `${v.items.length} shown of ${v.totalCapped ? '10,000 or more' : v.total} (Fess ${v.serverVersion})`,
        ...v.notes
      ])
    })
  fess
    .command('get')
    .argument('<id>')
    .description('one access token (value masked)')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      ctx.print(await ctx.call('remote:fessGet', { ...targetFrom('fess', cmd), id }), fessDetail)
    )
  fess
    .command('reveal')
    .argument('<id>')
    .description("print an access token's value (audited)")
    .action(async (id: string, _o: unknown, cmd: Command) =>
      ctx.print(
        await ctx.call('remote:fessReveal', { ...targetFrom('fess', cmd), id }),
        (r: { token: string }) => r.token
      )
    )
  fess
    .command('create')
    .description('create an access token; the server makes the value, shown once here')
    .requiredOption('--name <name>', 'token name')
    .option('--permission <p>', 'a permission line, e.g. {role}admin-api (repeatable)', collect, [])
    .option('--parameter-name <x>', 'request parameter that may carry the token')
    .option('--expires <t>', 'yyyy-MM-ddTHH:mm:ss in the server’s time zone')
    .action(
      async (o: { name: string; permission: string[]; parameterName?: string; expires?: string }, cmd: Command) => {
        const r = await ctx.call('remote:fessCreate', {
          ...targetFrom('fess', cmd),
          name: o.name,
          ...(o.permission.length ? { permissions: o.permission } : {}),
          ...(o.parameterName !== undefined ? { parameterName: o.parameterName } : {}),
          ...(o.expires !== undefined ? { expires: o.expires } : {})
        })
        ctx.print(r, (v: typeof r) => [
          ...fessDetail(v.item),
          `token:          ${v.token}`,
          ...v.warnings.map((w) => `warning: ${w}`)
        ])
      }
    )
  fess
    .command('update')
    .argument('<id>')
    .description('change an access token; fields not given keep their server values')
    .option('--name <name>', 'new name')
    .option('--permission <p>', 'replace the permissions with these lines (repeatable)', collect)
    .option('--clear-permissions', 'remove every permission')
    .option('--parameter-name <x>', 'new parameter name')
    .option('--clear-parameter-name', 'remove the parameter name')
    .option('--expires <t>', 'new expiry, yyyy-MM-ddTHH:mm:ss')
    .option('--clear-expires', 'never expires')
    .option(
      '--expected-updated-time <ms>',
      'refuse (CONFLICT) if the server record changed since this updatedTime',
      parseIntOption('--expected-updated-time')
    )
    .action(
      async (
        id: string,
        o: {
          name?: string
          permission?: string[]
          clearPermissions?: boolean
          parameterName?: string
          clearParameterName?: boolean
          expires?: string
          clearExpires?: boolean
          expectedUpdatedTime?: number
        },
        cmd: Command
      ) => {
        if (o.expires && o.clearExpires) throw failure('VALIDATION', 'Give --expires or --clear-expires, not both')
        const r = await ctx.call('remote:fessUpdate', {
          ...targetFrom('fess', cmd),
          id,
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.permission ? { permissions: o.permission } : o.clearPermissions ? { permissions: [] } : {}),
          ...(o.parameterName !== undefined
            ? { parameterName: o.parameterName }
            : o.clearParameterName
              ? { parameterName: null }
              : {}),
          ...(o.expires !== undefined ? { expires: o.expires } : o.clearExpires ? { expires: null } : {}),
          ...(o.expectedUpdatedTime !== undefined ? { expectedUpdatedTime: o.expectedUpdatedTime } : {})
        })
        ctx.print(r, (v: typeof r) => [
          ...fessDetail(v.item),
          `changed: ${v.changed.join(', ') || 'nothing'}`,
          ...v.warnings.map((w) => `warning: ${w}`)
        ])
      }
    )
  fess
    .command('delete')
    .argument('<id>')
    .description('delete an access token')
    .option(
      '--expected-updated-time <ms>',
      'refuse (CONFLICT) if the server record changed since',
      parseIntOption('--expected-updated-time')
    )
    .action(async (id: string, o: { expectedUpdatedTime?: number }, cmd: Command) =>
      ctx.print(
        await ctx.call('remote:fessDelete', {
          ...targetFrom('fess', cmd),
          id,
          expectedUpdatedTime: o.expectedUpdatedTime
        }),
        () => `deleted ${id}`
      )
    )
}

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

function registerDatafor(remote: Command, ctx: CliContext): void {
  const df = serverCommand(
    remote,
    'datafor',
    'Datafor JWT-SSO token configurations (newer API docs win over the old seed page: JSON bodies, string error codes)'
  )
  addDataforRotate(df, ctx, (c) => targetFrom('datafor', c))
  df.command('list')
    .description('list configurations (secrets masked)')
    .action(async (_o: unknown, cmd: Command) => {
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

function parseField(v: string, prev: Record<string, string> = {}): Record<string, string> {
  const i = v.indexOf('=')
  if (i <= 0) throw new InvalidArgumentError('--field is key=value')
  return { ...prev, [v.slice(0, i)]: v.slice(i + 1) }
}

function registerXdua(remote: Command, ctx: CliContext): void {
  const x = serverCommand(remote, 'xdua', 'xdua tokens: the 13 verbs through the connection route table')
  addServerRotate(x, 'xdua', ctx, (c) => targetFrom('xdua', c))
  for (const verbName of XDUA_VERBS) {
    const needsId = !['ADD', 'QRY', 'QRI'].includes(verbName)
    x.command(verbName.toLowerCase())
      .description(`xdua ${verbName}`)
      .argument(needsId ? '<id>' : '[id]', 'token id')
      .option(
        '--field <k=v>',
        'a body field (repeatable), e.g. --field name=ops_token, or the ADD claims typ=L ...',
        parseField
      )
      .option('--where <json>', 'QRY/QRI equality conditions as JSON, e.g. {"state":0}')
      .option('--offset <n>', 'QRY/QRI offset', parseIntOption('--offset'))
      .option('--limit <n>', 'QRY/QRI limit', parseIntOption('--limit'))
      .option('--page <n>', 'QRY/QRI page (overrides offset)', parseIntOption('--page'))
      .option('--order <f:DIR>', 'QRY/QRI order, e.g. istamp:DESC')
      .action((id: string | undefined, o: XOpts, cmd: Command) => runXdua(ctx, verbName, id, o, cmd))
  }
}

interface XOpts {
  field?: Record<string, string>
  where?: string
  offset?: number
  limit?: number
  page?: number
  order?: string
}

async function runXdua(ctx: CliContext, verb: XduaVerb, id: string | undefined, o: XOpts, cmd: Command): Promise<void> {
  const v = verb
  let where: Record<string, string | number | boolean> | undefined
  if (o.where) {
    try {
      where = JSON.parse(o.where) as Record<string, string | number | boolean>
    } catch {
      throw failure('VALIDATION', '--where must be JSON')
    }
  }
  const r = await ctx.call('remote:xdua', {
    ...targetFrom('xdua', cmd),
    verb: v as XduaVerb,
    ...(id ? { id } : {}),
    ...(o.field ? { fields: o.field } : {}),
    ...(where ? { where } : {}),
    offset: o.offset,
    limit: o.limit,
    page: o.page,
    order: o.order
  })
  ctx.print(r, (res: typeof r) =>
    res.list
      ? [
          ...table([['ID', 'NAME', 'STATE', 'STATO', 'CREATOR', 'UPDATED'], ...res.list.items.map(xLine)]),
          `${res.list.items.length} of ${res.list.total}`
        ]
      : res.record
        ? JSON.stringify(res.record, null, 2)
        : `${res.verb} ok: ${res.id ?? ''}${res.updates ? ` ${JSON.stringify(res.updates)}` : ''}`
  )
}
