import { InvalidArgumentError, type Command } from 'commander'
import { SSO_ALGORITHMS, type Input, type SsoAppRecord } from '../../../shared/contract'
import {
  addSecretSourceOptions,
  type SecretSourceOptions,
  CliFailure,
  collect,
  failure,
  given,
  parseIntOption,
  readEnvVar,
  readFileText,
  readSecretSource,
  stripNewline,
  type CliContext,
  subcommand
} from '../runtime'
import { addDataforLoginOptions, dataforLoginInput, type DataforLoginFlags } from './datafor-login'
import { writeErr } from '../io'
import { addPagedList } from './tokens/shared'
import { topCommand } from '../table'

function ssoText(r: SsoAppRecord): string[] {
  return [
    `${r.id}  ${r.name}  (version ${r.version})`,
    `  algorithm   ${r.algorithm}${r.signKey ? ` (signs with key ${r.signKey})` : ''}; secret ${r.hasSecret ? 'in the keychain' : 'MISSING'}`,
    `  token_name  ${r.tokenName}; expire ${r.expire}s`,
    `  fieldmap    ${Object.entries(r.fieldmap)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`,
    `  enable ${r.enable ? 1 : 0}, inituser ${r.inituser ? 1 : 0} (${r.initroles.join(', ')}), self_service ${r.selfService ? 1 : 0}, initpwd ${r.hasInitpwd ? 'set' : 'none'}`
  ]
}

function fieldmapOption(v: string): { username: string; name?: string; email?: string } {
  const out: Record<string, string> = {}
  for (const pair of v.split(',')) {
    const [k, val] = pair.split('=').map((s) => s.trim())
    if (!['username', 'name', 'email'].includes(k) || !val)
      throw new InvalidArgumentError('use username=CLAIM[,name=CLAIM][,email=CLAIM]')
    out[k] = val
  }
  if (!out.username) throw new InvalidArgumentError('the fieldmap needs username=CLAIM')
  return out as { username: string }
}

