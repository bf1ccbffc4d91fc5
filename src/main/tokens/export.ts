import { existsSync, openSync, closeSync, fchmodSync, writeSync, renameSync, rmSync } from 'node:fs'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { fail, AppError } from '../../shared/errors'
import { CLAIM_FIELDS, type TokenExportResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import { tokenRow, tokenSelect, type TokenRow } from './row'

export const EXPORT_FORMAT = 'tokendesk.store'
const EXPORT_PAGE = 5_000

function tokenLine(r: TokenRow) {
  return {
    kind: 'token',
    id: r.id,
    name: r.name,
    brief: r.brief,
    avatar: r.avatar,
    ...Object.fromEntries(CLAIM_FIELDS.map((f) => [f, r[f]])),
    state: r.state,
    stato: r.stato,
    published: r.published === 1,
    deletedAt: r.deleted_at,
    expire: r.expire,
    alg: r.alg,
    keyName: r.key_ref,
    creator: r.creator,
    updater: r.updater,
    cstamp: r.cstamp,
    istamp: r.istamp,
    version: r.version,
    origin: r.origin_connection_id ? { connectionId: r.origin_connection_id, remoteId: r.remote_id, pulledAt: r.pulled_at } : null
  }
}

/** JSON lines: a header, then one record per line. Secrets are never read, so they cannot be written. */
export async function exportStore(
  deps: CoreDeps,
  file: string,
  kinds: string[] | undefined,
  overwrite: boolean,
  ctx: JobContext
): Promise<TokenExportResult> {
  const { db } = deps
  const tokenCount = () => (db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
  if (existsSync(file) && !overwrite) fail('IO', `${file} exists: choose another file or pass overwrite`, { path: 'file' })
  const want = new Set(kinds ?? ['tokens', 'accessTokens', 'ssoApps'])
  // Written beside the file and renamed when whole: a killed export leaves no torn file under the final name, and
  // the leftover temporary is removed by the next export to that name.
  const tmp = `${file}.partial`
  let fd: number
  try {
    rmSync(tmp, { force: true })
    fd = openSync(tmp, 'wx', 0o600)
    fchmodSync(fd, 0o600)
  } catch {
    return fail('IO', `Cannot write ${file}`, { path: 'file' })
  }
  const counts = { tokens: 0, accessTokens: 0, ssoApps: 0 }
  try {
    writeSync(fd, `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: new Date(deps.now()).toISOString(), secretsExcluded: true })}\n`)
    if (want.has('tokens')) {
      const page = db.prepare<[number, number], unknown[]>(`SELECT ${tokenSelect()} FROM tokens WHERE rid > ? ORDER BY rid LIMIT ?`).raw()
      let after = 0
      const total = tokenCount()
      for (;;) {
        if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
        const rows = page.all(after, EXPORT_PAGE)
        if (!rows.length) break
        const tokens = rows.map(tokenRow)
        writeSync(fd, tokens.map((r) => JSON.stringify(tokenLine(r))).join('\n') + '\n')
        counts.tokens += rows.length
        after = tokens[tokens.length - 1].rid
        ctx.progress(counts.tokens, total)
        await yieldToLoop()
      }
    }
    if (want.has('accessTokens'))
      for (const r of db.prepare('SELECT * FROM access_tokens ORDER BY name, id').all() as Array<Record<string, unknown>>) {
        const line = {
          kind: 'accessToken',
          id: r.id,
          name: r.name,
          parameterName: r.parameter_name,
          permissions: r.permissions,
          expires: r.expires,
          created: r.created,
          updated: r.updated,
          version: r.version,
          origin: r.origin_connection_id ? { connectionId: r.origin_connection_id, remoteId: r.remote_id, pulledAt: r.pulled_at } : null,
          secretsExcluded: ['token']
        }
        writeSync(fd, `${JSON.stringify(line)}\n`)
        counts.accessTokens++
      }
    if (want.has('ssoApps'))
      for (const r of db.prepare('SELECT * FROM sso_apps ORDER BY name, id').all() as Array<Record<string, unknown>>) {
        const line = {
          kind: 'ssoApp',
          id: r.id,
          name: r.name,
          tokenName: r.token_name,
          expire: r.expire,
          fieldmap: JSON.parse(r.fieldmap as string),
          algorithm: r.algorithm,
          enable: r.enable === 1,
          inituser: r.inituser === 1,
          initroles: JSON.parse(r.initroles as string),
          selfService: r.self_service === 1,
          signKey: r.sign_key,
          created: r.created,
          updated: r.updated,
          version: r.version,
          origin: r.origin_connection_id ? { connectionId: r.origin_connection_id, remoteId: r.remote_id, pulledAt: r.pulled_at } : null,
          secretsExcluded: r.initpwd_ref ? ['secret', 'initpwd'] : ['secret']
        }
        writeSync(fd, `${JSON.stringify(line)}\n`)
        counts.ssoApps++
      }
    closeSync(fd)
    renameSync(tmp, file)
  } catch (e) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true })
    if (e instanceof AppError) throw e
    return fail('IO', `Cannot write ${file}`, { path: 'file' })
  }
  return { file, counts, secretsExcluded: true }
}
