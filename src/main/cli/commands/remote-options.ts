import type { Command } from 'commander'
import type { ConnectionDraft, XduaRoute, XduaVerb } from '../../../shared/contract'
import { fingerprintOfPem } from '../../remote/http'
import { failure, parseIntOption, readEnvVar, readFileText, readStdin, stripNewline } from '../runtime'

/** The flags `connections` and `remote` share: credentials (never from argv), TLS, routes, and a plain table. */

export interface CredentialOpts {
  tokenFile?: string
  passwordFile?: string
  bearerFile?: string
  jwtFile?: string
  credentialEnv?: string
  credentialStdin?: boolean
}

export function addCredentialOptions(cmd: Command): Command {
  return cmd
    .option('--token-file <file>', 'Fess: the admin access token, from a file')
    .option('--password-file <file>', 'Datafor basic/session: the password, from a file')
    .option('--bearer-file <file>', 'Datafor bearer: the JWT, from a file')
    .option('--jwt-file <file>', 'xdua: the caller JWT (sent raw as Authorization), from a file')
    .option('--credential-env <var>', 'the credential from an environment variable')
    .option('--credential-stdin', 'the credential from standard input')
}

export function readCredential(o: CredentialOpts): string | undefined {
  const files = [o.tokenFile, o.passwordFile, o.bearerFile, o.jwtFile].filter((f): f is string => f !== undefined)
  const given = files.length + (o.credentialEnv !== undefined ? 1 : 0) + (o.credentialStdin ? 1 : 0)
  if (given > 1) throw failure('VALIDATION', 'Give the credential one way only')
  if (files.length) return stripNewline(readFileText(files[0], 'credential'))
  if (o.credentialEnv !== undefined) return readEnvVar(o.credentialEnv)
  if (o.credentialStdin) return stripNewline(readStdin())
  return undefined
}

/** Auth method implied by the credential flags, when --auth is not given. */
function impliedAuth(
  kind: string,
  o: CredentialOpts & { auth?: string; session?: boolean }
): ConnectionDraft['authMethod'] {
  if (o.auth) return o.auth as ConnectionDraft['authMethod']
  if (kind === 'fess') return 'token'
  if (kind === 'xdua') return 'jwt'
  if (o.bearerFile) return 'bearer'
  return o.session ? 'session' : 'basic'
}

export interface TlsFlags {
  caFile?: string
  pinSha256?: string
  pinCert?: string
}
export function addTlsOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <ms>', 'per-request timeout in ms (default 15000)', parseIntOption('--timeout'))
    .option('--ca-file <file>', 'trust this extra CA certificate (PEM) for this connection only')
    .option('--pin-sha256 <fingerprint>', "pin the server certificate's SHA-256 fingerprint")
    .option('--pin-cert <file>', 'pin this server certificate (PEM)')
    .option('--allow-insecure', 'allow plain http to a host that is not loopback (credentials travel unencrypted)')
}
export function tlsOf(o: TlsFlags): ConnectionDraft['tls'] | undefined {
  if (!o.caFile && !o.pinSha256 && !o.pinCert) return undefined
  const pin = o.pinCert ? fingerprintOfPem(readFileText(o.pinCert, 'certificate')) : o.pinSha256
  return { ...(o.caFile ? { ca: readFileText(o.caFile, 'CA') } : {}), ...(pin ? { pinSha256: pin } : {}) }
}

export function routesOf(file?: string): ConnectionDraft['routes'] | undefined {
  if (!file) return undefined
  try {
    return JSON.parse(readFileText(file, 'routes')) as Partial<Record<XduaVerb, XduaRoute>>
  } catch (e) {
    if (e instanceof Error && e.name === 'SyntaxError')
      throw failure('VALIDATION', `The routes file ${file} is not JSON`)
    throw e
  }
}

export interface TargetFlags extends CredentialOpts, TlsFlags {
  conn?: string
  url?: string
  user?: string
  session?: boolean
  routesFile?: string
  timeout?: number
  allowInsecure?: boolean
}

/** A connection profile from the flags `connections add` and a one-off `--url` target share. */
export function connectionDraft(
  head: { name: string; kind: ConnectionDraft['kind']; baseUrl: string },
  o: TargetFlags & { auth?: string },
  credential: string | undefined
): ConnectionDraft {
  const routes = routesOf(o.routesFile)
  const tls = tlsOf(o)
  return {
    ...head,
    authMethod: impliedAuth(head.kind, o),
    ...(o.user ? { username: o.user } : {}),
    ...(credential !== undefined ? { credential } : {}),
    ...(routes ? { routes } : {}),
    ...(o.timeout ? { timeoutMs: o.timeout } : {}),
    ...(tls ? { tls } : {}),
    allowInsecure: Boolean(o.allowInsecure)
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))
export function table(rows: string[][]): string[] {
  if (!rows.length) return []
  const widths = rows[0].map((_, i) => Math.min(48, Math.max(...rows.map((r) => (r[i] ?? '').length))))
  return rows.map((r) =>
    r
      .map((c, i) => pad(c ?? '', widths[i]))
      .join('  ')
      .trimEnd()
  )
}
