import type { Command } from 'commander'
import type { TokenCheckResult, TokenExportResult, TokenImportResult } from '../../../../shared/contract'
import {
  CliFailure,
  collect,
  parseIntOption,
  readStdin,
  stripNewline,
  type CliContext,
  subcommand
} from '../../runtime'
import { writeErr, writeOut } from '../../io'
import { durationOption, followJob } from './shared'

/** mint and check a test JWT from a record; seed, export and import the store (those of them `want` names). */
export function registerToolCommands(tokens: Command, ctx: CliContext, want: (name: string) => boolean): void {
  registerJwtTools(tokens, ctx, want)
  registerStoreTools(tokens, ctx, want)
}

function registerJwtTools(tokens: Command, ctx: CliContext, want: (name: string) => boolean): void {
  if (want('mint'))
    subcommand(
      tokens,
      'mint',
      'sign a test JWT from a record with its key (claims: the ADD fields, tid = the record id)'
    )
      .argument('<id>')
      .option('--expires-in <duration>', "lifetime (capped by the record's expiry)", durationOption('--expires-in'))
      .option('--allow-weak-key', 'sign even with an HMAC secret shorter than the hash')
      .action(async (id: string, o: { expiresIn?: number; allowWeakKey?: boolean }) => {
        const r = await ctx.call('tokens:mint', {
          id,
          ...(o.expiresIn ? { expiresIn: o.expiresIn } : {}),
          ...(o.allowWeakKey ? { allowWeakKey: true } : {})
        })
        for (const w of r.warnings) writeErr(`warning: ${w}\n`)
        ctx.print(r, (v: { token: string }) => v.token)
      })

  if (want('check'))
    subcommand(
      tokens,
      'check',
      'check a JWT minted from a record: signature, enabled, published, not deleted, not expired, ip, device'
    )
      .argument('<token>', 'the JWT, or - to read it from stdin')
      .option('--ip <address>', 'client address to test against the ipm allow-list')
      .option('--device <id>', 'device id to test against the dvm allow-list')
      .action(async (tokenArg: string, o: { ip?: string; device?: string }) => {
        const token = tokenArg === '-' ? stripNewline(readStdin()).trim() : tokenArg
        const r = await ctx.call('tokens:check', {
          token,
          ...(o.ip ? { ip: o.ip } : {}),
          ...(o.device ? { device: o.device } : {})
        })
        const text = (v: TokenCheckResult) => [
          v.valid ? `valid: token ${v.id} passes every check` : `INVALID: the ${v.failed} check failed`,
          ...v.checks.map(
            (c) => `  ${c.ok === true ? 'ok  ' : c.ok === false ? 'FAIL' : '-   '} ${c.name.padEnd(9)} ${c.detail}`
          )
        ]
        if (r.valid) return ctx.print(r, text)
        if (!ctx.json) writeOut(`${text(r).join('\n')}\n`)
        const code =
          (
            {
              format: 'JWT_MALFORMED',
              record: 'NOT_FOUND',
              signature: 'JWT_SIGNATURE',
              expired: 'JWT_EXPIRED',
              ip: 'FORBIDDEN',
              device: 'FORBIDDEN'
            } as const
          )[r.failed as 'format'] ?? 'INVALID_STATE'
        const detail = r.checks.find((c) => c.name === r.failed)?.detail ?? ''
        throw new CliFailure({ code, message: `the ${r.failed} check failed: ${detail}` }, r)
      })
}

function registerStoreTools(tokens: Command, ctx: CliContext, want: (name: string) => boolean): void {
  if (want('seed'))
    subcommand(tokens, 'seed', 'make realistic demo tokens (fast: a million in well under a minute)')
      .requiredOption('--count <n>', 'how many', parseIntOption('--count'))
      .option('--seed <n>', 'random seed for repeatable data', parseIntOption('--seed'))
      .action(async (o: { count: number; seed?: number }) => {
        const { jobId } = await ctx.call(
          'tokens:seed',
          o.seed !== undefined ? { count: o.count, seed: o.seed } : { count: o.count }
        )
        const r = await followJob<{ inserted: number; rowsPerSecond: number }>(ctx, jobId, 'seeded')
        ctx.print(r, (v: typeof r) => `seeded ${v.inserted} tokens (${v.rowsPerSecond} rows/s)`)
      })

  if (want('export'))
    subcommand(tokens, 'export', 'export the store as JSON lines; secrets are never exported')
      .argument('<file>')
      .option('--kind <kind>', 'tokens, accessTokens or ssoApps (repeat; default all)', collect)
      .option('--overwrite', 'replace an existing file')
      .option('--csv', 'write the lifecycle tokens as CSV instead of JSON lines')
      .action(async (file: string, o: { kind?: string[]; overwrite?: boolean; csv?: boolean }) => {
        const { jobId } = await ctx.call('tokens:export', {
          file,
          overwrite: Boolean(o.overwrite),
          ...(o.csv ? { format: 'csv' as const } : {}),
          ...(o.kind ? { kinds: o.kind as Array<'tokens' | 'accessTokens' | 'ssoApps'> } : {})
        })
        const r = await followJob<TokenExportResult>(ctx, jobId, 'exported')
        ctx.print(
          r,
          (v: TokenExportResult) =>
            `exported ${v.counts.tokens} tokens, ${v.counts.accessTokens} access tokens, ${v.counts.ssoApps} SSO apps to ${v.file} (secrets excluded)`
        )
      })

  if (want('import'))
    subcommand(
      tokens,
      'import',
      'import JSON lines in transactional batches (a crash keeps every committed batch whole)'
    )
      .argument('<file>')
      .option('--batch-size <n>', 'rows per transaction (default 10000)', parseIntOption('--batch-size'))
      .action(async (file: string, o: { batchSize?: number }) => {
        const { jobId } = await ctx.call('tokens:import', { file, ...(o.batchSize ? { batchSize: o.batchSize } : {}) })
        const r = await followJob<TokenImportResult>(ctx, jobId, 'lines read')
        ctx.print(r, (v: TokenImportResult) => [
          `imported ${v.imported.tokens} tokens, ${v.imported.accessTokens} access tokens, ${v.imported.ssoApps} SSO apps in ${v.batches} batches (${v.rowsPerSecond} rows/s)`,
          ...(v.skippedCount
            ? [
                `skipped ${v.skippedCount}: ${v.skipped
                  .slice(0, 5)
                  .map((s) => `${s.kind} ${s.id} (${s.reason})`)
                  .join('; ')}`
              ]
            : []),
          ...v.lackingSecrets.map(
            (l) =>
              `no ${l.missing.join('/')} for ${l.kind} ${l.name} (${l.id}): secrets are never exported; set them again`
          ),
          ...(v.missingKeys.length ? [`signing keys not in this store: ${v.missingKeys.join(', ')}`] : [])
        ])
      })
}
