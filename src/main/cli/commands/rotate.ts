import { type Command, InvalidArgumentError } from 'commander'
import type {
  ConnectionDraft,
  InventoryKind,
  RenewManyResult,
  RenewResult,
  RotateResult
} from '../../../shared/contract'
import { writeErr } from '../io'
import { failure, watchJob, type CliContext } from '../runtime'

/**
 * Renew and rotate commands: `remote fess|xdua rotate|renew`, `remote datafor rotate-secret`, `tokens rotate|renew`,
 * `inventory renew`. A rotation that stops midway prints what it has (the new Fess value included: it is shown once),
 * names the step, and exits 1; the same command with --resume finishes it.
 */

type Target = { conn?: string; adhoc?: ConnectionDraft }

/** `--expires`: an ISO 8601 instant (a date alone means 00:00 UTC), or `never` (kept as the word: commander turns a null into ''). */
function parseExpires(v: string): string {
  if (v === 'never') return v
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v
  if (Number.isNaN(Date.parse(iso)) || !/(Z|[+-]\d{2}:?\d{2})$/.test(iso))
    throw new InvalidArgumentError('an ISO date (2027-01-31), a date-time with a zone (2027-01-31T12:00:00Z), or never')
  return iso
}
const expiresAt = (v: string): string | null => (v === 'never' ? null : v)

const RESUME_HELP =
  '\nA rotation that stops midway keeps both tokens working, names the step it stopped at, and exits 1:\nrun the same command with --resume to finish it.'

function rotationLines(r: RotateResult): string[] {
  const mark = { done: 'done', pending: 'pending', skipped: 'skipped' } as const
  return [
    `rotation ${r.rotationId}: ${r.target} ${r.oldId}${r.newId && r.newId !== r.oldId ? ` -> ${r.newId}` : ''}`,
    ...(r.token ? [`token: ${r.token}`] : []),
    ...(r.publicKey ? [`public key: ${r.publicKey}`] : []),
    ...r.steps.map(
      (s) =>
        `  ${s.step.padEnd(13)} ${r.failed?.step === s.step ? `FAILED (${r.failed.code}: ${r.failed.message})` : mark[s.state]}`
    ),
    r.retired
      ? 'old token retired'
      : r.resumeFrom
        ? `unfinished: resume from ${r.resumeFrom}`
        : 'old token kept (retire it with --resume --retire-old)',
    ...r.notes
  ]
}

/** Prints a rotation; a stopped one also says so on stderr and makes the command exit 1. */
function printRotation(ctx: CliContext, r: RotateResult): void {
  ctx.print(r, rotationLines)
  if (r.failed) {
    writeErr(
      `error ${r.failed.code}: the rotation stopped at ${r.failed.step}: ${r.failed.message}; both tokens still work; run again with --resume\n`
    )
    ctx.exitCode = 1
  }
}

const renewLine = (r: RenewResult) => `${r.id}: expiry ${r.before ?? 'never'} -> ${r.after ?? 'never'}`

/** `rotate ID [--retire-old] [--resume]` and `renew ID --expires X` under a Fess or xdua server command. */
export function addServerRotate(
  cmd: Command,
  kind: 'fess' | 'xdua',
  ctx: CliContext,
  targetFrom: (cmd: Command) => Target
): void {
  cmd
    .command('rotate')
    .argument('<id>', 'the token to replace')
    .description(
      kind === 'fess'
        ? 'create a replacement with the same permissions, parameter name and expiry policy (its value shown once); the old one works until retired'
        : 'ADD a copy of the claim fields, SET its expiry, PUB it; the old one works until retired (OFF, then DOL)'
    )
    .option(
      '--retire-old',
      kind === 'fess'
        ? 'delete the old token once the replacement exists'
        : 'take the old token offline and to the recycle bin'
    )
    .option('--resume', 'finish the rotation of this token that stopped midway')
    .addHelpText('after', RESUME_HELP)
    .action(async (id: string, o: { retireOld?: boolean; resume?: boolean }, c: Command) => {
      const t = targetFrom(c)
      if (!t.conn)
        throw failure(
          'VALIDATION',
          'rotate needs --conn: the rotation is remembered per saved connection, so it can be resumed'
        )
      printRotation(
        ctx,
        await ctx.call('remote:rotate', { conn: t.conn, id, retireOld: o.retireOld, resume: o.resume })
      )
    })
  cmd
    .command('renew')
    .argument('<id>', 'the token')
    .description(
      kind === 'fess'
        ? 'set a new expiry (update: read, merge, write; written as UTC)'
        : 'set a new expiry (SET expire)'
    )
    .requiredOption('--expires <when>', 'ISO date or date-time with a zone, or never', parseExpires)
    .action(async (id: string, o: { expires: string }, c: Command) =>
      ctx.print(await ctx.call('remote:renew', { ...targetFrom(c), id, expiresAt: expiresAt(o.expires) }), renewLine)
    )
}

