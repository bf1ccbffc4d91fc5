import { type Command, InvalidArgumentError } from 'commander'
import type { XduaToken, XduaVerb } from '../../../shared/contract'
import { XDUA_VERBS } from '../../../shared/contract'
import { failure, parseIntOption, type CliContext, subcommand } from '../runtime'
import { addServerRotate } from './rotate'
import { table } from './remote-options'
import { serverCommand, targetFrom } from './remote-target'

/** `tokendesk remote xdua ...`: the xdua verbs through the connection route table. */

const xLine = (t: XduaToken) => [
  t.id,
  t.name ?? '',
  t.state === 1 ? 'disabled' : 'enabled',
  t.stato ?? '',
  t.creatorName ?? '',
  t.istamp ?? ''
]

function parseField(v: string, prev: Record<string, string> = {}): Record<string, string> {
  const i = v.indexOf('=')
  if (i <= 0) throw new InvalidArgumentError('--field is key=value')
  return { ...prev, [v.slice(0, i)]: v.slice(i + 1) }
}

export function registerXdua(remote: Command, ctx: CliContext): void {
  const x = serverCommand(remote, 'xdua', 'xdua tokens: the 13 verbs through the connection route table')
  addServerRotate(x, 'xdua', ctx, (c) => targetFrom('xdua', c))
  for (const verbName of XDUA_VERBS) {
    const needsId = !['ADD', 'QRY', 'QRI'].includes(verbName)
    subcommand(x, verbName.toLowerCase(), `xdua ${verbName}`)
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
