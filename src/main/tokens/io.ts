import { isUtf8 } from 'node:buffer'
import { existsSync, openSync, closeSync, fchmodSync, readSync, writeSync, renameSync, statSync, rmSync } from 'node:fs'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { z } from 'zod'
import { fail, AppError } from '../../shared/errors'
import type { TokenExportResult, TokenImportResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { BulkLoad, Derived, DroppedRow } from './bulk/derived'
import { AccessTokenLine, CLAIM_FIELDS, SsoAppLine, TokenLine, tokenValuesOk } from '../../shared/contract'
import { packClaims, tokenRow, tokenSelect, TOKEN_COLUMNS, type TokenRow } from './row'
import { quickId } from './util'
import { retryBusy } from '../db/busy'

export const EXPORT_FORMAT = 'tokendesk.store'
/** Bulk mode (drop derived state, load, rebuild) pays off when the load is at least this big and bigger than the store. */
const BULK_MIN_ROWS = 20_000
const EXPORT_PAGE = 5_000
/** Bytes an import reads at a time. */
const READ_CHUNK = 1 << 20

type Line = z.infer<typeof TokenLine> | z.infer<typeof AccessTokenLine> | z.infer<typeof SsoAppLine>
/** Picks the schema by `kind` directly: a discriminated union costs ~3× more per line at a million lines. */
const LINE_SCHEMAS: Record<string, z.ZodType<Line>> = { token: TokenLine, accessToken: AccessTokenLine, ssoApp: SsoAppLine }

/**
 * Column order of the bulk insert (positional parameters bind ~30% faster than named ones at a million rows): the
 * columns a reader selects, but for the rowid and the generated `bin`.
 */
const INSERT_COLUMNS = TOKEN_COLUMNS.filter((c) => c !== 'rid' && c !== 'bin')
const TOKEN_INSERT = `INSERT OR IGNORE INTO tokens (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`
/**
 * A whole batch of token rows in one statement (a JSON array of insert arguments), for loads into a store whose
 * triggers keep the search index and counts row by row. Every statement that writes to an FTS5 table opens a statement
 * savepoint inside a transaction, and at each savepoint SQLite copies every page the statement first touches to the
 * statement journal and FTS5 flushes its pending terms as a new segment, which it then merges: one INSERT per row paid
 * that per row (a third of a 20,000-row import into a million-row store, in a profile). Rows go in the array's order;
 * RETURNING names the ones that went in (the others were ignored as taken).
 */
const TOKEN_INSERT_MANY = `INSERT OR IGNORE INTO tokens (${INSERT_COLUMNS.join(', ')})
  SELECT ${INSERT_COLUMNS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?) ORDER BY key RETURNING rid, id, name`

type TokenLineData = z.infer<typeof TokenLine>
type Args = Array<string | number | null>
/** Index of key_ref in the insert arguments (the import reports names of keys the store lacks). */
const KEY_ARG = INSERT_COLUMNS.indexOf('key_ref')
const MAX_STR = 10000
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_STR
const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v)
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isIntOrNull = (v: unknown): v is number | null => v === null || Number.isSafeInteger(v)
const ID_RE = /^[A-Za-z0-9]{8}$/

/** The insert arguments of a token line, in INSERT_COLUMNS order. */
function tokenArgs(l: TokenLineData): Args {
  const o = l.origin
  return [
    l.id, l.name, l.brief, l.avatar, packClaims(l),
    l.state, l.stato || (l.state === 0 ? 'enabled' : 'disabled'), l.published ? 1 : 0, l.deletedAt, l.expire, l.alg, l.keyName,
    l.creator, l.updater, l.cstamp, l.istamp, l.version,
    o?.connectionId ?? null, o?.remoteId ?? null, o?.pulledAt ?? null
  ]
}

/**
 * The common case of a token line (every field present, exactly as export writes it) checked by hand: per-line zod
 * parsing was most of the import's time. Strictly narrower than TokenLine (safe integers only, no defaults to fill), so
 * any line it passes TokenLine passes unchanged; everything else goes through TokenLine for the same verdict and
 * message as before.
 */