function algorithmOption(v: string): string {
  if (!(SSO_ALGORITHMS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${SSO_ALGORITHMS.join(', ')}`)
  return v
}

/** The flags `sso-apps add` and `update` share (add has no --rename, --disable or --if-version). */
interface SsoFlags extends SecretSourceOptions {
  name: string
  rename?: string
  tokenName?: string
  expire?: number
  fieldmap?: ReturnType<typeof fieldmapOption>
  algorithm?: string
  enable?: boolean
  disable?: boolean
  inituser?: boolean
  initrole?: string[]
  initpwdFile?: string
  initpwdEnv?: string
  selfService?: boolean
  signKey?: string
  ifVersion?: number
}

/** NAME or id: by name first (names are what people type), then by id. */
async function ssoAppByRef(ctx: CliContext, ref: string): Promise<SsoAppRecord> {
  const byName = /^[A-Za-z0-9]{1,64}$/.test(ref) ? await ctx.open().dispatch('ssoApps:get', { name: ref }) : null
  if (byName?.ok) return byName.value as SsoAppRecord
  const byId = await ctx.open().dispatch('ssoApps:get', { id: ref })
  if (byId.ok) return byId.value as SsoAppRecord
  throw new CliFailure(byName && !byName.ok ? byName.error : byId.error)
}

function initpwdFrom(o: { initpwdFile?: string; initpwdEnv?: string }): string | undefined {
  if (o.initpwdFile !== undefined) return stripNewline(readFileText(o.initpwdFile, 'initpwd'))
  if (o.initpwdEnv !== undefined) return readEnvVar(o.initpwdEnv)
  return undefined
}

/** `tokendesk sso-apps ...`: Datafor-shaped SSO apps in the local store. */
export function register(program: Command, ctx: CliContext): void {
  const sso = topCommand(program, 'sso-apps')

  const add = subcommand(sso, 'add', 'create an SSO app; the secret goes to the keychain (never as an argument)')
    .requiredOption('--name <name>', 'letters and digits, unique')
    .option('--token-name <name>', 'URL parameter carrying the JWT (default token)')
  addSecretSourceOptions(add, 'secret (HS*: the shared secret; RS*/ES*: the Base64 public key)')
  add
    .option('--expire <seconds>', 'lifetime of tokens (default 86400)', parseIntOption('--expire'))
    .option('--fieldmap <map>', 'username=CLAIM[,name=CLAIM][,email=CLAIM] (default username=username)', fieldmapOption)
    .option('--algorithm <alg>', `${SSO_ALGORITHMS.join(', ')} (default HS256)`, algorithmOption)
    .option('--enable', 'enable the config')
    .option('--inituser', 'create missing users at login (the default)')
    .option('--no-inituser', 'do not create missing users')
    .option('--initrole <role>', 'role for created users (repeat; default SYS_Reader)', collect)
    .option('--initpwd-file <file>', 'initial password (older Datafor versions) from a file')
    .option('--initpwd-env <var>', 'initial password from an environment variable')
    .option('--self-service', 'self_service on')
    .option('--sign-key <name>', 'RS*/ES*: the stored private key that signs test tokens')
    .action(async (o: SsoFlags) => {
      const secret = readSecretSource(o, 'secret')
      if (secret === undefined)
        throw failure('VALIDATION', 'Give the secret: --secret-file, --secret-env or --secret-stdin')
      const initpwd = initpwdFrom(o)
      const input: Record<string, unknown> = { name: o.name, secret }
      if (o.tokenName !== undefined) input.tokenName = o.tokenName
      if (o.expire !== undefined) input.expire = o.expire
      if (o.fieldmap) input.fieldmap = o.fieldmap
      if (o.algorithm) input.algorithm = o.algorithm
      if (o.enable) input.enable = true
      if (o.inituser === false) input.inituser = false
      if (o.initrole) input.initroles = o.initrole
      if (initpwd !== undefined) input.initpwd = initpwd
      if (o.selfService) input.selfService = true
      if (o.signKey) input.signKey = o.signKey
      ctx.print(await ctx.call('ssoApps:add', input as Input<'ssoApps:add'>), ssoText)
    })

  sso
    .command('get')
    .argument('<name>', 'name or id')
    .action(async (ref: string) => ctx.print(await ssoAppByRef(ctx, ref), ssoText))

  addPagedList(
    sso,
    ctx,
    (input) => ctx.call('ssoApps:list', input),
    (x) =>
      `${x.id}  ${x.name.padEnd(16)} ${x.algorithm}  ${x.enable ? 'enabled' : 'disabled'}  ${x.hasSecret ? '' : '(no secret)'}`
  )

  const update = sso
    .command('update')
    .argument('<name>', 'name or id')
    .option('--rename <name>', 'new name')
    .option('--token-name <name>')
  addSecretSourceOptions(update, 'new secret')
  update
    .option('--expire <seconds>', 'lifetime of tokens', parseIntOption('--expire'))
    .option('--fieldmap <map>', 'username=CLAIM[,name=CLAIM][,email=CLAIM]', fieldmapOption)
    .option('--algorithm <alg>', SSO_ALGORITHMS.join(', '), algorithmOption)
    .option('--enable', 'enable')
    .option('--disable', 'disable')
    .option('--inituser', 'create missing users')
    .option('--no-inituser', 'do not create missing users')
    .option('--initrole <role>', 'replaces the roles (repeat)', collect)
    .option('--initpwd-file <file>')
    .option('--initpwd-env <var>')
    .option('--self-service', 'self_service on')
    .option('--no-self-service', 'self_service off')
    .option('--sign-key <name>')
    .option('--if-version <n>', 'fail with CONFLICT unless at this version', parseIntOption('--if-version'))
    .action(async (ref: string, o: SsoFlags) => {
      const app = await ssoAppByRef(ctx, ref)
      const input: Record<string, unknown> = { id: app.id, version: o.ifVersion ?? app.version }
      const secret = readSecretSource(o, 'secret')
      if (secret !== undefined) input.secret = secret
      const initpwd = initpwdFrom(o)
      if (initpwd !== undefined) input.initpwd = initpwd
      if (o.rename) input.name = o.rename
      if (o.tokenName) input.tokenName = o.tokenName
      if (o.expire !== undefined) input.expire = o.expire
      if (o.fieldmap) input.fieldmap = o.fieldmap
      if (o.algorithm) input.algorithm = o.algorithm
      if (o.enable) input.enable = true
      if (o.disable) input.enable = false
      // --x is declared before --no-x, so commander leaves both undefined unless typed: send only what was typed.
      if (o.inituser !== undefined) input.inituser = o.inituser
      if (o.selfService !== undefined) input.selfService = o.selfService
      if (o.initrole) input.initroles = o.initrole
      if (o.signKey) input.signKey = o.signKey
      ctx.print(await ctx.call('ssoApps:update', input as Input<'ssoApps:update'>), ssoText)
    })

  sso
    .command('delete')
    .argument('<name>', 'name or id')
    .option('--if-version <n>', 'fail with CONFLICT unless at this version', parseIntOption('--if-version'))
    .action(async (ref: string, o: { ifVersion?: number }) => {
      const app = await ssoAppByRef(ctx, ref)
      ctx.print(
        await ctx.call('ssoApps:delete', { id: app.id, version: o.ifVersion ?? app.version }),
        () => `deleted ${app.name}`
      )
    })

  registerSsoAppTokenCommands(sso, ctx)
}

/** mint a test token from an app, and reveal its secrets. */
function registerSsoAppTokenCommands(sso: Command, ctx: CliContext): void {
  const mint = subcommand(sso, 'mint', 'a test token from the Datafor template, with the SSO login URL (audited)')
    .argument('<name>', 'name or id')
    .requiredOption('--username <u>', "login name (under the fieldmap's username claim)")
  addDataforLoginOptions(mint).action(async (ref: string, o: DataforLoginFlags & { username: string }) => {
    const app = await ssoAppByRef(ctx, ref)
    const r = await ctx.call('ssoApps:mint', {
      id: app.id,
      username: o.username,
      ...given({ displayName: o.name }),
      ...dataforLoginInput(o)
    })
    if (!ctx.json) for (const w of r.warnings) writeErr(`warning: ${w}\n`)
    ctx.print(
      { token: r.token, loginUrl: r.loginUrl, payload: r.payload },
      (v: { token: string; loginUrl: string | null }) => (v.loginUrl ? [v.token, v.loginUrl] : v.token)
    )
  })

  subcommand(sso, 'reveal', 'print the secret and initpwd (audited)')
    .argument('<name>', 'name or id')
    .action(async (ref: string) => {
      const app = await ssoAppByRef(ctx, ref)
      ctx.print(
        await ctx.call('ssoApps:reveal', { id: app.id }),
        (v: { secret: string | null; initpwd: string | null }) => [
          `secret  ${v.secret ?? '(none)'}`,
          ...(v.initpwd ? [`initpwd ${v.initpwd}`] : [])
        ]
      )
    })
}
