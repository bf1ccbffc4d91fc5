import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import {
  CLAIM_FIELDS,
  TOKEN_SORTS,
  matchCountText,
  type Input,
  type TokenCounts,
  type TokenPage,
  type TokenRecord,
  type TokenVerbResult
} from '../../../shared/contract'
import { parseIntOption, type CliContext, subcommand } from '../runtime'
import { subcommandFilter, topCommand } from '../table'
import { durationOption, expireOption, pageLines } from './tokens/shared'
import { registerToolCommands } from './tokens/tool-commands'
import { addTokenRotate } from './rotate'

function recordLine(r: TokenRecord): string {
  const exp = r.expire ? ` expires ${new Date(r.expire * 1000).toISOString().slice(0, 10)}` : ''
  return `${r.id}  ${r.name.padEnd(24)} ${r.lifeState.padEnd(16)} v${r.version}  ${r.creator}${exp}${r.origin ? '  (pulled, read-only)' : ''}`
}

function recordText(r: TokenRecord): string[] {
  return [
    `${r.id}  ${r.name}  (${r.lifeState}, version ${r.version})`,
    ...(r.brief ? [`  brief    ${r.brief}`] : []),
    `  claims   ${CLAIM_FIELDS.map((c) => `${c}=${r[c]}`).join(' ')}`,
    `  state    ${r.state} ${r.stato}; ${r.published ? 'online' : 'offline'}${r.deleted ? `; in the recycle bin since ${r.deletedAt}` : ''}`,
    `  expire   ${r.expire ? new Date(r.expire * 1000).toISOString() : 'never'}`,
    `  signing  ${r.alg ?? '-'} ${r.keyName ? `key ${r.keyName}` : '(no key)'}`,
    `  creator  ${r.creator}, updated by ${r.updater} at ${r.istamp} (created ${r.cstamp})`,
    `  verbs    ${r.verbs.join(' ')}`
  ]
}

type ClaimFlags = Record<(typeof CLAIM_FIELDS)[number], string>

interface AddFlags extends ClaimFlags {
  name?: string
  brief?: string
  avatar?: string
  alg?: string
  key?: string
  expiresIn?: number
  expire?: number | string
}

interface SetFlags {
  name?: string
  brief?: string
  avatar?: string
  alg?: string
  /** false from --no-key */
  key?: string | false
  expire?: number | string
  ifVersion?: number
}

/** The filter flags of `list` and `count`. */
interface FilterFlags {
  state?: 'enabled' | 'disabled'
  online?: boolean
  offline?: boolean
  bin?: boolean
  creator?: string
  expiringBefore?: number | string
  expiringAfter?: number | string
  search?: string
  pulled?: boolean
  local?: boolean
}

interface ListFlags extends FilterFlags {
  mine?: boolean
  sort?: string
  asc?: boolean
  desc?: boolean
  limit?: number
  after?: string
}

const verbText = (v: TokenVerbResult) => [`${v.verb} ok`, ...recordText(v.record)]
const pageText = (p: TokenPage) => pageLines(p, recordLine)

/** Every subcommand of `tokens`, in help order. */
export const TOKEN_SUBCOMMANDS = [
  ...['add', 'set', 'dol', 'rcc', 'dis', 'enb', 'off', 'pub', 'del', 'get', 'git'],
  ...['list', 'count', 'counts', 'states', 'mint', 'check', 'seed', 'export', 'import', 'rotate', 'renew']
]

/**
 * `tokendesk tokens ...`: the lifecycle verbs, the queries, and the tools (mint, check, seed, export, import). An argv
 * that names a subcommand right after `tokens` gets that one alone (its siblings show only in `tokens --help`, which
 * registers them all).
 */
export function register(program: Command, ctx: CliContext, args: string[] = []): void {
  const tokens = topCommand(program, 'tokens')
  const want = subcommandFilter(args, TOKEN_SUBCOMMANDS)
  registerVerbCommands(tokens, ctx, want)
  registerQueryCommands(tokens, ctx, want)
  registerToolCommands(tokens, ctx, want)
  addTokenRotate(tokens, ctx, want)
}