function fastTokenLine(j: Record<string, unknown>): TokenLineData | undefined {
  const o = j.origin
  if (
    typeof j.id === 'string' && ID_RE.test(j.id) &&
    typeof j.name === 'string' && j.name.length >= 1 && j.name.length <= 64 &&
    isStr(j.brief) && isStr(j.avatar) &&
    isStr(j.typ) && isStr(j.aud) && isStr(j.sap) && isStr(j.jti) && isStr(j.ipm) && isStr(j.dvm) &&
    isStr(j.tag) && isStr(j.api) && isStr(j.bug) && isStr(j.shop) && isStr(j.role) && isStr(j.rule) &&
    (j.state === 0 || j.state === 1) && isStr(j.stato) && typeof j.published === 'boolean' &&
    isIntOrNull(j.deletedAt) && isInt(j.expire) && j.expire >= 0 && isStrOrNull(j.alg) && isStrOrNull(j.keyName) &&
    isStr(j.creator) && isStr(j.updater) && isInt(j.cstamp) && isInt(j.istamp) && isInt(j.version) && j.version > 0 &&
    (o === null ||
      (typeof o === 'object' && !Array.isArray(o) &&
        isStr((o as Record<string, unknown>).connectionId) &&
        isStrOrNull((o as Record<string, unknown>).remoteId) &&
        isIntOrNull((o as Record<string, unknown>).pulledAt))) &&
    tokenValuesOk({ ...(j as unknown as TokenLineData), claims: CLAIM_FIELDS.map((f) => j[f] as string) })
  )
    return j as unknown as TokenLineData
  return undefined
}

/** A JSON string's text with nothing that JSON.stringify would escape (and no surrogates): its value is its text. */
const PLAIN_STR = '"([^"\\\\\\u0000-\\u001f\\ud800-\\udfff]*)"'
const JSON_INT = '(-?(?:0|[1-9][0-9]{0,14}))'
/**
 * A token line exactly as `tokens export` writes it (tokenLine below: this key order, no whitespace), every string plain
 * and every integer at most 15 digits (so safe). One regular expression matches, checks and splits such a line in ~1.4
 * µs against ~3.3 µs for JSON.parse and the checks after it (at a million lines, string creation is most of both; this
 * creates only the values). Anything else (another order, an escape, a big number) takes the general path.
 */
const EXPORTED_TOKEN_LINE = new RegExp(
  `^\\{"kind":"token","id":"([A-Za-z0-9]{8})","name":${PLAIN_STR},"brief":${PLAIN_STR},"avatar":${PLAIN_STR}` +
    CLAIM_FIELDS.map((f) => `,"${f}":${PLAIN_STR}`).join('') +
    `,"state":([01]),"stato":${PLAIN_STR},"published":(true|false),"deletedAt":(?:null|${JSON_INT}),"expire":(0|[1-9][0-9]{0,14})` +
    `,"alg":(?:null|${PLAIN_STR}),"keyName":(?:null|${PLAIN_STR}),"creator":${PLAIN_STR},"updater":${PLAIN_STR}` +
    `,"cstamp":${JSON_INT},"istamp":${JSON_INT},"version":([1-9][0-9]{0,14})` +
    `,"origin":(?:null|\\{"connectionId":${PLAIN_STR},"remoteId":(?:null|${PLAIN_STR}),"pulledAt":(?:null|${JSON_INT})\\})\\}$`
)

/**
 * The insert arguments of a line in export's own form, read by EXPORTED_TOKEN_LINE; undefined for any other line. A
 * line it reads gives exactly what JSON.parse, fastTokenLine and tokenArgs give (a test holds the two ways to each
 * other over exported and mutated lines): the claims array is the values between quotes, as JSON.stringify writes plain
 * strings.
 */
