import { statSync } from 'node:fs'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { z } from 'zod'
import { fail, AppError } from '../../shared/errors'
import { AccessTokenLine, SsoAppLine, TokenLine, type TokenImportResult } from '../../shared/contract'
import type { Db } from '../db'
import type { JobContext } from '../jobs'
import {
  exportedTokenArgs,
  fastTokenLine,
  KEY_ARG,
  tokenArgs,
  type Args,
  type BulkLoader,
  type DroppedRow,
  type Load
} from './bulk'
import { EXPORT_FORMAT } from './export'
import { INVALID_UTF8, lineReader, type LineReader } from './lines'
import { ssoSettingsArgs } from './sso-apps'

type Line = z.infer<typeof TokenLine> | z.infer<typeof AccessTokenLine> | z.infer<typeof SsoAppLine>
/** Picks the schema by `kind` directly: a discriminated union costs several times more per line. */
const LINE_SCHEMAS: Record<string, z.ZodType<Line>> = {
  token: TokenLine,
  accessToken: AccessTokenLine,
  ssoApp: SsoAppLine
}

type AppLine = Exclude<Line, z.infer<typeof TokenLine>>

/** An access token's or SSO app's last columns: created, updated, version and where a pulled copy came from. */
function stampArgs(line: AppLine) {
  const o = line.origin
  return [line.created, line.updated, line.version, o?.connectionId ?? null, o?.remoteId ?? null, o?.pulledAt ?? null]
}

/** The answer to a cancelled import: what it committed before the cancel stays in the store. */
function cancelledImport(imported: TokenImportResult['imported'], droppedAtEnd: number): AppError {
  const committed = { ...imported, tokens: imported.tokens - droppedAtEnd }
  const n = committed.tokens + committed.accessTokens + committed.ssoApps
  return new AppError(
    'CANCELLED',
    `Import cancelled: ${n} records were committed before the cancel and stay in the store (importing the file again skips them)`,
    {
      committed
    }
  )
}

/** Where an import's records go and how they are counted: the store's tables and the import's result. */
function recordWriter(db: Db, result: TokenImportResult) {
  const insertAccess =
    db.prepare(`INSERT OR IGNORE INTO access_tokens (id, name, token_ref, parameter_name, permissions, expires,
    created, updated, version, origin_connection_id, remote_id, pulled_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertSso =
    db.prepare(`INSERT OR IGNORE INTO sso_apps (id, name, token_name, secret_ref, expire, fieldmap, algorithm, enable,
    inituser, initroles, initpwd_ref, self_service, sign_key, created, updated, version, origin_connection_id, remote_id, pulled_at)
    VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const keyExists = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM keys WHERE name = ?')
  const missingKeys = new Set<string>()
  // A bulk load may still remove a row as a duplicate when it ends: its keys are noted by rid and checked then.
  const bulkKeys: Array<{ rid: number; keyName: string }> = []
  // Token rows of the current batch when the triggers are in place: they go in together (insertMany).
  let pending: Args[] = []
  let load: Load | null = null
  const skip = (kind: string, id: string, reason: string, code?: 'VALIDATION') => {
    result.skippedCount++
    if (result.skipped.length < 100) result.skipped.push(code ? { kind, id, reason, code } : { kind, id, reason })
  }
  /** Counts an access token or SSO app insert; a written one is listed as lacking its secret (never exported). */
  const appWritten = (changes: number, line: AppLine, secret: string, existsReason: string) => {
    if (!changes) return skip(line.kind, line.id, existsReason)
    result.imported[line.kind === 'accessToken' ? 'accessTokens' : 'ssoApps']++
    result.lackingSecrets.push({ kind: line.kind, id: line.id, name: line.name, missing: [secret] })
  }
  const tokenSkipped = (id: string) => skip('token', id, 'id or name already in the store')
  const tokenInserted = (l: Args, rid: number) => {
    result.imported.tokens++
    const keyName = l[KEY_ARG] as string | null
    if (!keyName) return
    if (load?.bulk) bulkKeys.push({ rid, keyName })
    else if (!keyExists.get(keyName)) missingKeys.add(keyName)
  }
  /** A token's insert arguments, in the batch's open transaction. */
  const writeToken = (a: Args) => {
    // A bulk load (no triggers) inserts each row as it is read: holding a batch of them for one go cost GC time.
    if (!load!.bulk) pending.push(a)
    else {
      const rid = load!.insert(a)
      if (rid !== null) tokenInserted(a, rid)
      else tokenSkipped(a[0] as string)
    }
  }
  return {
    skip,
    writeToken,
    /** Starts writing into `l`, the load the import runs in. */
    open: (l: Load) => {
      load = l
    },
    /** A record ready to write, in the batch's open transaction. */
    write(line: Line) {
      if (line.kind === 'token') {
        writeToken(tokenArgs(line))
      } else if (line.kind === 'accessToken') {
        const r = insertAccess.run(
          line.id,
          line.name,
          line.parameterName,
          line.permissions,
          line.expires,
          ...stampArgs(line)
        )
        appWritten(r.changes, line, 'token', 'id already in the store')
      } else {
        const r = insertSso.run(
          line.id,
          line.name,
          line.tokenName,
          ...ssoSettingsArgs(line),
          line.selfService ? 1 : 0,
          line.signKey,
          ...stampArgs(line)
        )
        appWritten(r.changes, line, 'secret', 'id or name already in the store')
      }
    },
    /** The batch's pending token rows, in one statement. */
    flush() {
      if (!pending.length) return
      const rows = pending
      pending = []
      const inserted = load!.insertMany(rows)
      // Rids grow in insertion order, which is the rows' order: walk both. Matching id and name tells a row that went
      // in from an earlier or later one with the same id (only one of those can go in).
      let next = 0
      for (const l of rows) {
        const r = inserted[next]
        if (r && r.id === l[0] && r.name === l[1]) {
          next++
          tokenInserted(l, r.rid)
        } else tokenSkipped(l[0] as string)
      }
    },
    /** After the load: a duplicate in a bulk load counted as imported until endBulk removed it. */
    finish(dropped: DroppedRow[]) {
      for (const r of dropped) {
        result.imported.tokens--
        tokenSkipped(r.id)
      }
      const droppedRids = new Set(dropped.map((r) => r.rid))
      for (const { rid, keyName } of bulkKeys)
        if (!droppedRids.has(rid) && !keyExists.get(keyName)) missingKeys.add(keyName)
      result.missingKeys = [...missingKeys]
    }
  }
}

type RecordWriter = ReturnType<typeof recordWriter>

/** One line of the file, line number `lineNo`: checked, then written; true when it was a record (it counts towards the batch). */
function acceptLine(text: string, lineNo: number, w: RecordWriter): boolean {
  const exported = exportedTokenArgs(text)
  if (exported) {
    w.writeToken(exported)
    return true
  }
  if (!text.trim()) return false
  if (text === INVALID_UTF8) {
    w.skip('line', String(lineNo), 'not valid UTF-8', 'VALIDATION')
    return false
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    w.skip('line', String(lineNo), 'not JSON', 'VALIDATION')
    return false
  }
  if (lineNo === 1 && (json as { format?: string } | null)?.format === EXPORT_FORMAT) return false
  const kind = String((json as { kind?: unknown } | null)?.kind)
  const schema = LINE_SCHEMAS[kind]
  if (!schema) {
    w.skip('line', String(lineNo), 'kind: expected token, accessToken or ssoApp', 'VALIDATION')
    return false
  }
  const fast = kind === 'token' ? fastTokenLine(json as Record<string, unknown>) : undefined
  if (fast) w.write(fast)
  else {
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      w.skip('line', String(lineNo), `${issue.path.join('.') || 'kind'}: ${issue.message}`, 'VALIDATION')
      return false
    }
    w.write(parsed.data)
  }
  return true
}