/** ADD, SET, the state verbs, GET and GIT. */
function registerVerbCommands(tokens: Command, ctx: CliContext, want: (name: string) => boolean): void {
  if (want('add')) registerAdd(tokens, ctx)

  /** The version the update carries: --if-version, or the one just read (read-then-write). */
  const versionOf = async (id: string, o: { ifVersion?: number }) =>
    o.ifVersion ?? (await ctx.call('tokens:get', { id })).version

  if (want('set'))
    subcommand(tokens, 'set', 'SET: change name, brief, avatar, expiry or signing key')
      .argument('<id>')
      .option('--name <name>')
      .option('--brief <text>')
      .option('--avatar <text>')
      .option('--alg <alg>')
      .option('--key <name>', 'signing key')
      .option('--no-key', 'remove the signing key')
      .option('--expire <when>', 'ISO date/time, UNIX seconds, or never', expireOption)
      .option(
        '--if-version <n>',
        'fail with CONFLICT unless the token is at this version',
        parseIntOption('--if-version')
      )
      .action(async (id: string, o: SetFlags) => {
        const input: Record<string, unknown> = { id, version: await versionOf(id, o) }
        for (const f of ['name', 'brief', 'avatar', 'alg', 'expire'] as const) if (o[f] !== undefined) input[f] = o[f]
        if (o.key === false) input.keyName = null
        else if (typeof o.key === 'string') input.keyName = o.key
        ctx.print(await ctx.call('tokens:set', input as Input<'tokens:set'>), verbText)
      })

  for (const [verb, what] of [
    ['dol', 'DOL: move to the recycle bin'],
    ['rcc', 'RCC: recover from the recycle bin'],
    ['dis', 'DIS: disable (freeze)'],
    ['enb', 'ENB: enable (unfreeze)'],
    ['off', 'OFF: take offline'],
    ['pub', 'PUB: publish (online)'],
    ['del', 'DEL: delete for good']
  ] as const) {
    if (!want(verb)) continue
    const cmd = subcommand(tokens, verb, what)
      .argument('<id>')
      .option(
        '--if-version <n>',
        'fail with CONFLICT unless the token is at this version',
        parseIntOption('--if-version')
      )
    if (verb === 'dis') cmd.option('--reason <text>', 'status text (stato), <= 64 characters')
    cmd.action(async (id: string, o: { ifVersion?: number; reason?: string }) => {
      const version = await versionOf(id, o)
      if (verb === 'del') {
        ctx.print(await ctx.call('tokens:del', { id, version }), () => `DEL ok: ${id} is gone`)
        return
      }
      const input = verb === 'dis' && o.reason !== undefined ? { id, version, reason: o.reason } : { id, version }
      ctx.print(await ctx.call(`tokens:${verb}`, input), verbText)
    })
  }

  for (const verb of ['get', 'git'] as const)
    if (want(verb))
      subcommand(
        tokens,
        verb,
        verb === 'get' ? 'GET: detail of any token (bin included)' : 'GIT: private detail of your own token'
      )
        .argument('<id>')
        .action(async (id: string) => ctx.print(await ctx.call(`tokens:${verb}`, { id }), recordText))
}

/** ADD: its options are the claim fields, the name and the signing choices. */
function registerAdd(tokens: Command, ctx: CliContext): void {
  const add = subcommand(tokens, 'add', 'ADD: create a token (enabled, offline); prints the record with its id')
    .option('--name <name>', '4–32 letters, digits, CJK or _, starting with a letter or CJK (default token_<id>)')
    .option('--brief <text>', 'description, <= 64 characters')
    .option('--avatar <text>', 'icon, <= 40 characters')
  for (const c of CLAIM_FIELDS) add.requiredOption(`--${c} <value>`, `claim field ${c} (seed 002)`)
  add
    .option('--alg <alg>', "signing algorithm (default: the key's)")
    .option('--key <name>', 'signing key (see `tokendesk keys list`)')
    .option('--expires-in <duration>', 'expiry from now: 90s, 12h, 30d, ...', durationOption('--expires-in'))
    .option('--expire <when>', 'absolute expiry: ISO date/time, UNIX seconds, or never', expireOption)
    .action(async (o: AddFlags) => {
      const input = {
        ...Object.fromEntries(CLAIM_FIELDS.map((c) => [c, o[c]])),
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.brief !== undefined ? { brief: o.brief } : {}),
        ...(o.avatar !== undefined ? { avatar: o.avatar } : {}),
        ...(o.alg !== undefined ? { alg: o.alg } : {}),
        ...(o.key !== undefined ? { keyName: o.key } : {}),
        ...(o.expiresIn !== undefined ? { expiresIn: o.expiresIn } : {}),
        ...(o.expire !== undefined ? { expire: o.expire } : {})
      } as Input<'tokens:add'>
      const r = await ctx.call('tokens:add', input)
      ctx.print(r.record, (v: TokenRecord) => recordText(v))
    })
}

