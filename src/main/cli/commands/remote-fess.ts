import type { Command } from 'commander'
import type { FessToken } from '../../../shared/contract'
import { collect, failure, parseIntOption, type CliContext, subcommand } from '../runtime'
import { addServerRotate } from './rotate'
import { table } from './remote-options'
import { serverCommand, targetFrom } from './remote-target'

/** `tokendesk remote fess ...`: Fess access tokens through the admin API. */

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

export function registerFess(remote: Command, ctx: CliContext): void {
  const fess = serverCommand(remote, 'fess', 'Fess access tokens (admin API)')
  addServerRotate(fess, 'fess', ctx, (c) => targetFrom('fess', c))
  subcommand(fess, 'list', 'list access tokens (one page, or --all)')
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
  subcommand(fess, 'create', 'create an access token; the server makes the value, shown once here')
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
  addFessUpdate(fess, ctx)
  addFessDelete(fess, ctx)
}

function addFessUpdate(fess: Command, ctx: CliContext): void {
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
}

function addFessDelete(fess: Command, ctx: CliContext): void {
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
