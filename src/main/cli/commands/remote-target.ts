import type { Command } from 'commander'
import type { ConnectionDraft } from '../../../shared/contract'
import { failure, subcommand } from '../runtime'
import {
  addCredentialOptions,
  addTlsOptions,
  connectionDraft,
  readCredential,
  type TargetFlags
} from './remote-options'

/** The server a `remote` command talks to: a saved connection, or a one-off URL with its credential from a file. */
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
  return { adhoc: connectionDraft({ name: 'adhoc', kind, baseUrl: o.url }, o, credential) }
}

export function serverCommand(remote: Command, kind: 'fess' | 'datafor' | 'xdua', description: string): Command {
  const cmd = subcommand(remote, kind, description)
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

export const targetFrom = (kind: 'fess' | 'datafor' | 'xdua', cmd: Command) =>
  targetOf(kind, cmd.optsWithGlobals<TargetFlags>())