export function exportedTokenArgs(line: string): Args | undefined {
  const m = EXPORTED_TOKEN_LINE.exec(line)
  if (!m) return undefined
  const name = m[2]
  const int = (s: string | undefined) => (s === undefined ? null : Number(s))
  const values = {
    name, brief: m[3], avatar: m[4], claims: m.slice(5, 17), stato: m[18], deletedAt: int(m[20]), expire: Number(m[21]),
    alg: m[22] ?? null, keyName: m[23] ?? null, creator: m[24], updater: m[25], cstamp: Number(m[26]), istamp: Number(m[27]),
    version: Number(m[28]), origin: m[29] === undefined ? null : { connectionId: m[29], remoteId: m[30] ?? null, pulledAt: int(m[31]) }
  }
  if (!tokenValuesOk(values)) return undefined
  const state = m[17] === '1' ? 1 : 0
  return [
    m[1], name, m[3], m[4],
    `["${m[5]}","${m[6]}","${m[7]}","${m[8]}","${m[9]}","${m[10]}","${m[11]}","${m[12]}","${m[13]}","${m[14]}","${m[15]}","${m[16]}"]`,
    state, m[18] || (state === 0 ? 'enabled' : 'disabled'), m[19] === 'true' ? 1 : 0, int(m[20]), Number(m[21]), m[22] ?? null, m[23] ?? null,
    m[24], m[25], Number(m[26]), Number(m[27]), Number(m[28]), m[29] ?? null, m[30] ?? null, int(m[31])
  ]
}

/** The insert arguments of a token line by the general path (JSON.parse, then fastTokenLine or TokenLine); for tests. */
export function parsedTokenArgs(line: string): Args | undefined {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return undefined
  }
  if ((json as { kind?: unknown } | null)?.kind !== 'token') return undefined
  const fast = fastTokenLine(json as Record<string, unknown>)
  if (fast) return tokenArgs(fast)
  const parsed = TokenLine.safeParse(json)
  return parsed.success ? tokenArgs(parsed.data) : undefined
}

/**
 * What the line reader returns for a line that is not valid UTF-8: a lone surrogate, which no decoded line can hold.
 * Such a line is refused (decoding would store U+FFFD in place of the bad bytes).
 */
const INVALID_UTF8 = '\ud800'

interface LineReader {
  /** The next line, or null at the end of the file. */
  next(): string | null
  close(): void
}

/**
 * The lines of a file, read synchronously into one reused buffer (grown for a longer line). Lines are split on the
 * byte 0x0A (it never occurs inside a multi-byte UTF-8 character) and each is decoded on its own: decoding whole chunks
 * made every line a two-byte string as soon as a chunk held one CJK character, which cost 3.4 s of a million-line
 * import. Line breaks as readline (crlfDelay Infinity) reads them: \n, \r\n, or a lone \r. Throws if the file cannot
 * be opened.
 */
function lineReader(file: string): LineReader {
  const fd = openSync(file, 'r')
  let buf = Buffer.allocUnsafeSlow(READ_CHUNK)
  // Bytes [from, end) of buf are read and not yet returned; past `end` lie an earlier read's.
  let from = 0
  let end = 0
  let eof = false
  const parts: string[] = []
  /** The next piece up to a \n (or the file's end). */
  const piece = (): string | null => {
    for (;;) {
      const nl = buf.indexOf(10, from)
      if (nl !== -1 && nl < end) {
        const text = isUtf8(buf.subarray(from, nl)) ? buf.toString('utf8', from, nl) : INVALID_UTF8
        from = nl + 1
        return text
      }
      if (eof) {
        if (from === end) return null
        const text = isUtf8(buf.subarray(from, end)) ? buf.toString('utf8', from, end) : INVALID_UTF8
        from = end
        return text
      }
      buf.copy(buf, 0, from, end)
      end -= from
      from = 0
      if (end === buf.length) buf = Buffer.concat([buf], buf.length * 2)
      const n = readSync(fd, buf, end, buf.length - end, null)
      if (n === 0) eof = true
      end += n
    }
  }
  return {
    next() {
      if (parts.length) return parts.shift()!
      const p = piece()
      if (p === null) return null
      const line = p.endsWith('\r') ? p.slice(0, -1) : p
      if (!line.includes('\r')) return line
      const [first, ...rest] = line.split('\r')
      parts.push(...rest)
      return first
    },
    close: () => closeSync(fd)
  }
}

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