/** `remote datafor rotate-secret NAME [--resume]`. */
export function addDataforRotate(cmd: Command, ctx: CliContext, targetFrom: (cmd: Command) => Target): void {
  cmd
    .command('rotate-secret')
    .argument('<name>', 'the SSO configuration')
    .description(
      'a new random secret of the hash size (or a new key pair for RS/ES), written with the whole config, kept in the keychain, checked with a test token; tokens from the old secret stop working'
    )
    .option('--resume', 'finish a rotation of this config that stopped midway')
    .addHelpText('after', RESUME_HELP)
    .action(async (name: string, o: { resume?: boolean }, c: Command) => {
      const t = targetFrom(c)
      if (!t.conn)
        throw failure('VALIDATION', 'rotate-secret needs --conn: the new secret is kept under a saved connection')
      printRotation(ctx, await ctx.call('remote:dataforRotateSecret', { conn: t.conn, name, resume: o.resume }))
    })
}

/** `tokens rotate ID` and `tokens renew ID --expires X` for local lifecycle tokens (those of them `want` names). */
export function addTokenRotate(tokens: Command, ctx: CliContext, want: (name: string) => boolean = () => true): void {
  if (want('rotate'))
    tokens
      .command('rotate')
      .argument('<id>', 'token id')
      .description(
        'ADD a copy of the claim fields (same signing key and expiry policy) and PUB it; the old one works until retired (OFF, then DOL)'
      )
      .option('--retire-old', 'take the old token offline and to the recycle bin (RCC recovers it)')
      .option('--resume', 'finish the rotation of this token that stopped midway')
      .addHelpText('after', RESUME_HELP)
      .action(async (id: string, o: { retireOld?: boolean; resume?: boolean }) =>
        printRotation(
          ctx,
          await ctx.call('inventory:rotate', { kind: 'token', id, retireOld: o.retireOld, resume: o.resume })
        )
      )
  if (want('renew'))
    tokens
      .command('renew')
      .argument('<id>', 'token id')
      .description('set a new expiry (a pulled copy is renewed on its server)')
      .requiredOption('--expires <when>', 'ISO date or date-time with a zone, or never', parseExpires)
      .action(async (id: string, o: { expires: string }) =>
        ctx.print(await ctx.call('inventory:renew', { kind: 'token', id, expiresAt: expiresAt(o.expires) }), renewLine)
      )
}

/** `inventory renew --expires X ID...`: bulk renew with progress on stderr; exits 1 when any row failed. */
export function addInventoryRenew(inv: Command, ctx: CliContext, kinds: readonly InventoryKind[]): void {
  inv
    .command('renew')
    .argument('<id...>', 'inventory ids (the id column)')
    .description(
      'set a new expiry on several rows, locally or on their servers (progress on stderr; a failing row does not stop the others)'
    )
    .requiredOption('--expires <when>', 'ISO date or date-time with a zone, or never', parseExpires)
    .option('--kind <kind>', `the rows' kind: ${kinds.join(', ')}`, 'token')
    .action(async (ids: string[], o: { expires: string; kind: string }) => {
      if (!(kinds as readonly string[]).includes(o.kind))
        throw failure('VALIDATION', `--kind is one of ${kinds.join(', ')}`)
      const items = ids.map((id) => ({ kind: o.kind as InventoryKind, id }))
      const { jobId } = await ctx.call('inventory:renewMany', { items, expiresAt: expiresAt(o.expires) })
      const info = await watchJob(ctx, jobId, 'renewing')
      if (info.state !== 'done')
        throw failure(info.error?.code ?? 'INTERNAL', info.error?.message ?? 'renew did not finish')
      const r = info.result as RenewManyResult
      ctx.print(r, (v: RenewManyResult) => [
        `renewed ${v.renewed} of ${items.length}`,
        ...v.failed.map((f) => `FAILED\t${f.id}\t${f.code}: ${f.message}`)
      ])
      if (r.failed.length) {
        // Like every exit 1: one `error CODE:` line on stderr a script can read (the first failure's code).
        const codes = [...new Set(r.failed.map((f) => f.code))]
        const also = codes.length > 1 ? ` (codes: ${codes.join(', ')})` : ''
        writeErr(`error ${codes[0]}: ${r.failed.length} of ${items.length} not renewed${also}\n`)
        ctx.exitCode = 1
      }
    })
}