/** list, count, counts, states. */
function registerQueryCommands(tokens: Command, ctx: CliContext, want: (name: string) => boolean): void {
  /** The filter flags of `list` and `count` (tokens:list's filters), and the input they make. */
  const withFilters = (cmd: Command) =>
    cmd
      .option('--state <state>', 'enabled or disabled', (v: string) => {
        if (v !== 'enabled' && v !== 'disabled') throw new InvalidArgumentError('must be enabled or disabled')
        return v
      })
      .option('--online', 'published tokens only')
      .option('--offline', 'offline tokens only')
      .option('--bin', 'the recycle bin')
      .option('--creator <name>')
      .option('--expiring-before <when>', 'ISO date/time or UNIX seconds', expireOption)
      .option('--expiring-after <when>', 'ISO date/time, UNIX seconds, or now (not yet expired)', (v: string) => {
        if (v === 'now') return Math.floor(Date.now() / 1000)
        if (/^\d+$/.test(v)) return Number(v)
        if (Number.isNaN(Date.parse(v)))
          throw new InvalidArgumentError(`expected an ISO date/time, UNIX seconds or "now", got "${v}"`)
        return v
      })
      .option('--search <text>', 'substring of name or brief')
      .option('--pulled', 'only copies pulled from servers')
      .option('--local', 'only local tokens')
  const filterInput = (o: FilterFlags): Record<string, unknown> => {
    const input: Record<string, unknown> = {}
    if (o.state) input.state = o.state
    if (o.online) input.published = true
    if (o.offline) input.published = false
    if (o.creator !== undefined) input.creator = o.creator
    if (o.expiringBefore !== undefined) input.expiringBefore = o.expiringBefore
    if (o.expiringAfter !== undefined) input.expiringAfter = o.expiringAfter
    if (o.search !== undefined) input.search = o.search
    if (o.pulled) input.origin = 'pulled'
    if (o.local) input.origin = 'local'
    return input
  }

  if (want('list'))
    withFilters(subcommand(tokens, 'list', 'QRI/QRY and the bin: filtered, sorted, keyset-paged'))
      .option('--mine', 'your own tokens only (QRY)')
      .option('--sort <field>', `${TOKEN_SORTS.join(', ')} (default updated)`, (v: string) => {
        if (!(TOKEN_SORTS as readonly string[]).includes(v))
          throw new InvalidArgumentError(`must be one of ${TOKEN_SORTS.join(', ')}`)
        return v
      })
      .option('--asc', 'ascending')
      .option('--desc', 'descending')
      .option('--limit <n>', 'page size (default 50)', parseIntOption('--limit'))
      .option('--after <cursor>', "the next page, from the previous page's cursor")
      .action(async (o: ListFlags) => {
        const input = filterInput(o)
        if (o.sort) input.sort = o.sort
        if (o.asc) input.dir = 'asc'
        if (o.desc) input.dir = 'desc'
        if (o.limit !== undefined) input.limit = o.limit
        if (o.after !== undefined) input.cursor = o.after
        const page = o.mine
          ? await ctx.call('tokens:qry', input as Input<'tokens:qry'>)
          : await ctx.call('tokens:list', { ...input, bin: Boolean(o.bin) } as Input<'tokens:list'>)
        ctx.print(page, pageText)
      })

  if (want('count'))
    withFilters(subcommand(tokens, 'count', "how many tokens list's filters match, counted up to a cap"))
      .option('--cap <n>', 'stop counting here (default 10000, at most 100000)', parseIntOption('--cap'))
      .action(async (o: FilterFlags & { cap?: number }) => {
        const input = { ...filterInput(o), bin: Boolean(o.bin), ...(o.cap !== undefined ? { cap: o.cap } : {}) }
        ctx.print(await ctx.call('tokens:count', input as Input<'tokens:count'>), matchCountText)
      })

  if (want('counts'))
    subcommand(tokens, 'counts', 'counts per state (the sidebar)').action(async () =>
      ctx.print(
        await ctx.call('tokens:counts', {}),
        (c: TokenCounts) =>
          `live ${c.live} (enabled ${c.enabled}, disabled ${c.disabled}; online ${c.online}, offline ${c.offline}); bin ${c.bin}; total ${c.total}`
      )
    )

  if (want('states'))
    subcommand(tokens, 'states', 'the lifecycle state machine as a table').action(async () =>
      ctx.print(await ctx.call('tokens:stateTable', {}), (v: { markdown: string }) => v.markdown)
    )
}