// ---------------------------------------------------------------------------------------------------------------
// Demo data (`tokens seed`): plausible names, briefs, apps, shops, people and a realistic mix of states.

const WORDS = ['erp', 'crm', 'oa', 'hr', 'bi', 'pay', 'shop', 'login', 'admin', 'report', 'gateway', 'mobile', 'kiosk', 'sync', 'batch', 'audit', 'ops', 'care', 'order', 'stock']
const CJK = ['令牌', '登录', '报表', '社区', '慢护', '管理', '测试', '网关']
const BRIEFS = [
  'Login token for the %s console',
  'Service token for %s batch jobs',
  'Read-only token for %s reports',
  '%s 登录令牌',
  'Kiosk devices at the %s front desk',
  'Temporary token for the %s migration',
  'Partner API access (%s)',
  ''
]
const APPS = ['ConsoleE', 'ConsoleX', 'AdmManHu', 'AppMobil', 'PortalWb', 'ErpSuite', 'BiReport']
const SAPS = ['SvKerneL', '*', 'SvOrderS', 'SvReport', 'SvPayGw']
const SHOPS = ['EldrCaRE', 'XdUaXduA', 'ShopNo01', 'ShopNo02', 'CareHome']
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', '周海潮', '辣椒帅', 'mallory', 'oscar']
const IPMS = ['*', '*', '*', '*', '10.0.0.0/8', '192.168.1.0/24,192.168.2.10', '203.0.113.7', '2001:db8::/32']
const DVMS = ['*', '*', '*', 'kiosk-01,kiosk-02', 'ipad-frontdesk', 'pos-7f3a']

/** A small fast PRNG (mulberry32) so a given seed makes the same demo data. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The answer to a cancelled import: what it committed before the cancel stays in the store. */
function cancelledImport(imported: TokenImportResult['imported'], droppedAtEnd: number): AppError {
  const committed = { ...imported, tokens: imported.tokens - droppedAtEnd }
  const n = committed.tokens + committed.accessTokens + committed.ssoApps
  return new AppError('CANCELLED', `Import cancelled: ${n} records were committed before the cancel and stay in the store (importing the file again skips them)`, {
    committed
  })
}

