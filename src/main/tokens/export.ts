import { writeSync } from 'node:fs'
import { CLAIM_FIELDS, type TokenExportResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { TokenRow } from './row'
import { writeTokenPages, writeWhole } from './export-file'
import type { AppRowBase } from './util'
import type { AccessRow } from './access-tokens'
import { ssoSettingsOf, type SsoRow } from './sso-apps'

export const EXPORT_FORMAT = 'tokendesk.store'

/** What every line starts with: its kind, then the record's id and name. */
function lineHead(kind: string, r: { id: string; name: string }) {
  return { kind, id: r.id, name: r.name }
}

function tokenLine(r: TokenRow) {
  return {
    ...lineHead('token', r),
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
    origin: originOf(r)
  }
}

/** Where a pulled row came from, as the export line says it (null for a local row). */
function originOf(r: Pick<AppRowBase, 'origin_connection_id' | 'remote_id' | 'pulled_at'>) {
  return r.origin_connection_id
    ? { connectionId: r.origin_connection_id, remoteId: r.remote_id, pulledAt: r.pulled_at }
    : null
}

/** An app line's times, version and origin, after its own fields. */
function appStamps(r: AppRowBase) {
  return { created: r.created, updated: r.updated, version: r.version, origin: originOf(r) }
}

function accessTokenLine(r: AccessRow) {
  return {
    ...lineHead('accessToken', r),
    parameterName: r.parameter_name,
    permissions: r.permissions,
    expires: r.expires,
    ...appStamps(r),
    secretsExcluded: ['token']
  }
}

function ssoAppLine(r: SsoRow) {
  return {
    ...lineHead('ssoApp', r),
    ...ssoSettingsOf(r),
    signKey: r.sign_key,
    ...appStamps(r),
    secretsExcluded: r.initpwd_ref ? ['secret', 'initpwd'] : ['secret']
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
  const want = new Set(kinds ?? ['tokens', 'accessTokens', 'ssoApps'])
  const counts = { tokens: 0, accessTokens: 0, ssoApps: 0 }
  await writeWhole(file, overwrite, async (fd) => {
    writeSync(
      fd,
      `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: new Date(deps.now()).toISOString(), secretsExcluded: true })}\n`
    )
    if (want.has('tokens'))
      counts.tokens = await writeTokenPages(
        deps,
        fd,
        ctx,
        (rows) => rows.map((r) => JSON.stringify(tokenLine(r))).join('\n') + '\n'
      )
    if (want.has('accessTokens'))
      for (const r of db.prepare<[], AccessRow>('SELECT * FROM access_tokens ORDER BY name, id').all()) {
        writeSync(fd, `${JSON.stringify(accessTokenLine(r))}\n`)
        counts.accessTokens++
      }
    if (want.has('ssoApps'))
      for (const r of db.prepare<[], SsoRow>('SELECT * FROM sso_apps ORDER BY name, id').all()) {
        writeSync(fd, `${JSON.stringify(ssoAppLine(r))}\n`)
        counts.ssoApps++
      }
  })
  return { file, counts, secretsExcluded: true }
}
