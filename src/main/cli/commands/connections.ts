import { type Command, InvalidArgumentError } from 'commander'
import type { Connection, Input } from '../../../shared/contract'
import { subcommand, type CliContext } from '../runtime'
import {
  addCredentialOptions,
  addTlsOptions,
  connectionDraft,
  readCredential,
  routesOf,
  table,
  tlsOf,
  type TargetFlags
} from './remote-options'
import { topCommand } from '../table'

/** `tokendesk connections ...`: server profiles, one contract channel each; credentials never from argv. */

const connLines = (cs: Connection[]) =>
  cs.length
    ? table([
        ['NAME', 'KIND', 'URL', 'AUTH', 'CREDENTIAL'],
        ...cs.map((c) => [c.name, c.kind, c.baseUrl, c.authMethod, c.hasCredential ? 'keychain' : '-'])
      ])
    : ['(no connections)']

/** `tokendesk connections ...`: server connection profiles, credentials in the keychain. */
export function register(program: Command, ctx: CliContext): void {
  const conns = topCommand(program, 'connections')
  const add = subcommand(conns, 'add', 'add a server profile')
    .requiredOption('--name <name>', 'profile name')
    .requiredOption('--kind <kind>', 'fess, datafor or xdua')
    .requiredOption('--url <url>', 'server base URL (Datafor: ending in /datafor)')
    .option(
      '--auth <method>',
      'token (fess), basic|session|bearer (datafor), jwt (xdua); implied by the credential flag when left out'
    )
    .option('--user <name>', 'user name (Datafor basic/session)')
    .option('--session', 'Datafor: session login instead of HTTP Basic')
    .option('--routes-file <file>', 'xdua route table overrides (JSON)')
  addCredentialOptions(add)
  addTlsOptions(add)
  add.action(async (o: TargetFlags & { name: string; kind: string; auth?: string }) => {
    if (!['fess', 'datafor', 'xdua'].includes(o.kind))
      throw new InvalidArgumentError('--kind must be fess, datafor or xdua')
    const credential = readCredential(o)
    const c = await ctx.call(
      'connections:add',
      connectionDraft({ name: o.name, kind: o.kind as 'fess', baseUrl: o.url! }, o, credential)
    )
    ctx.print(
      c,
      (v: Connection) =>
        `added ${v.kind} connection "${v.name}" (${v.id})${v.hasCredential ? ', credential in the keychain' : ''}`
    )
  })
  subcommand(conns, 'list', 'list server profiles')
    .option('--kind <kind>', 'only this kind')
    .action(async (o: { kind?: 'fess' | 'datafor' | 'xdua' }) => {
      const list = await ctx.call('connections:list', o.kind ? { kind: o.kind } : {})
      ctx.print(list, connLines)
    })
  conns
    .command('get')
    .argument('<name>', 'name or id')
    .description('show one profile')
    .action(async (name: string) =>
      ctx.print(await ctx.call('connections:get', { id: name }), (c: Connection) => JSON.stringify(c, null, 2))
    )
  const upd = conns
    .command('update')
    .argument('<name>', 'name or id')
    .description('change a profile')
    .option('--rename <name>', 'new name')
    .option('--url <url>', 'new base URL')
    .option('--auth <method>', 'new auth method')
    .option('--user <name>', 'new user name')
    .option('--clear-credential', 'remove the stored credential')
    .option('--routes-file <file>', 'xdua route table overrides (JSON)')
    .option('--default-routes', 'xdua: back to the default route table')
    .option('--clear-tls', 'drop the extra CA and the pin')
  addCredentialOptions(upd)
  addTlsOptions(upd)
  upd.action(
    async (
      name: string,
      o: TargetFlags & {
        rename?: string
        auth?: string
        clearCredential?: boolean
        defaultRoutes?: boolean
        clearTls?: boolean
      }
    ) => {
      const credential = readCredential(o)
      const input: Input<'connections:update'> = { id: name }
      if (o.rename) input.name = o.rename
      if (o.url) input.baseUrl = o.url
      if (o.auth) input.authMethod = o.auth as 'token'
      if (o.user !== undefined) input.username = o.user
      if (credential !== undefined) input.credential = credential
      if (o.clearCredential) input.clearCredential = true
      if (o.routesFile) input.routes = routesOf(o.routesFile)
      if (o.defaultRoutes) input.routes = null
      if (o.timeout) input.timeoutMs = o.timeout
      const tls = tlsOf(o)
      if (tls) input.tls = tls
      if (o.clearTls) input.tls = null
      if (o.allowInsecure) input.allowInsecure = true
      ctx.print(
        await ctx.call('connections:update', input),
        (c: Connection) => `updated "${c.name}" (version ${c.version})`
      )
    }
  )
  conns
    .command('remove')
    .argument('<name>', 'name or id')
    .description('remove a profile and its keychain credential')
    .action(async (name: string) =>
      ctx.print(await ctx.call('connections:remove', { id: name }), (r: { name: string }) => `removed "${r.name}"`)
    )
  conns
    .command('test')
    .argument('<name>', 'name or id')
    .description('check that a profile reaches its server and authenticates')
    .action(async (name: string) =>
      ctx.print(
        await ctx.call('connections:test', { id: name }),
        (r: { message: string; latencyMs: number }) => `ok: ${r.message} (${r.latencyMs} ms)`
      )
    )
}