/**
 * JSON lines in batches, one transaction per batch: a crash (even SIGKILL) keeps every committed batch whole and
 * loses only the batch in flight. Existing ids or names are skipped, not overwritten.
 */
export async function importFile(
  db: Db,
  loader: BulkLoader,
  file: string,
  batchSize: number,
  ctx: JobContext
): Promise<TokenImportResult> {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return fail('IO', `Cannot read ${file}`, { path: 'file' })
  }
  const result: TokenImportResult = {
    imported: { tokens: 0, accessTokens: 0, ssoApps: 0 },
    skipped: [],
    skippedCount: 0,
    lackingSecrets: [],
    missingKeys: [],
    batches: 0,
    rowsPerSecond: 0
  }
  const w = recordWriter(db, result)
  const start = performance.now()
  let lineNo = 0
  let lines: LineReader
  try {
    lines = lineReader(file)
  } catch {
    return fail('IO', `Cannot read ${file}`, { path: 'file' })
  }
  let dropped: DroppedRow[]
  try {
    // ~350 bytes per exported token line: enough to tell a bulk load from a handful of records.
    dropped = await loader.run('import', Math.floor(size / 350), ctx, async (load) => {
      w.open(load)
      // One transaction per batch of `batchSize` records, the file read synchronously inside it (a transaction must
      // not stay open across an await: other calls on this connection would run inside it); between batches the
      // job's progress and cancellation get through.
      for (let ended = false; !ended;) {
        if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
        let records = 0
        await load.batch(() => {
          while (records < batchSize) {
            const text = lines.next()
            if (text === null) {
              ended = true
              break
            }
            if (acceptLine(text, ++lineNo, w)) records++
          }
          w.flush()
        })
        if (records) {
          result.batches++
          load.committed()
        }
        ctx.progress(lineNo)
        if (!ended) await yieldToLoop()
      }
    })
  } catch (e) {
    throw e instanceof AppError && e.code === 'CANCELLED'
      ? cancelledImport(result.imported, loader.lastDropped().length)
      : e
  } finally {
    lines.close()
  }
  w.finish(dropped)
  const total = result.imported.tokens + result.imported.accessTokens + result.imported.ssoApps
  result.rowsPerSecond = Math.round(total / Math.max((performance.now() - start) / 1000, 1e-6))
  return result
}
