import type { Command } from 'commander'
import { given } from '../runtime'

/** The flags of a Datafor SSO test token's optional claims and login URL (`jwt datafor`, `sso-apps mint`). */
export interface DataforLoginFlags {
  name?: string
  email?: string
  baseUrl?: string
  loginPath?: string
  allowWeakKey?: boolean
}

/** Adds the optional claims and login URL flags of a Datafor SSO test token. */
export function addDataforLoginOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'display name claim (if the fieldmap names one)')
    .option('--email <email>', 'email claim (if the fieldmap names one)')
    .option('--base-url <url>', 'Datafor base URL, e.g. http://host:28080/datafor')
    .option(
      '--login-path <path>',
      'path (and query) after the base URL, e.g. /plugin/datafor/api/integrate/<id>?__compact=true'
    )
    .option('--allow-weak-key', 'accept an HMAC secret shorter than the hash, with a warning')
}

/** The login URL part of the input, and the weak-key consent; the display name's field differs per channel. */
export function dataforLoginInput(o: DataforLoginFlags) {
  return given({
    email: o.email,
    baseUrl: o.baseUrl,
    loginPath: o.loginPath,
    allowWeakKey: o.allowWeakKey ? (true as const) : undefined
  })
}
