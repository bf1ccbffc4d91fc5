import type { Command } from 'commander'
import type { AccessTokenRecord, Input } from '../../../shared/contract'
import { collect, parseIntOption, readFileText, type CliContext, subcommand } from '../runtime'
import { writeErr } from '../io'
import { addPagedList } from './tokens/shared'
import { topCommand } from '../table'

function accessText(r: AccessTokenRecord): string[] {
  return [
    `${r.id}  ${r.name}  (version ${r.version})`,
    `  token       ${r.tokenMasked ?? '(none: set a new value with --regenerate)'}`,
    `  permissions ${r.permissions.length ? r.permissions.join(', ') : '(none)'}`,
    ...(r.parameterName ? [`  parameter   ${r.parameterName}`] : []),
    `  expires     ${r.expires ?? 'never'}${r.expired ? ' (expired)' : ''}`,
    ...r.warnings.map((w) => `  warning: ${w}`)
  ]
}

interface AccessUpdateFlags {
  name?: string
  permission?: string[]
  permissionsFile?: string
  clearPermissions?: boolean
  /** false from --no-parameter-name */
  parameterName?: string | false
  /** false from --no-expires */
  expires?: string | false
  regenerate?: boolean
  ifVersion?: number
}

/** Permissions from --permission (repeatable) and/or --permissions-file (one per line). */
function permissionsFrom(o: { permission?: string[]; permissionsFile?: string }): string[] | undefined {
  if (!o.permission && !o.permissionsFile) return undefined
  return [
    ...(o.permission ?? []),
    ...(o.permissionsFile ? readFileText(o.permissionsFile, 'permissions').split(/\r?\n/) : [])
  ]
}

/** `tokendesk access-tokens ...`: Fess-shaped access tokens in the local store. */
export function register(program: Command, ctx: CliContext): void {
  const at = topCommand(program, 'access-tokens')
  const warn = (r: AccessTokenRecord) => {
    if (!ctx.json) for (const w of r.warnings) writeErr(`warning: ${w}\n`)
  }
  const versionOf = async (id: string, o: { ifVersion?: number }) =>
    o.ifVersion ?? (await ctx.call('accessTokens:get', { id })).version

  subcommand(at, 'add', 'create an access token; its 60-character value is generated into the keychain')
    .requiredOption('--name <name>')
    .option('--permission <line>', '{role}x, {user}x, {group}x, (deny)... (repeat)', collect)
    .option('--permissions-file <file>', 'one permission per line')
    .option('--parameter-name <name>', 'request parameter whose values Fess adds to the permissions')
    .option('--expires <when>', 'yyyy-MM-ddTHH:mm:ss (Fess, no zone)')
    .action(
      async (o: {
        name: string
        permission?: string[]
        permissionsFile?: string
        parameterName?: string
        expires?: string
      }) => {
        const perms = permissionsFrom(o)
        const r = await ctx.call('accessTokens:add', {
          name: o.name,
          ...(perms ? { permissions: perms } : {}),
          ...(o.parameterName !== undefined ? { parameterName: o.parameterName } : {}),
          ...(o.expires !== undefined ? { expires: o.expires } : {})
        })
        warn(r)
        ctx.print(r, accessText)
      }
    )

  at.command('get')
    .argument('<id>')
    .action(async (id: string) => ctx.print(await ctx.call('accessTokens:get', { id }), accessText))

  addPagedList(
    at,
    ctx,
    (input) => ctx.call('accessTokens:list', input),
    (x) => `${x.id}  ${x.name}  ${x.tokenMasked ?? '-'}  ${x.permissions.join(' ')}${x.expired ? '  (expired)' : ''}`
  )

  at.command('update')
    .argument('<id>')
    .option('--name <name>')
    .option('--permission <line>', 'replaces the permissions (repeat)', collect)
    .option('--permissions-file <file>')
    .option('--clear-permissions', 'remove every permission')
    .option('--parameter-name <name>')
    .option('--no-parameter-name', 'remove the parameter name')
    .option('--expires <when>', 'yyyy-MM-ddTHH:mm:ss')
    .option('--no-expires', 'never expires')
    .option('--regenerate', 'make a new token value')
    .option('--if-version <n>', 'fail with CONFLICT unless at this version', parseIntOption('--if-version'))
    .action(async (id: string, o: AccessUpdateFlags) => {
      const input: Record<string, unknown> = { id, version: await versionOf(id, o) }
      if (o.name !== undefined) input.name = o.name
      const perms = permissionsFrom(o)
      if (o.clearPermissions) input.permissions = []
      else if (perms) input.permissions = perms
      if (o.parameterName === false) input.parameterName = null
      else if (typeof o.parameterName === 'string') input.parameterName = o.parameterName
      if (o.expires === false) input.expires = null
      else if (typeof o.expires === 'string') input.expires = o.expires
      if (o.regenerate) input.regenerate = true
      const r = await ctx.call('accessTokens:update', input as Input<'accessTokens:update'>)
      warn(r)
      ctx.print(r, accessText)
    })

  at.command('delete')
    .argument('<id>')
    .option('--if-version <n>', 'fail with CONFLICT unless at this version', parseIntOption('--if-version'))
    .action(async (id: string, o: { ifVersion?: number }) =>
      ctx.print(await ctx.call('accessTokens:delete', { id, version: await versionOf(id, o) }), () => `deleted ${id}`)
    )

  subcommand(at, 'reveal', 'print the token value (audited)')
    .argument('<id>')
    .action(async (id: string) =>
      ctx.print(await ctx.call('accessTokens:reveal', { id }), (v: { token: string }) => v.token)
    )
}