export function createIo(deps: CoreDeps, derived: Derived) {
  const { db } = deps
  const tokenCount = () => (db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
  /** The rows the last bulk load removed at its end, also when the load itself failed or was cancelled. */
  let lastDropped: DroppedRow[] = []
  /**
   * One batch's transaction: BEGIN IMMEDIATE, so a store another process holds fails before the batch reads anything
   * and is retried off the event loop; a batch outside a bulk load first checks no other process's load is running.
   */
  const batch = (bulk: BulkLoad | null, fn: () => void) =>
    retryBusy(() =>
      db.transaction(() => {
        if (!bulk) derived.assertWritable()
        fn()
      }).immediate()
    )

  /**
   * Runs a load with the derived state dropped when it pays off, and always restores it (also on failure). `bulk` is
   * null when the load runs with the indexes in place. Returns the token rows removed at the end as duplicates: with
   * the unique indexes down, a row whose id or name is taken goes in and is taken out again by endBulk.
   */
  async function loading(
    operation: string,
    expectedRows: number,
    ctx: JobContext,
    run: (bulk: BulkLoad | null) => Promise<void>
  ): Promise<DroppedRow[]> {
    lastDropped = []
    const bulk = expectedRows >= BULK_MIN_ROWS && expectedRows >= tokenCount() ? derived.beginBulk(operation) : null
    let dropped: DroppedRow[] = []
    try {
      await run(bulk)
    } finally {
      if (bulk) {
        // A few seconds at a million rows, holding this thread: named first, so a watcher (the CLI) can say so.
        ctx.stage('building indexes')
        try {
          dropped = lastDropped = (await derived.endBulk()).dropped
        } finally {
          ctx.stage(null)
        }
      }
    }
    return dropped
  }

  return {
    /** `tokens seed --count N`: demo data in batches of 10,000 rows, one transaction each. */
    async seed(count: number, seed: number | undefined, ctx: JobContext): Promise<{ inserted: number; rowsPerSecond: number }> {
      const rand = prng(seed ?? Math.floor(Math.random() * 2 ** 31))
      const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]
      const insert = db.prepare(TOKEN_INSERT)
      const now = deps.now()
      // A distinctive 7-character tail (62^7 values: a clash in a million names is unlikely, and one is skipped, not
      // failed), so names read like real ones (`erp_login_Xq7pT2a`) rather than sharing one counter-shaped suffix.
      const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
      const tail = () => {
        let t = ''
        for (let j = 0; j < 7; j++) t += ALNUM[Math.floor(rand() * 62)]
        return t
      }
      const start = performance.now()
      let inserted = 0
      const dropped = await loading('seed', count, ctx, async (bulk) => {
        for (let done = 0; done < count; ) {
          if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
          const n = Math.min(10_000, count - done)
          await batch(bulk, () => {
            for (let i = 0; i < n; i++) {
              const w = pick(WORDS)
              const cjk = rand() < 0.1
              const name = cjk ? `${pick(CJK)}${pick(CJK)}_${tail()}` : `${w}_${pick(WORDS)}_${tail()}`
              const cstamp = now - Math.floor(rand() * 730 * 86400_000)
              const istamp = cstamp + Math.floor(rand() * (now - cstamp))
              const r = rand()
              const expire = r < 0.3 ? 0 : Math.floor(now / 1000) + Math.floor((rand() * 425 - 60) * 86400)
              const disabled = rand() < 0.15
              const id = quickId(8)
              const shortName = name.slice(0, 32)
              // Drawn in the order they always were, so a given seed makes the same data.
              const brief = pick(BRIEFS).replace('%s', w)
              const avatar = rand() < 0.2 ? `https://img.example.com/${w}.png` : ''
              const claims = packClaims({
                typ: 'L', aud: pick(APPS), sap: pick(SAPS), jti: quickId(8), ipm: pick(IPMS), dvm: pick(DVMS),
                tag: rand() < 0.5 ? 'Primary' : '*', api: '*', bug: '*', shop: pick(SHOPS), role: '*', rule: '*'
              })
              // Positional, in INSERT_COLUMNS order (a named object per row, mapped to an array, cost more than the insert).
              const res = insert.run(
                id, shortName, brief, avatar, claims,
                disabled ? 1 : 0, disabled ? 'disabled' : 'enabled', rand() < 0.6 ? 1 : 0, rand() < 0.05 ? istamp : null, expire, null, null,
                pick(PEOPLE), pick(PEOPLE), cstamp, istamp, 1 + Math.floor(rand() * 4), null, null, null
              )
              inserted += res.changes
            }
          })
          bulk?.committed()
          done += n
          ctx.progress(done, count)
          await yieldToLoop()
        }
      })
      inserted -= dropped.length
      const secs = (performance.now() - start) / 1000
      return { inserted, rowsPerSecond: Math.round(inserted / Math.max(secs, 1e-6)) }
    },

    /** JSON lines: a header, then one record per line. Secrets are never read, so they cannot be written. */
    async export(file: string, kinds: string[] | undefined, overwrite: boolean, ctx: JobContext): Promise<TokenExportResult> {
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
          for (const r of db.prepare('SELECT * FROM access_tokens ORDER BY name, id').all() as Array<Record<string, any>>) {
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
          for (const r of db.prepare('SELECT * FROM sso_apps ORDER BY name, id').all() as Array<Record<string, any>>) {
            const line = {
              kind: 'ssoApp',
              id: r.id,
              name: r.name,
              tokenName: r.token_name,
              expire: r.expire,
              fieldmap: JSON.parse(r.fieldmap),
              algorithm: r.algorithm,
              enable: r.enable === 1,
              inituser: r.inituser === 1,
              initroles: JSON.parse(r.initroles),
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
    },

    /**
     * JSON lines in batches, one transaction per batch: a crash (even SIGKILL) keeps every committed batch whole and
     * loses only the batch in flight. Existing ids or names are skipped, not overwritten.
     */
    async import(file: string, batchSize: number, ctx: JobContext): Promise<TokenImportResult> {
      let size: number
      try {
        size = statSync(file).size
      } catch {
        return fail('IO', `Cannot read ${file}`, { path: 'file' })
      }
      const insertToken = db.prepare(TOKEN_INSERT)
      const insertTokenBatch = db.prepare(TOKEN_INSERT_MANY)
      const insertAccess = db.prepare(`INSERT OR IGNORE INTO access_tokens (id, name, token_ref, parameter_name, permissions, expires,
        created, updated, version, origin_connection_id, remote_id, pulled_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      const insertSso = db.prepare(`INSERT OR IGNORE INTO sso_apps (id, name, token_name, secret_ref, expire, fieldmap, algorithm, enable,
        inituser, initroles, initpwd_ref, self_service, sign_key, created, updated, version, origin_connection_id, remote_id, pulled_at)
        VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`)
      const keyExists = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM keys WHERE name = ?')
      const result: TokenImportResult = {
        imported: { tokens: 0, accessTokens: 0, ssoApps: 0 },
        skipped: [],
        skippedCount: 0,
        lackingSecrets: [],
        missingKeys: [],
        batches: 0,
        rowsPerSecond: 0
      }
      const missingKeys = new Set<string>()
      const skip = (kind: string, id: string, reason: string, code?: 'VALIDATION') => {
        result.skippedCount++
        if (result.skipped.length < 100) result.skipped.push(code ? { kind, id, reason, code } : { kind, id, reason })
      }
      const start = performance.now()
      let lineNo = 0
      let bulk: BulkLoad | null = null
      const tokenSkipped = (id: string) => skip('token', id, 'id or name already in the store')
      // A bulk load may still remove a row as a duplicate when it ends: its keys are noted by rid and checked then.
      const bulkKeys: Array<{ rid: number; keyName: string }> = []
      const tokenInserted = (l: Args, rid: number) => {
        result.imported.tokens++
        const keyName = l[KEY_ARG] as string | null
        if (!keyName) return
        if (bulk) bulkKeys.push({ rid, keyName })
        else if (!keyExists.get(keyName)) missingKeys.add(keyName)
      }
      // Token rows of the current batch when the triggers are in place: they go in together (TOKEN_INSERT_MANY).
      let pending: Args[] = []
      const insertPending = () => {
        if (!pending.length) return
        const rows = pending
        pending = []
        const inserted = (insertTokenBatch.all(JSON.stringify(rows)) as Array<{ rid: number; id: string; name: string }>).sort((a, b) => a.rid - b.rid)
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
      }
      /** A record ready to write, in the batch's open transaction. */
      /** A token's insert arguments, in the batch's open transaction. */
      const writeToken = (a: Args) => {
        // A bulk load (no triggers) inserts each row as it is read: holding a batch of them for one go cost ~1.5 s of
        // GC in a million-row import (three interleaved pairs).
        if (!bulk) pending.push(a)
        else {
          // Spread, not the array: better-sqlite3 reads an array argument element by element through V8's generic
          // property lookup, ~0.5 µs a row more (main-thread CPU of a million-row load 8.0-9.0 s against 8.6-10.0 s,
          // three interleaved pairs; 1.6 against 2.2 µs a row in isolation).
          const r = insertToken.run(...a)
          if (r.changes) tokenInserted(a, Number(r.lastInsertRowid))
          else tokenSkipped(a[0] as string)
        }
      }
      const write = (line: Line) => {
        const origin = line.origin
        if (line.kind === 'token') {
          writeToken(tokenArgs(line))
        } else if (line.kind === 'accessToken') {
          const r = insertAccess.run(line.id, line.name, line.parameterName, line.permissions, line.expires, line.created, line.updated, line.version,
            origin?.connectionId ?? null, origin?.remoteId ?? null, origin?.pulledAt ?? null)
          if (r.changes) {
            result.imported.accessTokens++
            result.lackingSecrets.push({ kind: 'accessToken', id: line.id, name: line.name, missing: ['token'] })
          } else skip('accessToken', line.id, 'id already in the store')
        } else {
          const r = insertSso.run(line.id, line.name, line.tokenName, line.expire, JSON.stringify(line.fieldmap), line.algorithm, line.enable ? 1 : 0,
            line.inituser ? 1 : 0, JSON.stringify(line.initroles), line.selfService ? 1 : 0, line.signKey, line.created, line.updated, line.version,
            origin?.connectionId ?? null, origin?.remoteId ?? null, origin?.pulledAt ?? null)
          if (r.changes) {
            result.imported.ssoApps++
            result.lackingSecrets.push({ kind: 'ssoApp', id: line.id, name: line.name, missing: ['secret'] })
          } else skip('ssoApp', line.id, 'id or name already in the store')
        }
      }
      /** One line of the file: checked, then written; true when it was a record (it counts towards the batch). */
      const accept = (text: string): boolean => {
        lineNo++
        const exported = exportedTokenArgs(text)
        if (exported) {
          writeToken(exported)
          return true
        }
        if (!text.trim()) return false
        if (text === INVALID_UTF8) {
          skip('line', String(lineNo), 'not valid UTF-8', 'VALIDATION')
          return false
        }
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          skip('line', String(lineNo), 'not JSON', 'VALIDATION')
          return false
        }
        if (lineNo === 1 && (json as { format?: string } | null)?.format === EXPORT_FORMAT) return false
        const kind = String((json as { kind?: unknown } | null)?.kind)
        const schema = LINE_SCHEMAS[kind]
        if (!schema) {
          skip('line', String(lineNo), 'kind: expected token, accessToken or ssoApp', 'VALIDATION')
          return false
        }
        const fast = kind === 'token' ? fastTokenLine(json as Record<string, unknown>) : undefined
        if (fast) write(fast)
        else {
          const parsed = schema.safeParse(json)
          if (!parsed.success) {
            const issue = parsed.error.issues[0]
            skip('line', String(lineNo), `${issue.path.join('.') || 'kind'}: ${issue.message}`, 'VALIDATION')
            return false
          }
          write(parsed.data)
        }
        return true
      }
      let lines: LineReader
      try {
        lines = lineReader(file)
      } catch {
        return fail('IO', `Cannot read ${file}`, { path: 'file' })
      }
      // ~350 bytes per exported token line: enough to tell a bulk load from a handful of records.
      let dropped: DroppedRow[]
      try {
        dropped = await loading('import', Math.floor(size / 350), ctx, async (b) => {
          bulk = b
          // One transaction per batch of `batchSize` records, the file read synchronously inside it (a transaction must
          // not stay open across an await: other calls on this connection would run inside it); between batches the
          // job's progress and cancellation get through.
          for (let ended = false; !ended; ) {
            if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
            let records = 0
            await batch(bulk, () => {
              while (records < batchSize) {
                const text = lines.next()
                if (text === null) {
                  ended = true
                  break
                }
                if (accept(text)) records++
              }
              insertPending()
            })
            if (records) {
              result.batches++
              bulk?.committed()
            }
            ctx.progress(lineNo)
            if (!ended) await yieldToLoop()
          }
        })
      } catch (e) {
        throw e instanceof AppError && e.code === 'CANCELLED' ? cancelledImport(result.imported, lastDropped.length) : e
      } finally {
        lines.close()
      }
      // A duplicate in a bulk load counted as imported until endBulk removed it.
      for (const r of dropped) {
        result.imported.tokens--
        tokenSkipped(r.id)
      }
      const droppedRids = new Set(dropped.map((r) => r.rid))
      for (const { rid, keyName } of bulkKeys) if (!droppedRids.has(rid) && !keyExists.get(keyName)) missingKeys.add(keyName)
      result.missingKeys = [...missingKeys]
      const total = result.imported.tokens + result.imported.accessTokens + result.imported.ssoApps
      result.rowsPerSecond = Math.round(total / Math.max((performance.now() - start) / 1000, 1e-6))
      return result
    }
  }
}
